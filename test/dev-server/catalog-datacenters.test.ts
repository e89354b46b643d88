// GET /v1/catalog/datacenters on the dev server, as a Consul without WAN federation answers it
// (agent/consul/catalog_endpoint.go ListDatacenters): its own datacenter alone, with no token asked
// for (the RPC takes none) even under default-deny ACLs. The advisor reads it to find federated
// datacenters; without the route the dev server answered 404, which the advisor must not read as
// "one datacenter" (src/adapters/consul/federation.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { readFederation } from '../../src/adapters/consul/federation.ts';
import { ConsulClient } from '../../src/adapters/consul/client.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0, aclToken: 'root-token-5d1c2e' });
});
afterAll(async () => {
  await server.close();
});

it('answers its own datacenter alone, without a token', async () => {
  const res = await fetch(`${server.url}/v1/catalog/datacenters`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(['dc1']);
});

it('the advisor reads it as one datacenter, nothing unreadable', async () => {
  const federation = await readFederation(new ConsulClient({ address: server.url }));
  expect(federation).toEqual({ ours: 'dc1', others: [] });
});

it('a 404 (something other than Consul in front) leaves other datacenters not ruled out', async () => {
  const federation = await readFederation({ connectServiceInstances: async () => [], datacenters: async () => undefined });
  expect(federation.unreadable).toMatch(/404/);
});
