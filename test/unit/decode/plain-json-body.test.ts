// The PUT body's tree by JSON.parse (src/decode/plain-json-body.ts) must be the field decoder's
// JSON reader's tree whenever it gives one: checked on random texts that mix what JSON.parse
// reads differently (duplicate keys, integer-like keys, numbers, \u escapes, deep nesting) with
// what it reads the same, and on the bodies the apply client sends, which must take the fast path.
import { describe, expect, it } from 'vitest';
import { plainJsonTree } from '../../../src/decode/plain-json-body.ts';
import { decodeApiBody } from '../../../src/decode/api-body.ts';
import { parseJson } from '../../../src/formats/json.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';

const readerTree = (text: string) => {
  const parsed = parseJson(text, { positions: false });
  return parsed.ok ? parsed.documents[0] : undefined;
};

const KEYS = ['Kind', 'Name', 'a', 'A', 'b', '__proto__', '10', '2', '01', 'x"y', 'é', 'toString', ''];
const STRINGS = ['', 'http', 'a"b', 'back\\\\slash', 'new\\nline', '\\u0022', '\\u00e9', 'é€😀', '\\/', 'tab\\t'];
const SPACE = ['', '', ' ', '\n', '\t', '\r\n '];

function text(r: () => number, depth: number): string {
  const ws = () => pick(r, SPACE);
  const roll = r();
  if (depth > 3 || roll < 0.3) {
    const scalar = r();
    if (scalar < 0.5) return `"${pick(r, STRINGS)}"`;
    if (scalar < 0.65) return pick(r, ['1', '-0', '1.5', '1e3', '9007199254740993']);
    return pick(r, ['true', 'false', 'null']);
  }
  if (roll < 0.5) return `[${ws()}${Array.from({ length: Math.floor(r() * 3) }, () => text(r, depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
  const n = Math.floor(r() * 4);
  return `{${ws()}${Array.from({ length: n }, () => `"${pick(r, KEYS)}"${ws()}:${ws()}${text(r, depth + 1)}`).join(`${ws()},`)}${ws()}}`;
}

describe('a PUT body read by JSON.parse', () => {
  it("is the reader's tree whenever it gives one, on 20,000 random texts", () => {
    const r = seededRandom(12);
    let fast = 0;
    let fallback = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = text(r, 0);
      const tree = plainJsonTree(t);
      if (tree === undefined) fallback++;
      else {
        fast++;
        expect([t, tree]).toEqual([t, readerTree(t)]);
      }
    }
    // Both paths are exercised: the check above is not vacuous.
    expect(fast).toBeGreaterThan(2_000);
    expect(fallback).toBeGreaterThan(2_000);
  });

  it('leaves to the reader a body JSON.parse reads differently', () => {
    const cases = {
      duplicateKey: '{"Kind":"service-defaults","Name":"a","Name":"b"}',
      nestedDuplicate: '{"Kind":"service-defaults","Meta":{"a":"x\\"","a":"y"}}',
      integerKeys: '{"Kind":"service-defaults","Meta":{"b":"1","10":"2","2":"3"}}',
      number: '{"Kind":"service-defaults","MaxInboundConnections":1.0}',
      // Four quotes written as \u0022 make up for the `"` of the duplicate key and its value.
      escapedQuote: '{"Kind":"service-defaults","Meta":{"a":"\\u0022\\u0022\\u0022\\u0022","b":"1","b":"2"}}',
      deep: `{"Kind":"service-defaults","Meta":{"k":${'['.repeat(600)}${']'.repeat(600)}}}`,
    };
    for (const [name, body] of Object.entries(cases)) expect([name, plainJsonTree(body)]).toEqual([name, undefined]);
    // And the decode of each is the reader's: duplicate keys as a list, numbers with their text, depth refused.
    expect(decodeApiBody(cases.duplicateKey)).toMatchObject({ ok: true, entry: { Name: 'b' } });
    expect(decodeApiBody(cases.deep)).toEqual({ ok: false, message: 'Request decoding failed: nesting too deep' });
  });

  it('takes the fast path for the bodies the apply client sends', () => {
    const meta = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/routers/svc-1.yaml' };
    for (const entry of [
      { Kind: 'service-defaults', Name: 'svc-1', Protocol: 'http', MutualTLSMode: 'strict', Meta: meta },
      { Kind: 'service-intentions', Name: 'svc-1', Sources: [{ Name: 'svc-2', Action: 'allow' }], Meta: meta },
      {
        Kind: 'service-router',
        Name: 'svc-1',
        Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { Service: 'svc-1', PrefixRewrite: '/' } }],
        Meta: meta,
      },
    ]) {
      const body = JSON.stringify(entry);
      expect(plainJsonTree(body)).toEqual(readerTree(body));
      expect(plainJsonTree(body)).toBeDefined();
    }
  });
});
