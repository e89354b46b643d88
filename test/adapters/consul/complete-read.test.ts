// ConsulClient refuses list answers that ACLs may have cut short: the filtered header for a token,
// or no token under default deny. Against the dev server, whose ACLs follow Consul's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { ConsulError } from '../../../src/adapters/consul/errors.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';

const ROOT = 'root-5ecret-0000-4000-8000-000000000001';
const WEB = 'web-5ecret-0000-4000-8000-000000000002';
const READER = 'read-5ecret-0000-4000-8000-000000000003';

let server: DevServer;
let open: DevServer;
const clients: ConsulClient[] = [];

function client(url: string, token?: string): ConsulClient {
  const c = new ConsulClient({ address: url, ...(token ? { token } : {}), timeoutMs: 5_000, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
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
  server = await startDevServer({
    port: 0,
    acl: {
      defaultPolicy: 'deny',
      tokens: [
        { secret: ROOT, management: true },
        { secret: WEB, rules: { service_prefix: { web: 'read' }, node_prefix: { '': 'read' } } },
        { secret: READER, rules: { service_prefix: { '': 'read' }, intention_prefix: { '': 'read' }, node_prefix: { '': 'read' }, mesh: 'read' } },
      ],
    },
  });
  open = await startDevServer({ port: 0 });
  const root = client(server.url, ROOT);
  await root.putEntry({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  for (const name of ['web', 'api']) await root.putEntry({ Kind: 'service-defaults', Name: name, MutualTLSMode: 'permissive' });
  await root.registerCatalog({
    Node: 'n1',
    Address: '10.0.0.1',
    Service: { Kind: 'connect-proxy', Service: 'api-sidecar-proxy', Port: 21000, Proxy: { DestinationServiceName: 'api' } },
  });
  await root.registerCatalog({
    Node: 'n1',
    Address: '10.0.0.1',
    Service: { Kind: 'connect-proxy', Service: 'web-sidecar-proxy', Port: 21001, Proxy: { DestinationServiceName: 'web' } },
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  await open.close();
});

describe('incomplete reads', () => {
  it('a token that may read only web* services: listing service-defaults is an incomplete-read naming service:read', async () => {
    const e = await failure(client(server.url, WEB).listEntries('service-defaults'));
    expect(e.kind).toBe('incomplete-read');
    expect(e.missingPermission).toBe('service:read on every service');
    expect(e.message).toContain('listing service-defaults (GET /v1/config/service-defaults) is incomplete');
    expect(e.message).toContain('service_prefix "" { policy = "read" }');
    expect(e.message).not.toContain(WEB);
  });

  it('no token under default deny: the list may be incomplete, whatever it holds', async () => {
    const e = await failure(client(server.url).listEntries('service-defaults', { filter: 'MutualTLSMode == "permissive"' }));
    expect(e.kind).toBe('incomplete-read');
    expect(e.message).toContain('no token was sent');
    expect(e.message).toContain('CONSUL_HTTP_TOKEN');
    expect(e.message).toContain('service:read on every service');
    // Intentions need intention:read, exported-services mesh:read.
    expect((await failure(client(server.url).listEntries('service-intentions'))).missingPermission).toBe('intention:read on every intention');
    expect((await failure(client(server.url).listEntries('exported-services'))).missingPermission).toBe('mesh:read');
  });

  it('kinds Consul lets anyone read (mesh, proxy-defaults) are complete even without a token', async () => {
    expect((await client(server.url).listEntries('mesh')).entries).toHaveLength(1);
    expect((await client(server.url).listEntries('proxy-defaults')).entries).toEqual([]);
  });

  it('a token that may read everything, and a Consul without ACLs, pass', async () => {
    expect((await client(server.url, READER).listEntries('service-defaults')).entries.map((e) => e.Name)).toEqual(['api', 'web']);
    expect(await client(server.url, READER).connectServiceInstances('api')).toHaveLength(1);
    expect(Object.keys(await client(server.url, READER).listServices())).toEqual(['api-sidecar-proxy', 'web-sidecar-proxy']);
    expect((await client(open.url).listEntries('service-defaults')).entries).toEqual([]);
    expect(await client(open.url).listServices()).toEqual({});
  });

  it('an empty health/connect answer is checked with /v1/internal/acl/authorize: Consul hides a denied service without a word', async () => {
    const e = await failure(client(server.url, WEB).connectServiceInstances('api'));
    expect([e.kind, e.missingPermission]).toEqual(['incomplete-read', 'service:read on "api"']);
    expect(e.message).toContain('GET /v1/health/connect/api');
    expect(e.message).not.toContain(WEB);
    // Really none: a readable service without proxies, and a Consul without ACLs (authorize answers 401).
    expect(await client(server.url, READER).connectServiceInstances('unknown')).toEqual([]);
    expect(await client(server.url, WEB).connectServiceInstances('web-nothing')).toEqual([]);
    expect(await client(open.url, 'any-token').connectServiceInstances('api')).toEqual([]);
  });

  it('catalog and health reads are checked too', async () => {
    const services = await failure(client(server.url, WEB).listServices());
    expect([services.kind, services.missingPermission]).toEqual(['incomplete-read', 'service:read on every service']);
    const anonymous = await failure(client(server.url).connectServiceInstances('web'));
    expect(anonymous.kind).toBe('incomplete-read');
    expect(anonymous.message).toContain('the sidecar proxies of "web" (GET /v1/health/connect/web) may be incomplete');
  });
});
