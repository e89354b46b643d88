// The dev server's answers to a varied run of writes and reads, byte for byte (status, headers in
// wire order with Date masked, body), against a record taken before the write path was tuned for
// speed (write-answers.golden.json): the bench's three kinds as the apply client sends them, numbers
// of every spelling, escapes, duplicate and integer-like keys, empty pointers, CAS refusals,
// unchanged writes, decode, validation and graph refusals, then every entry read back and listed.
// Regenerate only when Consul's behaviour is meant to change: WRITE_GOLDEN=1 npx vitest run <this file>.
import { request } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServers } from './support.ts';

const start = useServers();
const GOLDEN = new URL('./write-answers.golden.json', import.meta.url);

/** Status, raw header pairs in wire order (Date's value masked) and body of one request. */
function rawCall(base: string, method: string, path: string, body?: string): Promise<{ status: number; headers: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          pairs.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i] === 'Date' ? '<date>' : res.rawHeaders[i + 1]}`);
        resolve({ status: res.statusCode ?? 0, headers: pairs, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const meta = (file: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${file}` });

/** [method, path, body]: each write, then reads of what they left. */
const writes: [string, string, string][] = [
  ['PUT', '/v1/config', JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http', local_connect_timeout_ms: 1000 } })],
  ['PUT', '/v1/config', JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: meta('mesh.hcl') })],
  // The scale bench's three kinds, as the apply client writes creates.
  [
    'PUT',
    '/v1/config?cas=0',
    JSON.stringify({ Kind: 'service-defaults', Name: 'svc-0', Protocol: 'http', MutualTLSMode: 'strict', Meta: meta('services/svc-0.hcl') }),
  ],
  [
    'PUT',
    '/v1/config?cas=0',
    JSON.stringify({ Kind: 'service-intentions', Name: 'svc-0', Sources: [{ Name: 'svc-1', Action: 'allow' }], Meta: meta('intentions/svc-0.json') }),
  ],
  [
    'PUT',
    '/v1/config?cas=0',
    JSON.stringify({
      Kind: 'service-router',
      Name: 'svc-0',
      Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { Service: 'svc-0', PrefixRewrite: '/' } }],
      Meta: meta('routers/svc-0.yaml'),
    }),
  ],
  // The same create again: CAS 0 on an entry that exists.
  [
    'PUT',
    '/v1/config?cas=0',
    JSON.stringify({ Kind: 'service-defaults', Name: 'svc-0', Protocol: 'http', MutualTLSMode: 'strict', Meta: meta('services/svc-0.hcl') }),
  ],
  // Unchanged (no CAS): true, no new index.
  [
    'PUT',
    '/v1/config',
    JSON.stringify({ Kind: 'service-defaults', Name: 'svc-0', Protocol: 'http', MutualTLSMode: 'strict', Meta: meta('services/svc-0.hcl') }),
  ],
  // An update with the right and a wrong modify index.
  ['PUT', '/v1/config?cas=13', JSON.stringify({ Kind: 'service-defaults', Name: 'svc-0', Protocol: 'http2', Meta: meta('services/svc-0.hcl') })],
  ['PUT', '/v1/config?cas=999', JSON.stringify({ Kind: 'service-defaults', Name: 'svc-0', Protocol: 'grpc' })],
  // Numbers spelt every way JSON allows, in int, float and map fields.
  [
    'PUT',
    '/v1/config',
    '{"Kind":"service-defaults","Name":"nums","Protocol":"tcp","MaxInboundConnections":1.0e2,"LocalConnectTimeoutMs":-0,"LocalRequestTimeoutMs":2E3,' +
      '"UpstreamConfig":{"Defaults":{"ConnectTimeoutMs":5000,"Limits":{"MaxConnections":1e1,"MaxPendingRequests":7}}},"BalanceInboundConnections":"exact_balance"}',
  ],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"nums2","MaxInboundConnections":9007199254740993,"LocalConnectTimeoutMs":12.5}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"nums3","MaxInboundConnections":07}'],
  [
    'PUT',
    '/v1/config',
    '{"Kind":"service-splitter","Name":"svc-1","Splits":[{"Weight":33.33,"Service":"svc-1"},{"Weight":66.67,"Service":"svc-3","RequestHeaders":{"Set":{"x-w":"1"}}}]}',
  ],
  ['PUT', '/v1/config', '{"Kind":"service-splitter","Name":"svc-2","Splits":[{"Weight":50,"Service":"svc-0"},{"Weight":40,"Service":"svc-1"}]}'],
  // Keys: duplicates (top level and nested), integer-like and __proto__ keys, lower case, escapes and non-ASCII text.
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"dups","Protocol":"http","Protocol":"grpc","Meta":{"a":"1","b":"2","a":"3"},"Meta":{"c":"4"}}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"dups2","Protocol":"http","Protocol":"grpc","Meta":{"a":"1","b":"2","a":"3"}}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"intkeys","Meta":{"b":"x","10":"y","2":"z","01":"w","4294967295":"v","__proto__":"p"}}'],
  ['PUT', '/v1/config', '{"kind":"service-defaults","name":"lower","protocol":"HTTP","meta":{"K":"v"},"transparentproxy":{"outboundlistenerport":15001}}'],
  [
    'PUT',
    '/v1/config',
    '{"Kind":"service-defaults","Name":"esc","Meta":{"q":"a\\"b\\\\c\\/d","u":"\\u00e9\\u0022\\ud83d\\ude00","t":"é€😀","n":"line\\nnext"}}',
  ],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"ptr","UpstreamConfig":{},"TransparentProxy":{},"Meta":{}}'],
  ['PUT', '/v1/config', ' \n\t{"Kind":"service-defaults","Name":"spaced" , "Protocol" : "http"}\r\n'],
  // Intentions with L7 permissions, and on a tcp service (the graph check refuses).
  [
    'PUT',
    '/v1/config',
    JSON.stringify({
      Kind: 'service-intentions',
      Name: 'svc-0',
      Sources: [
        { Name: 'web', Permissions: [{ Action: 'allow', HTTP: { PathPrefix: '/api', Methods: ['GET', 'PUT'], Header: [{ Name: 'x-a', Exact: 'b' }] } }] },
        { Name: '*', Action: 'deny', Precedence: 9, LegacyID: 'x' },
      ],
    }),
  ],
  [
    'PUT',
    '/v1/config',
    JSON.stringify({ Kind: 'service-intentions', Name: 'nums', Sources: [{ Name: 'web', Permissions: [{ Action: 'allow', HTTP: { PathExact: '/' } }] }] }),
  ],
  ['PUT', '/v1/config', JSON.stringify({ Kind: 'service-router', Name: 'nums', Routes: [{ Match: { HTTP: { PathPrefix: '/' } } }] })],
  [
    'PUT',
    '/v1/config',
    JSON.stringify({
      Kind: 'service-resolver',
      Name: 'svc-0',
      ConnectTimeout: '15s',
      DefaultSubset: 'v1',
      Subsets: { v1: { Filter: 'Service.Meta.version == v1' }, v2: { OnlyPassing: true } },
    }),
  ],
  ['PUT', '/v1/config', JSON.stringify({ Kind: 'service-resolver', Name: 'loop', Redirect: { Service: 'loop' } })],
  // Refusals: unknown kind, unknown key, wrong type, invalid value, not JSON, Enterprise parameter.
  ['PUT', '/v1/config', '{"Kind":"service-default","Name":"x"}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"x","Protocoll":"http","Other":1}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"x","MaxInboundConnections":"many"}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"x","MutualTLSMode":"sometimes"}'],
  ['PUT', '/v1/config', '{"Kind":"service-defaults","Name":"x",'],
  ['PUT', '/v1/config?ns=a', '{"Kind":"service-defaults","Name":"x"}'],
  ['PUT', '/v1/config?pretty', JSON.stringify({ Kind: 'service-defaults', Name: 'pretty', Protocol: 'http' })],
  ['DELETE', '/v1/config/service-defaults/pretty', ''],
  ['DELETE', '/v1/config/service-defaults/spaced?cas=1', ''],
];

const reads: [string, string][] = [
  ...['svc-0', 'nums', 'nums2', 'nums3', 'dups', 'dups2', 'intkeys', 'lower', 'esc', 'ptr', 'spaced', 'pretty', 'x'].map((n): [string, string] => [
    'GET',
    `/v1/config/service-defaults/${n}`,
  ]),
  ['GET', '/v1/config/service-intentions/svc-0'],
  ['GET', '/v1/config/service-router/svc-0'],
  ['GET', '/v1/config/service-splitter/svc-1?pretty'],
  ['GET', '/v1/config/service-resolver/svc-0'],
  ['GET', '/v1/config/proxy-defaults/global'],
  ['GET', '/v1/config/mesh/mesh'],
  ['GET', '/v1/config/service-defaults'],
  ['GET', '/v1/config/service-intentions'],
  ['GET', '/v1/config/service-defaults?filter=Protocol%20%3D%3D%20%22http%22'],
  ['GET', '/v1/config/'],
];

describe('dev server answers, byte for byte', () => {
  it('answers a varied run of writes and reads as it did before the write path was tuned', async () => {
    const s = await start();
    const seen: { request: string; status: number; headers: string[]; text: string }[] = [];
    for (const [method, path, body] of writes) seen.push({ request: `${method} ${path} ${body}`, ...(await rawCall(s.url, method, path, body)) });
    for (const [method, path] of reads) seen.push({ request: `${method} ${path}`, ...(await rawCall(s.url, method, path)) });
    if (process.env.WRITE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(seen, null, 1)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof seen;
    for (let i = 0; i < Math.max(seen.length, golden.length); i++) expect(seen[i]).toEqual(golden[i]);
  });
});
