// ConsulClient against a scripted node:http server: retries, timeouts, classification, secrets.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsulClient, type ConsulClientDeps } from '../../../src/adapters/consul/client.ts';
import { ConsulError } from '../../../src/adapters/consul/errors.ts';
import type { ConsulClientOptionsInput } from '../../../src/adapters/consul/options.ts';
import { startFakeHttp, type FakeHttp } from './fake-http.ts';

const TOKEN = 'b1c2d3e4-0000-4000-8000-5ec7e75ec7e7';
const VALIDATION = 'discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior';

let fake: FakeHttp;
const clients: ConsulClient[] = [];
let sleeps: number[] = [];
let warnings: { message: string; meta: Record<string, unknown> }[] = [];

function client(options: ConsulClientOptionsInput = {}, deps: ConsulClientDeps = {}): ConsulClient {
  const c = new ConsulClient(
    { address: fake.url, token: TOKEN, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }, ...options },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      logger: { warn: (message, meta) => warnings.push({ message, meta }) },
      ...deps,
    },
  );
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<ConsulError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConsulError);
  return e as ConsulError;
}

beforeAll(async () => {
  fake = await startFakeHttp();
});
afterEach(async () => {
  expect(fake.unexpected).toEqual([]);
  fake.reset();
  sleeps = [];
  warnings = [];
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await fake.close();
});

describe('retries', () => {
  it('retries 503 with jittered backoff and then returns the answer', async () => {
    fake.reply({ status: 503, body: 'rate limit exceeded' }, { status: 503 }, { status: 200, body: '[]', headers: { 'x-consul-index': '7' } });
    const result = await client().listEntries('service-defaults');
    expect(result).toEqual({ entries: [], index: 7 });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]); // random 0.5 × min(1000, 100·2^(n-1))
  });

  it('honours Retry-After on 429, capped by maxDelayMs', async () => {
    fake.reply({ status: 429, body: 'too many requests', headers: { 'retry-after': '30' } }, { status: 200, body: 'true' });
    expect(await client().putEntry({ Kind: 'service-defaults', Name: 'web' })).toBe(true);
    expect(sleeps).toEqual([1000]);
  });

  it('retries a dropped connection on reads', async () => {
    fake.reply('drop', { status: 200, body: '{"Kind":"mesh"}', headers: { 'x-consul-index': '3' } });
    const { entry } = await client().getEntry('mesh', 'mesh');
    expect(entry).toEqual({ Kind: 'mesh' });
    expect(fake.requests).toHaveLength(2);
  });

  it('retries 502/504 and forwarded transport errors, and "No cluster leader"', async () => {
    fake.reply(
      { status: 502, body: 'bad gateway' },
      { status: 504, body: 'gateway timeout' },
      { status: 500, body: 'rpc error making call: EOF' },
      { status: 200, body: '[]' },
    );
    await client().listEntries('service-defaults');
    fake.reply(
      { status: 500, body: 'No cluster leader' },
      { status: 500, body: 'rpc error making call: read tcp 10.0.0.1:51234->10.0.0.2:8300: i/o timeout' },
      { status: 200, body: '[]' },
    );
    await client().listEntries('service-defaults');
    expect(fake.requests).toHaveLength(7);
  });

  it('gives up after maxAttempts with the last failure, counting attempts', async () => {
    fake.reply({ status: 503 }, { status: 503 }, { status: 503, body: 'rate limit exceeded' });
    const e = await failure(client({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 } }).listEntries('mesh'));
    // A read is never ambiguous.
    expect(e).toMatchObject({ kind: 'unavailable', status: 503, message: 'rate limit exceeded', attempts: 3, ambiguous: false });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a refused connection', async () => {
    const c = client({ address: 'http://127.0.0.1:1', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const e = await failure(c.listEntries('mesh'));
    expect(e).toMatchObject({ kind: 'unavailable', transportCode: 'ECONNREFUSED', attempts: 2 });
  });
});

describe('never retried', () => {
  it('surfaces a 500 validation error verbatim after one request', async () => {
    fake.reply({ status: 500, body: 'Invalid MutualTLSMode "Strict". Must be one of "", "strict", or "permissive".' });
    const e = await failure(client().putEntry({ Kind: 'service-defaults', Name: 'web', MutualTLSMode: 'Strict' }, { cas: 0 }));
    expect(e).toMatchObject({ kind: 'validation', status: 500, method: 'PUT', path: '/v1/config?cas=0', attempts: 1 });
    expect(e.message).toBe('Invalid MutualTLSMode "Strict". Must be one of "", "strict", or "permissive".');
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a forwarded validation error', async () => {
    fake.reply({ status: 500, body: `rpc error making call: ${VALIDATION}` });
    const e = await failure(client().putEntry({ Kind: 'service-router', Name: 'web' }));
    expect(e).toMatchObject({ kind: 'validation', message: `rpc error making call: ${VALIDATION}` });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [400, 'Request decoding failed: invalid config entry kind: nope', 'bad-request'],
    [403, 'ACL not found', 'permission'],
    [404, 'Must provide both a kind and name to delete', 'not-found'],
    [409, 'conflict', 'conflict'],
  ] as const)('maps %i to %s without retrying', async (status, body, kind) => {
    fake.reply({ status, body });
    const e = await failure(client().deleteEntry('service-defaults', 'web'));
    expect(e).toMatchObject({ kind, status, message: body, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('writes with unknown outcome', () => {
  it('reports a CAS write answered false after a dropped connection as an ambiguous conflict', async () => {
    fake.reply('drop', { status: 200, body: 'false' });
    const e = await failure(client().putEntry({ Kind: 'service-defaults', Name: 'web' }, { cas: 12 }));
    expect(e).toMatchObject({ kind: 'conflict', ambiguous: true, attempts: 2 });
  });

  it('returns true after a retried write that Consul accepted', async () => {
    fake.reply({ status: 504 }, { status: 200, body: 'true' });
    expect(await client().putEntry({ Kind: 'service-defaults', Name: 'web' }, { cas: 12 })).toBe(true);
  });

  it('marks a write that failed for good after a possibly-applied attempt as ambiguous', async () => {
    fake.reply({ status: 502 }, { status: 429 }, { status: 429 }, { status: 429, body: 'rate limit exceeded' });
    const e = await failure(client().deleteEntry('service-defaults', 'web', { cas: 4 }));
    expect(e).toMatchObject({ kind: 'unavailable', status: 429, ambiguous: true, attempts: 4 });
  });

  it('returns a plain false when the retry followed a failure that cannot have been applied', async () => {
    fake.reply({ status: 429 }, { status: 503, body: 'rate limit exceeded, try again later' }, { status: 200, body: 'false' });
    expect(await client().putEntry({ Kind: 'service-defaults', Name: 'web' }, { cas: 12 })).toBe(false);
  });
});

describe('timeouts', () => {
  it('times out and retries reads', async () => {
    fake.reply('hang', { status: 200, body: '[]' });
    const result = await client({ timeoutMs: 150 }).listEntries('service-defaults');
    expect(result.entries).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not resend a write that timed out, and marks it ambiguous', async () => {
    fake.reply('hang');
    const e = await failure(client({ timeoutMs: 150 }).putEntry({ Kind: 'service-defaults', Name: 'web' }));
    expect(e).toMatchObject({ kind: 'timeout', ambiguous: true, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('extends the timeout of a blocking query by the wait and its jitter', async () => {
    fake.fallback(() => ({ status: 200, body: '[]', headers: { 'x-consul-index': '9' } }));
    const result = await client({ timeoutMs: 100 }).listEntries('service-defaults', { index: 5, wait: 2000 });
    expect(result.index).toBe(9);
    expect(fake.requests[0].url).toBe('/v1/config/service-defaults?index=5&wait=2000ms');
  });
});

describe('token', () => {
  it('sends the token in X-Consul-Token and never in the URL', async () => {
    fake.reply({ status: 200, body: 'true' });
    await client().putEntry({ Kind: 'service-defaults', Name: 'web' });
    expect(fake.requests[0].headers['x-consul-token']).toBe(TOKEN);
    expect(fake.requests[0].url).not.toContain(TOKEN);
  });

  it('reads the token file once and prefers it over the token', async () => {
    let reads = 0;
    const c = client({ tokenFile: '/secrets/consul-token' }, { readTokenFile: async () => (reads++, 'from-file\n') });
    fake.reply({ status: 200, body: '[]' }, { status: 200, body: '[]' });
    await c.listEntries('mesh');
    await c.listEntries('mesh');
    expect(reads).toBe(1);
    expect(fake.requests.map((r) => r.headers['x-consul-token'])).toEqual(['from-file', 'from-file']);
  });

  it('keeps the token out of errors and logs, even when the server echoes it', async () => {
    fake.reply({ status: 503, body: `overloaded, token ${TOKEN}` }, { status: 403, body: `Permission denied: token ${TOKEN} lacks permission` });
    const e = await failure(client().putEntry({ Kind: 'service-defaults', Name: 'web' }));
    expect(e.kind).toBe('permission');
    const surfaces = [
      e.message,
      String(e),
      e.stack ?? '',
      e.describe(),
      JSON.stringify(e),
      inspect(e, { depth: 10, showHidden: true }),
      JSON.stringify(warnings),
    ];
    for (const text of surfaces) expect(text).not.toContain(TOKEN);
    expect(e.message).toBe('Permission denied: token <redacted> lacks permission');
  });

  it('keeps the token out of transport errors', async () => {
    const c = client({ address: 'http://127.0.0.1:1', retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const e = await failure(c.getEntry('mesh', 'mesh'));
    expect(inspect(e, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  });
});

describe('responses', () => {
  it('drops Hash and keeps other big integers exact', async () => {
    const body =
      '{"Kind":"proxy-defaults","Name":"global","Config":{"max":18446744073709551615,"small":5},"Hash":8311495337118033813,"CreateIndex":43,"ModifyIndex":44}';
    fake.reply({ status: 200, body, headers: { 'x-consul-index': '44' } });
    const { entry, index } = await client().getEntry('proxy-defaults', 'global');
    expect(entry).toEqual({ Kind: 'proxy-defaults', Name: 'global', Config: { max: 18446744073709551615n, small: 5 }, CreateIndex: 43, ModifyIndex: 44 });
    expect(index).toBe(44);
  });

  it('drops Hash from listed entries', async () => {
    fake.reply({ status: 200, body: '[{"Kind":"service-defaults","Name":"web","Protocol":"http","Hash":8311495337118033813,"ModifyIndex":3}]' });
    const { entries } = await client().listEntries('service-defaults');
    expect(entries).toEqual([{ Kind: 'service-defaults', Name: 'web', Protocol: 'http', ModifyIndex: 3 }]);
  });

  it('returns undefined for a missing entry, with the index', async () => {
    fake.reply({ status: 404, body: 'Config entry not found for "service-defaults" / "web"', headers: { 'x-consul-index': '12' } });
    expect(await client().getEntry('service-defaults', 'web')).toEqual({ entry: undefined, index: 12 });
  });

  it('reports a 200 with an unexpected body as a protocol error', async () => {
    fake.reply({ status: 200, body: '<html>proxy</html>' }, { status: 200, body: '{"Name":"no kind"}' }, { status: 200, body: 'maybe' });
    const c = client();
    expect((await failure(c.listEntries('mesh'))).kind).toBe('protocol');
    expect((await failure(c.getEntry('service-defaults', 'x'))).kind).toBe('protocol');
    expect((await failure(c.putEntry({ Kind: 'mesh' }))).kind).toBe('protocol');
  });

  it('counts the {} answer of a delete without cas as true', async () => {
    fake.reply({ status: 200, body: '{}' }, { status: 200, body: 'false' });
    const c = client();
    expect(await c.deleteEntry('service-defaults', 'web')).toBe(true);
    expect(await c.deleteEntry('service-defaults', 'web', { cas: 3 })).toBe(false);
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'DELETE /v1/config/service-defaults/web',
      'DELETE /v1/config/service-defaults/web?cas=3',
    ]);
  });
});

describe('request shape', () => {
  it('sends dc, ns, partition, cas and filter as query parameters and the entry as JSON', async () => {
    fake.reply({ status: 200, body: 'true' }, { status: 200, body: '[]' });
    const c = client({ datacenter: 'dc2', namespace: 'team-a', partition: 'eu' });
    await c.putEntry({ Kind: 'service-defaults', Name: 'web', Big: 18446744073709551615n }, { cas: 0 });
    await c.listEntries('service-defaults', { filter: 'MutualTLSMode == "permissive"' });
    expect(fake.requests[0]).toMatchObject({ method: 'PUT', url: '/v1/config?cas=0&dc=dc2&ns=team-a&partition=eu' });
    expect(fake.requests[0].body).toBe('{"Kind":"service-defaults","Name":"web","Big":18446744073709551615}');
    expect(new URL(fake.requests[1].url, fake.url).searchParams.get('filter')).toBe('MutualTLSMode == "permissive"');
  });

  it('encodes names and KV keys', async () => {
    fake.reply({ status: 404 }, { status: 404 });
    const c = client();
    await c.getEntry('service-defaults', 'a b/c');
    await c.kvGet('consul-gitops/owner/web x');
    expect(fake.requests.map((r) => r.url)).toEqual(['/v1/config/service-defaults/a%20b%2Fc', '/v1/kv/consul-gitops/owner/web%20x']);
  });
});

describe('KV and health', () => {
  it('decodes KV values and writes raw bodies with cas', async () => {
    const value = Buffer.from('héllo').toString('base64');
    fake.reply(
      { status: 200, body: `[{"Key":"k","Value":"${value}","Flags":0,"CreateIndex":5,"ModifyIndex":6,"LockIndex":0}]` },
      { status: 200, body: 'true' },
      { status: 200, body: 'true' },
    );
    const c = client();
    expect(await c.kvGet('k')).toEqual({ value: 'héllo', modifyIndex: 6, flags: 0 });
    expect(await c.kvPut('k', 'v2', { cas: 6 })).toBe(true);
    expect(await c.kvDelete('k', { cas: 7 })).toBe(true);
    expect(fake.requests.slice(1).map((r) => [r.method, r.url, r.body])).toEqual([
      ['PUT', '/v1/kv/k?cas=6', 'v2'],
      ['DELETE', '/v1/kv/k?cas=7', ''],
    ]);
  });

  it('maps /v1/health/connect to typed instances', async () => {
    const body = JSON.stringify([
      {
        Node: { Node: 'node-1', Address: '10.0.0.5', Datacenter: 'dc1' },
        Service: {
          ID: 'web-sidecar-proxy',
          Service: 'web-sidecar-proxy',
          Kind: 'connect-proxy',
          Address: '',
          Port: 21000,
          Meta: { version: 'v1' },
          Proxy: { DestinationServiceName: 'web', DestinationServiceID: 'web-1', LocalServicePort: 8080 },
        },
        Checks: [{ Status: 'passing' }, { Status: 'warning' }],
      },
    ]);
    fake.reply({ status: 200, body });
    const instances = await client().connectServiceInstances('web', { passing: true });
    expect(fake.requests[0].url).toBe('/v1/health/connect/web?passing=true');
    expect(instances).toEqual([
      {
        node: 'node-1',
        nodeAddress: '10.0.0.5',
        datacenter: 'dc1',
        serviceId: 'web-sidecar-proxy',
        serviceName: 'web-sidecar-proxy',
        serviceKind: 'connect-proxy',
        address: '10.0.0.5',
        port: 21000,
        meta: { version: 'v1' },
        destinationServiceName: 'web',
        destinationServiceId: 'web-1',
        health: 'warning',
      },
    ]);
  });
});
