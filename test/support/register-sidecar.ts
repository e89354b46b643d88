// Registers one sidecar proxy for a service in a Consul (dev server) catalog, as the advisor's tests need it.
import { expect } from 'vitest';

/** Where a sidecar runs, for a service with several: its own ID (default: the service name), node and address; `meta` as consul-k8s sets it (e.g. `pod-name`). */
export interface SidecarPlace {
  id?: string;
  node?: string;
  address?: string;
  meta?: Record<string, string>;
}

/**
 * Registers `<service>-sidecar-proxy` on node n1 (10.0.0.7, port 20000) and expects Consul's 200.
 * `proxy` adds to the registration's Proxy block (e.g. `{ MutualTLSMode: 'permissive' }`); `place`
 * registers another instance of it elsewhere.
 */
export async function registerSidecar(consulUrl: string, service = 'api', proxy: Record<string, unknown> = {}, place: SidecarPlace = {}): Promise<void> {
  const res = await fetch(`${consulUrl}/v1/catalog/register`, {
    method: 'PUT',
    body: JSON.stringify({
      Node: place.node ?? 'n1',
      Address: place.address ?? '10.0.0.7',
      Service: {
        ...(place.id ? { ID: place.id } : {}),
        Kind: 'connect-proxy',
        Service: `${service}-sidecar-proxy`,
        Port: 20000,
        ...(place.meta ? { Meta: place.meta } : {}),
        Proxy: { DestinationServiceName: service, ...proxy },
      },
    }),
  });
  expect(res.status).toBe(200);
}
