// The dev agent's service registration (PUT /v1/agent/service/register) asks mesh:write for Envoy
// escape-hatch keys in Proxy.Config (issue 11, stop 19): agent/acl.go vetServiceRegisterWithAuthorizer
// in hashicorp/consul's 2026 source checks service:write on the service and on a connect-proxy's
// destination, then mesh:write for the first of bootstrapEscapeHatchKeys it finds, wrapping the denial;
// agent/http.go answers 403 for a "Permission denied" text. Over HTTP, with the dev server's ACLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const ROOT = 'root-token';
const WRITER = {
  secret: 'sidecar-writer-secret',
  accessorId: 'a0a0a0a0-0000-4000-8000-00000000a0a0',
  rules: { service: { web: 'write' as const, 'web-sidecar-proxy': 'write' as const } },
};

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1', aclToken: ROOT, acl: { defaultPolicy: 'deny', tokens: [WRITER] } });
});
afterAll(async () => {
  await server.close();
});

const sidecar = (config: Record<string, unknown>) => ({
  Kind: 'connect-proxy',
  Name: 'web-sidecar-proxy',
  Port: 21000,
  Proxy: { DestinationServiceName: 'web', Config: config },
});

async function register(body: object, token: string) {
  const res = await fetch(`${server.url}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body), headers: { 'X-Consul-Token': token } });
  return { status: res.status, text: await res.text() };
}

describe('agent service registration: Envoy escape-hatch keys in Proxy.Config need mesh:write', () => {
  it('service:write on the proxy and its destination registers a sidecar with an ordinary Proxy.Config, which the catalog then lists', async () => {
    expect(await register(sidecar({ protocol: 'http' }), WRITER.secret)).toEqual({ status: 200, text: '' });
    const res = await fetch(`${server.url}/v1/catalog/service/web-sidecar-proxy`, { headers: { 'X-Consul-Token': ROOT } });
    const nodes = (await res.json()) as { ServiceProxy: { DestinationServiceName: string; Config: unknown } }[];
    expect(nodes).toHaveLength(1);
    expect(nodes[0].ServiceProxy.DestinationServiceName).toBe('web');
    expect(nodes[0].ServiceProxy.Config).toEqual({ protocol: 'http' });
  });

  it.each(['envoy_bootstrap_json_tpl', 'envoy_public_listener_json', 'envoy_extra_static_clusters_json'])(
    'Proxy.Config %s without mesh:write: 403 with Consul’s wrapped text',
    async (key) => {
      expect(await register(sidecar({ protocol: 'http', [key]: '{}' }), WRITER.secret)).toEqual({
        status: 403,
        text: `mesh:write required to set bootstrap escape-hatch Proxy.Config key "${key}": Permission denied: token with AccessorID '${WRITER.accessorId}' lacks permission 'mesh:write'`,
      });
    },
  );

  it('a token with mesh:write registers the same sidecar; a key differing only in case is not in the set (exact-case lookup)', async () => {
    expect(await register(sidecar({ envoy_public_listener_json: '{}' }), ROOT)).toEqual({ status: 200, text: '' });
    expect((await register(sidecar({ Envoy_Public_Listener_JSON: '{}' }), WRITER.secret)).status).toBe(200);
  });
});
