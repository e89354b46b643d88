// What a WAN-federated datacenter whose catalog could not be listed means, in the user's words: a
// service there permissive through proxy-defaults alone got no verdict, so no mesh-wide decision
// (the lockdown, proxy-defaults going strict) can rest on the verdicts given.
import type { CatalogUnlisted } from './model.ts';

export function unlistedDatacenterText(u: CatalogUnlisted): string {
  const what =
    u.datacenter === undefined
      ? 'the datacenters Consul knows could not be listed (GET /v1/catalog/datacenters), so the services of other WAN-federated datacenters were not listed either'
      : `the services with a sidecar in datacenter ${u.datacenter}, which is WAN-federated with this one (proxy-defaults and the mesh entry replicate there), could not be listed`;
  return `${what}: ${u.unreadable}; a service there permissive through proxy-defaults alone got no verdict, so neither proxy-defaults going strict nor the mesh lockdown can be judged safe`;
}
