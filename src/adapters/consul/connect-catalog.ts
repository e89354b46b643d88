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
      const managed = consul.options.managedNamespaces;
      if (managed === undefined) {
        const namespace = consul.options.namespace || 'default';
        return (await consul.connectEnabledServices()).map((name) => ({ name, namespace, partition }));
      }
      const namespaces = managed === 'all' ? await consul.namespaceNames() : [...new Set(managed.map((n) => n.toLowerCase()))];
      const lists = await mapBounded(namespaces, NAMESPACE_READ_CONCURRENCY, async (namespace) =>
        (await consul.connectEnabledServices(namespace)).map((name) => ({ name, namespace, partition })),
      );
      return lists.flat();
    },
  };
}
