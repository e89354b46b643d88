// PUT /v1/config decodes a body once when the field decoder's JSON reader takes it whole, and the
// long way (Go's first-value scan, Hash stripped, then the fields) otherwise: every answer below
// was recorded from the dev server before the one-parse path existed, and must stay as it was.
import { describe, expect, it } from 'vitest';
import { call, useServers } from './support.ts';

const start = useServers();
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const bodies = {
  ws: ' \r\n\t{"Kind":"service-defaults","Name":"ws-a","Protocol":"http"}\n ',
  hashKey: '{"Kind":"service-defaults","Name":"hash-a","hash":5,"Protocol":"grpc"}',
  hashInMeta: '{"Kind":"service-defaults","Name":"hash-b","Meta":{"Hash":"x"}}',
  trailing: '{"Kind":"service-defaults","Name":"trail-a"} {"not":',
  trailingWs: '{"Kind":"service-defaults","Name":"trail-b"}  \n',
  deep: `{"Kind":"service-defaults","Name":"deep-a","Meta":{"k":${deep(600)}}}`,
  deepOk: `{"Kind":"service-defaults","Name":"deep-b","Meta":{"k":${deep(10)}}}`,
  bigInt: '{"Kind":"service-defaults","Name":"big-a","MaxInboundConnections":99999999999999999999}',
  bigFloat: '{"Kind":"service-defaults","Name":"big-b","MaxInboundConnections":1e400}',
  longNumber: `{"Kind":"service-defaults","Name":"big-c","MaxInboundConnections":1${'0'.repeat(450)}}`,
  unknownKey: '{"Kind":"service-defaults","Name":"unk-a","Protocoll":"http"}',
  bom: '\ufeff{"Kind":"service-defaults","Name":"bom-a"}',
  duplicate: '{"Kind":"service-defaults","Name":"dup-a","Name":"dup-b"}',
  lowerKeys: '{"kind":"service-defaults","name":"low-a","protocol":"http"}',
  namespace: '{"Kind":"service-defaults","Name":"ns-a","Namespace":"x"}',
  escapes: '{"Kind":"service-defaults","Name":"esc-a","Meta":{"k":"\\u00e9\\n\\"\\/"}}',
  controlChar: '{"Kind":"service-defaults","Name":"ctl-a","Meta":{"k":"a\tb"}}',
  empty: '',
  spaces: '   ',
  nul: 'null',
  array: '[]',
  syntax: '{"Kind":"service-defaults",}',
};

/** [status, body] each answered before the one-parse path. */
const answers: Record<keyof typeof bodies, [number, string]> = {
  ws: [200, 'true'],
  hashKey: [200, 'true'],
  hashInMeta: [200, 'true'],
  trailing: [200, 'true'],
  trailingWs: [200, 'true'],
  deep: [400, 'Request decoding failed: nesting too deep'],
  deepOk: [400, "Request decoding failed: 1 error(s) decoding:\n\n* 'Meta' expected type 'string', got a list"],
  bigInt: [400, 'Request decoding failed: strconv.ParseInt: parsing "99999999999999999999": value out of range'],
  bigFloat: [400, 'Request decoding failed: strconv.ParseFloat: parsing "1e400": value out of range'],
  longNumber: [400, 'Request decoding failed: strconv.ParseInt: parsing "1000000000000000000000000000000000000000\u2026": value out of range'],
  unknownKey: [400, 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Protocoll"\n\n'],
  // Go's scanner names a non-ASCII byte as the Latin-1 rune of its first byte (quoteChar(c byte)):
  // the BOM's 0xEF is 'ï' (write-checks' go-json-text fix, after these answers were recorded).
  bom: [400, "Request decoding failed: invalid character '\u00ef' looking for beginning of value"],
  duplicate: [200, 'true'],
  lowerKeys: [200, 'true'],
  namespace: [400, 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Namespace", namespaces are a consul enterprise feature\n\n'],
  escapes: [200, 'true'],
  controlChar: [400, "Request decoding failed: invalid character '\\t' in string literal"],
  empty: [400, 'Request decoding failed: EOF'],
  spaces: [400, 'Request decoding failed: EOF'],
  nul: [400, 'Request decoding failed: Payload does not contain a kind/Kind key at the top level'],
  array: [400, "Request decoding failed: '' expected a map, got 'slice'"],
  syntax: [400, "Request decoding failed: invalid character '}' looking for beginning of object key string"],
};

describe('PUT /v1/config body decoding', () => {
  it('answers every body as the long way did, and stores the same entries', async () => {
    const server = await start();
    for (const [name, body] of Object.entries(bodies)) {
      const res = await call(server.url, 'PUT', '/v1/config', body);
      expect([name, res.status, res.text]).toEqual([name, ...answers[name as keyof typeof bodies]]);
    }
    const list = await call(server.url, 'GET', '/v1/config/service-defaults');
    const stored = (list.json() as Record<string, unknown>[]).map(({ CreateIndex: _c, ModifyIndex: _m, Hash: _h, ...e }) => e);
    expect(stored).toEqual([
      { Kind: 'service-defaults', Name: 'dup-b', Protocol: '', TransparentProxy: {}, MeshGateway: {}, Expose: {} },
      { Kind: 'service-defaults', Name: 'esc-a', Protocol: '', TransparentProxy: {}, MeshGateway: {}, Expose: {}, Meta: { k: '\u00e9\n"/' } },
      { Kind: 'service-defaults', Name: 'hash-a', Protocol: 'grpc', TransparentProxy: {}, MeshGateway: {}, Expose: {} },
      { Kind: 'service-defaults', Name: 'hash-b', Protocol: '', TransparentProxy: {}, MeshGateway: {}, Expose: {}, Meta: { Hash: 'x' } },
      { Kind: 'service-defaults', Name: 'low-a', Protocol: 'http', TransparentProxy: {}, MeshGateway: {}, Expose: {} },
      { Kind: 'service-defaults', Name: 'trail-a', Protocol: '', TransparentProxy: {}, MeshGateway: {}, Expose: {} },
      { Kind: 'service-defaults', Name: 'trail-b', Protocol: '', TransparentProxy: {}, MeshGateway: {}, Expose: {} },
      { Kind: 'service-defaults', Name: 'ws-a', Protocol: 'http', TransparentProxy: {}, MeshGateway: {}, Expose: {} },
    ]);
  });
});
