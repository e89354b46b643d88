import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, useServers } from './support.ts';

const start = useServers();

describe('blocking queries', () => {
  it('a GET with ?index returns as soon as the config-entries table changes', async () => {
    const s = await start();
    await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web' });
    const first = await call(s.url, 'GET', '/v1/config/service-defaults/web');
    const idx = Number(first.headers.get('X-Consul-Index'));
    const started = Date.now();
    const pending = call(s.url, 'GET', `/v1/config/service-defaults/web?index=${idx}&wait=10s`);
    await new Promise((r) => setTimeout(r, 100));
    await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Number(res.headers.get('X-Consul-Index'))).toBeGreaterThan(idx);
    expect(res.json().Protocol).toBe('http');
  });

  it('returns at the wait timeout with the same index', async () => {
    const s = await start();
    const first = await call(s.url, 'GET', '/v1/config/service-defaults');
    const idx = first.headers.get('X-Consul-Index');
    const started = Date.now();
    const res = await call(s.url, 'GET', `/v1/config/service-defaults?index=${idx}&wait=300ms`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Consul-Index')).toBe(idx);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(300 + 300 / 16 + 500);
  });

  it('a list ignores writes of other kinds (spurious wake-up suppression) but not deletes of its own', async () => {
    const s = await start();
    await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'a' });
    const idx = Number((await call(s.url, 'GET', '/v1/config/service-defaults')).headers.get('X-Consul-Index'));
    const pending = call(s.url, 'GET', `/v1/config/service-defaults?index=${idx}&wait=2s`);
    await new Promise((r) => setTimeout(r, 50));
    await call(s.url, 'PUT', '/v1/config', { Kind: 'proxy-defaults', Name: 'global' });
    await new Promise((r) => setTimeout(r, 100));
    await call(s.url, 'DELETE', '/v1/config/service-defaults/a');
    const res = await pending;
    expect(res.json()).toEqual([]);
    expect(Number(res.headers.get('X-Consul-Index'))).toBeGreaterThan(idx + 1);
  });
});

describe('faults', () => {
  it('failNext(n, {status, body}) fails exactly the next n requests', async () => {
    const s = await start();
    s.faults.failNext(2, { status: 503, body: 'No cluster leader' });
    const a = await call(s.url, 'GET', '/v1/config/service-defaults');
    const b = await call(s.url, 'GET', '/v1/config/service-defaults');
    const c = await call(s.url, 'GET', '/v1/config/service-defaults');
    expect([a.status, a.text, b.status]).toEqual([503, 'No cluster leader', 503]);
    expect(c.status).toBe(200);
  });

  it("failNext(n, 'drop') destroys the socket without a response", async () => {
    const s = await start();
    s.faults.failNext(1, 'drop');
    await expect(fetch(`${s.url}/v1/config/service-defaults`)).rejects.toThrow();
    expect((await call(s.url, 'GET', '/v1/config/service-defaults')).status).toBe(200);
  });

  it('PUT /v1/dev/faults does the same out of process', async () => {
    const s = await start();
    expect((await call(s.url, 'PUT', '/v1/dev/faults', { count: 1, status: 500, body: 'boom' })).text).toBe('true');
    const a = await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'x' });
    expect([a.status, a.text]).toEqual([500, 'boom']);
    await call(s.url, 'PUT', '/v1/dev/faults', { count: 1, drop: true });
    await expect(fetch(`${s.url}/v1/config/service-defaults`)).rejects.toThrow();
    expect(s.faults.pending).toBe(0);
  });

  it('latencyMs delays every request', async () => {
    const s = await start({ latencyMs: 150 });
    const started = Date.now();
    await call(s.url, 'GET', '/v1/config/service-defaults');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-server-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('state survives a restart with the same dataFile, indexes included', async () => {
    const dataFile = join(dir, 'state.json');
    const a = await start({ dataFile });
    await call(a.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    await call(a.url, 'PUT', '/v1/kv/app/x', 'v1');
    await call(a.url, 'PUT', '/v1/catalog/register', {
      Node: 'n1',
      Address: '10.0.0.1',
      Service: { Service: 'web-sidecar-proxy', Kind: 'connect-proxy', Port: 21000, Proxy: { DestinationServiceName: 'web' } },
    });
    const before = await call(a.url, 'GET', '/v1/config/service-defaults/web');
    await a.close();
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).version).toBe(1);

    const b = await start({ dataFile });
    const after = await call(b.url, 'GET', '/v1/config/service-defaults/web');
    expect(after.text).toBe(before.text);
    expect(after.headers.get('X-Consul-Index')).toBe(before.headers.get('X-Consul-Index'));
    expect((await call(b.url, 'GET', '/v1/kv/app/x?raw')).text).toBe('v1');
    expect((await call(b.url, 'GET', '/v1/health/connect/web')).json()).toHaveLength(1);
    // new writes continue the index sequence
    await call(b.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'api' });
    const api = (await call(b.url, 'GET', '/v1/config/service-defaults/api')).json();
    expect(api.CreateIndex).toBeGreaterThan(JSON.parse(before.text).ModifyIndex);
  });
});

describe('ACL', () => {
  it('accepts the token via X-Consul-Token, Bearer and ?token=; anonymous sees a filtered list', async () => {
    const s = await start({ aclToken: 'root' });
    const denied = await call(s.url, 'PUT', '/v1/config', { Kind: 'service-intentions', Name: 'web', Sources: [{ Name: 'a', Action: 'allow' }] });
    expect(denied.status).toBe(403);
    expect(denied.text).toBe(
      `Permission denied: anonymous token lacks permission 'intention:write' on "web". The anonymous token is used implicitly when a request does not specify a token.`,
    );
    expect(denied.headers.get('X-Consul-Default-ACL-Policy')).toBe('deny');
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web' }, { 'X-Consul-Token': 'root' })).text).toBe('true');
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'proxy-defaults' }, { Authorization: 'Bearer root' })).text).toBe('true');
    expect((await call(s.url, 'PUT', '/v1/config?token=root', { Kind: 'mesh' })).text).toBe('true');
    expect((await call(s.url, 'GET', '/v1/config/service-defaults')).json()).toEqual([]);
    expect((await call(s.url, 'GET', '/v1/config/proxy-defaults')).json()).toHaveLength(1);
    expect((await call(s.url, 'GET', '/v1/config/mesh/mesh')).status).toBe(200);
    expect((await call(s.url, 'GET', '/v1/config/service-defaults', undefined, { 'X-Consul-Token': 'nope' })).text).toBe('ACL not found');
    const kv = await call(s.url, 'PUT', '/v1/kv/a', 'x');
    expect([kv.status, kv.text]).toEqual([
      403,
      `Permission denied: anonymous token lacks permission 'key:write' on "a". The anonymous token is used implicitly when a request does not specify a token.`,
    ]);
  });

  it('allows everything without an aclToken', async () => {
    const s = await start();
    expect((await call(s.url, 'PUT', '/v1/config', { Kind: 'mesh' }, { 'X-Consul-Token': 'anything' })).text).toBe('true');
  });
});

describe('KV details', () => {
  it('stores binary values exactly, handles flags beyond 2^53, and deletes recursively', async () => {
    const s = await start();
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await fetch(`${s.url}/v1/kv/bin`, { method: 'PUT', body: bytes });
    const raw = Buffer.from(await (await fetch(`${s.url}/v1/kv/bin?raw`)).arrayBuffer());
    expect(raw.equals(bytes)).toBe(true);
    await call(s.url, 'PUT', '/v1/kv/f?flags=18446744073709551615', 'x');
    expect((await call(s.url, 'GET', '/v1/kv/f')).text).toContain('"Flags":18446744073709551615');
    expect((await call(s.url, 'GET', '/v1/kv/?keys')).json()).toEqual(['bin', 'f']);
    expect((await call(s.url, 'GET', '/v1/kv/?recurse')).json()).toHaveLength(2);
    expect((await call(s.url, 'DELETE', '/v1/kv/?recurse')).text).toBe('true');
    expect((await call(s.url, 'GET', '/v1/kv/?keys')).json()).toEqual([]);
    expect((await call(s.url, 'GET', '/v1/kv/')).status).toBe(400);
    expect((await call(s.url, 'PUT', '/v1/kv/x?cas=1&acquire=abc', 'x')).status).toBe(400);
  });

  it('blocks on a key until it changes', async () => {
    const s = await start();
    await call(s.url, 'PUT', '/v1/kv/k', 'a');
    const idx = (await call(s.url, 'GET', '/v1/kv/k')).headers.get('X-Consul-Index');
    const pending = call(s.url, 'GET', `/v1/kv/k?index=${idx}&wait=5s&raw`);
    await new Promise((r) => setTimeout(r, 50));
    await call(s.url, 'PUT', '/v1/kv/k', 'b');
    expect((await pending).text).toBe('b');
  });
});

describe('catalog', () => {
  it('lists connect proxies of a service in Consul shape and forgets deregistered ones', async () => {
    const s = await start();
    const reg = (node: string, id: string, dest: string) =>
      call(s.url, 'PUT', '/v1/catalog/register', {
        Node: node,
        Address: `10.0.0.${node.length}`,
        Service: {
          ID: id,
          Service: `${dest}-sidecar-proxy`,
          Kind: 'connect-proxy',
          Port: 21000,
          Proxy: { DestinationServiceName: dest, LocalServicePort: 8080 },
        },
      });
    await reg('n1', 'web-proxy-1', 'web');
    await reg('n22', 'web-proxy-2', 'web');
    await reg('n1', 'api-proxy', 'api');
    await call(s.url, 'PUT', '/v1/catalog/register', { Node: 'n1', Address: '10.0.0.2', Service: { Service: 'web', Port: 8080 } });
    const web = (await call(s.url, 'GET', '/v1/health/connect/web')).json();
    expect(web.map((e: any) => e.Service.ID)).toEqual(['web-proxy-1', 'web-proxy-2']);
    expect(Object.keys(web[0])).toEqual(['Node', 'Service', 'Checks']);
    expect(web[0].Checks).toEqual([]);
    expect(web[0].Service.Proxy).toMatchObject({ DestinationServiceName: 'web', LocalServicePort: 8080, MeshGateway: {}, Expose: {} });
    expect(web[0].Service.CreateIndex).toBeGreaterThan(0);
    await call(s.url, 'PUT', '/v1/catalog/deregister', { Node: 'n22', ServiceID: 'web-proxy-2' });
    expect((await call(s.url, 'GET', '/v1/health/connect/web')).json()).toHaveLength(1);
    const bad = await call(s.url, 'PUT', '/v1/catalog/register', { Node: 'n1', Address: 'x', Service: { Service: 'p', Kind: 'connect-proxy', Port: 1 } });
    expect(bad.status).toBe(500);
    expect((await call(s.url, 'PUT', '/v1/catalog/register', { Address: 'x' })).text).toBe('Must provide node');
  });
});
