// The advisor's catalog on a ConsulClient: the connect-enabled services of every namespace the
// target manages, in our datacenter and in every WAN-federated one, each named with its namespace
// and partition (the ConnectCatalog of src/app/advise.ts).
import type { ConsulClient } from './client.ts';
import { mapBounded, NAMESPACE_READ_CONCURRENCY } from './bounded-reads.ts';
import { serviceKey, type CatalogUnlisted, type ConnectListing, type ServiceRef } from '../../core/advisor/model.ts';
import { readFederation, whyUnread } from './federation.ts';

/**
 * No `namespaces` on the target (CE, or one namespace): the client's own catalog, one request set,
 * no `ns`. A list: each named namespace's catalog (`?ns=`). `all`: each namespace `GET /v1/namespaces`
 * lists, since `/v1/catalog/services` answers a map keyed by service name, which cannot say which
 * namespace a name came from. At most NAMESPACE_READ_CONCURRENCY namespaces are read at once. A
 * namespace ACLs hide throws `incomplete-read` from the client: a service left out would be a
 * verdict missing without a word.
 *
 * Config entries replicate to every WAN-federated datacenter, so `proxy-defaults global` saying
 * permissive reaches a service whose sidecars run only in dc2: the same read is made there (`?dc=`)
 * and its services judged with ours. A datacenter whose catalog cannot be read (or a datacenters
 * list that cannot be) is a value in `unlisted`, never an empty list nor a failed run: a secondary
 * may stay unreachable for long, and the mesh-wide decisions wait for it instead.
 */
export function consulConnectCatalog(consul: ConsulClient): { connectEnabledServices(): Promise<ServiceRef[]>; federatedListing(): Promise<ConnectListing> } {
  const federatedListing = async (): Promise<ConnectListing> => {
    const [ours, federation] = await Promise.all([servicesIn(consul), readFederation(consul)]);
    const unlisted: CatalogUnlisted[] = federation.unreadable ? [{ unreadable: federation.unreadable }] : [];
    const elsewhere = await Promise.all(
      federation.others.map(async (dc) => {
        try {
          return await servicesIn(consul, dc);
        } catch (e) {
          unlisted.push({ datacenter: dc, unreadable: whyUnread(e) });
          return [];
        }
      }),
    );
    const byKey = new Map<string, ServiceRef>();
    for (const s of [...ours, ...elsewhere.flat()]) if (!byKey.has(serviceKey(s))) byKey.set(serviceKey(s), s);
    return { services: [...byKey.values()], unlisted };
  };
  return {
    // The lockdown's passthrough read: every datacenter's services, since MeshDestinationsOnly
    // replicates with the mesh entry; an unlisted datacenter already holds the lockdown back.
    connectEnabledServices: async () => (await federatedListing()).services,
    federatedListing,
  };
}

/** The connect-enabled services of every namespace the target manages, in `dc` (default: the client's). */
async function servicesIn(consul: ConsulClient, dc?: string): Promise<ServiceRef[]> {
  const partition = consul.options.partition || 'default';
  const lists = await mapBounded(await catalogNamespaces(consul), NAMESPACE_READ_CONCURRENCY, async (namespace) =>
    (await consul.connectEnabledServices(namespace, dc)).map((name) => ({ name, namespace: namespace ?? (consul.options.namespace || 'default'), partition })),
  );
  return lists.flat();
}

/**
 * The namespaces whose catalogs a read covers, as described above: `[undefined]` (the client's own,
 * no `ns`) without `namespaces` on the target, each named one (lower-cased, once), or every one
 * `GET /v1/namespaces` lists for `all`. The audit's permissive-sidecar read goes the same way.
 */
export async function catalogNamespaces(consul: ConsulClient): Promise<(string | undefined)[]> {
  const managed = consul.options.managedNamespaces;
  if (managed === undefined) return [undefined];
  return managed === 'all' ? consul.namespaceNames() : [...new Set(managed.map((n) => n.toLowerCase()))];
}
