// The advisor's catalog on a ConsulClient: the connect-enabled services of every namespace the
// target manages, each named with its namespace and partition (the ConnectCatalog of src/app/advise.ts).
import type { ConsulClient } from './client.ts';
import { mapBounded, NAMESPACE_READ_CONCURRENCY } from './bounded-reads.ts';
import type { ServiceRef } from '../../core/advisor/model.ts';

/**
 * No `namespaces` on the target (CE, or one namespace): the client's own catalog, one request set,
 * no `ns`. A list: each named namespace's catalog (`?ns=`). `all`: each namespace `GET /v1/namespaces`
 * lists, since `/v1/catalog/services` answers a map keyed by service name, which cannot say which
 * namespace a name came from. At most NAMESPACE_READ_CONCURRENCY namespaces are read at once. A
 * namespace ACLs hide throws `incomplete-read` from the client: a service left out would be a
 * verdict missing without a word.
 */
export function consulConnectCatalog(consul: ConsulClient): { connectEnabledServices(): Promise<ServiceRef[]> } {
  const partition = consul.options.partition || 'default';
  return {
    async connectEnabledServices() {
      const lists = await mapBounded(await catalogNamespaces(consul), NAMESPACE_READ_CONCURRENCY, async (namespace) =>
        (await consul.connectEnabledServices(namespace)).map((name) => ({ name, namespace: namespace ?? (consul.options.namespace || 'default'), partition })),
      );
      return lists.flat();
    },
  };
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
