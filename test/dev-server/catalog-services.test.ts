// GET /v1/catalog/services and /v1/catalog/service/:service in Consul's shapes, and the client's
// connectEnabledServices over them.
import { describe, expect, it } from 'vitest';
import { call, useServers } from './support.ts';
import { ConsulClient } from '../../src/adapters/consul/client.ts';

const start = useServers();

async function register(base: string, node: string, service: Record<string, unknown>) {
  const r = await call(base, 'PUT', '/v1/catalog/register', { Node: node, Address: '10.0.0.1', Service: service });
  expect(r.status).toBe(200);
}

const proxy = (name: string, dest: string, id = name) => ({
  Kind: 'connect-proxy',
  ID: id,
  Service: name,
  Port: 20000,
  Proxy: { DestinationServiceName: dest },
});

describe('catalog listing', () => {
  it('lists service names with merged tags, filtered over ServiceNodes', async () => {
    const s = await start();
    await register(s.url, 'n1', { Service: 'web', Port: 8080, Tags: ['v1'] });
    await register(s.url, 'n2', { Service: 'web', Port: 8080, Tags: ['v2', 'v1'] });
    await register(s.url, 'n1', proxy('web-sidecar-proxy', 'web'));
    const all = await call(s.url, 'GET', '/v1/catalog/services');
    expect(all.status).toBe(200);
    expect(all.json()).toEqual({ web: ['v1', 'v2'], 'web-sidecar-proxy': [] });
    expect(all.headers.get('x-consul-index')).toMatch(/^\d+$/);
    const proxies = await call(s.url, 'GET', `/v1/catalog/services?filter=${encodeURIComponent('ServiceKind == "connect-proxy"')}`);
    expect(proxies.json()).toEqual({ 'web-sidecar-proxy': [] });
    const byDest = await call(s.url, 'GET', `/v1/catalog/services?filter=${encodeURIComponent('ServiceProxy.DestinationServiceName == "web"')}`);
    expect(byDest.json()).toEqual({ 'web-sidecar-proxy': [] });
  });

  it('refuses an unknown selector as Consul does (500, go-bexpr text)', async () => {
    const s = await start();
    const r = await call(s.url, 'GET', `/v1/catalog/services?filter=${encodeURIComponent('Nope == "x"')}`);
    expect(r.status).toBe(500);
    expect(r.text).toBe('Failed to create boolean expression evaluator: Selector "Nope" is not valid');
  });

  it("returns one service's ServiceNodes, matching its name case-insensitively", async () => {
    const s = await start();
    await register(s.url, 'n1', proxy('edge-proxy', 'api'));
    const r = await call(s.url, 'GET', '/v1/catalog/service/EDGE-proxy');
    const [n] = r.json();
    expect(n).toMatchObject({
      Node: 'n1',
      Address: '10.0.0.1',
      ServiceKind: 'connect-proxy',
      ServiceName: 'edge-proxy',
      ServicePort: 20000,
      ServiceProxy: { DestinationServiceName: 'api' },
      ServiceWeights: { Passing: 1, Warning: 1 },
    });
    expect((await call(s.url, 'GET', '/v1/catalog/service/nothing')).text).toBe('[]');
  });

  it('hides names from a token that may not read them', async () => {
    const s = await start({ aclToken: 'root' });
    await call(s.url, 'PUT', '/v1/catalog/register', { Node: 'n1', Address: '10.0.0.1', Service: { Service: 'web', Port: 1 } }, { 'X-Consul-Token': 'root' });
    expect((await call(s.url, 'GET', '/v1/catalog/services')).json()).toEqual({});
    expect((await call(s.url, 'GET', '/v1/catalog/services', undefined, { 'X-Consul-Token': 'root' })).json()).toEqual({ web: [] });
  });
});

describe('ConsulClient.connectEnabledServices', () => {
  it('finds the destination of every sidecar, whatever the proxy is called', async () => {
    const s = await start();
    await register(s.url, 'n1', { Service: 'web', Port: 8080 });
    await register(s.url, 'n1', proxy('web-sidecar-proxy', 'web'));
    await register(s.url, 'n2', proxy('web-sidecar-proxy', 'web', 'web-2'));
    await register(s.url, 'n1', proxy('api-envoy', 'api'));
    // Named like a sidecar of "billing", but fronting "ledger": the guess is checked, not trusted.
    await register(s.url, 'n1', proxy('billing-sidecar-proxy', 'ledger'));
    await register(s.url, 'n1', { Service: 'plain', Port: 9000 });
    const consul = new ConsulClient({ address: s.url });
    try {
      expect(await consul.connectEnabledServices()).toEqual(['api', 'ledger', 'web']);
    } finally {
      await consul.close();
    }
  });

  it('answers an empty catalog with no services', async () => {
    const s = await start();
    const consul = new ConsulClient({ address: s.url });
    expect(await consul.connectEnabledServices()).toEqual([]);
    await consul.close();
  });
});
