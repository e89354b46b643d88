// Registers one sidecar proxy for a service in a Consul (dev server) catalog, as the advisor's tests need it.
import { expect } from 'vitest';

/**
 * Registers `<service>-sidecar-proxy` on node n1 (10.0.0.7, port 20000) and expects Consul's 200.
 * `proxy` adds to the registration's Proxy block (e.g. `{ MutualTLSMode: 'permissive' }`).
 */
export async function registerSidecar(consulUrl: string, service = 'api', proxy: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${consulUrl}/v1/catalog/register`, {
    method: 'PUT',
    body: JSON.stringify({
      Node: 'n1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: `${service}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: service, ...proxy } },
    }),
  });
  expect(res.status).toBe(200);
}
