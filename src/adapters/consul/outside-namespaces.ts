// The advisor's read of the namespaces a target does not manage (Consul Enterprise): the mesh
// entry's AllowEnablingPermissiveMutualTLS is one per partition, so the mesh lockdown speaks for
// every namespace of it, including those another team's target (or nobody) manages.
import type { ConsulClient } from './client.ts';
import type { ServiceRef } from '../../core/advisor/model.ts';
import { fieldText } from '../../model/field-text.ts';

/**
 * service-defaults with `MutualTLSMode = "permissive"` in namespaces of the client's partition the
 * target does not manage: one `GET /v1/config/service-defaults?ns=*` with a filter. Without
 * `namespaces` on the target (CE, where everything is in `default`) or with `namespaces: all`,
 * the advisor already reads every namespace, so nothing is asked. A read ACLs stop throws
 * (`incomplete-read` names the permission): unknown is never "none".
 */
export function consulOutsideNamespaces(consul: ConsulClient): { permissiveServices(): Promise<ServiceRef[]> } {
  return {
    async permissiveServices() {
      const managed = consul.options.managedNamespaces;
      if (managed === undefined || managed === 'all') return [];
      const inside = new Set(managed.map((n) => n.toLowerCase()));
      const { entries } = await consul.listEntries('service-defaults', { namespace: '*', filter: 'MutualTLSMode == "permissive"' });
      const partition = consul.options.partition || 'default';
      // The filter saves the transfer; the mode is checked here too, since the answer is the evidence.
      return entries
        .filter((e) => fieldText(e.MutualTLSMode).toLowerCase() === 'permissive')
        .map((e) => ({ name: fieldText(e.Name), namespace: fieldText(e.Namespace) || 'default', partition: fieldText(e.Partition) || partition }))
        .filter((s) => !inside.has(s.namespace.toLowerCase()));
    },
  };
}
