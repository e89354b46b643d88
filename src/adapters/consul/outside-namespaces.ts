// The read of the namespaces a target does not manage (Consul Enterprise), for the advisor's
// lockdown gate and for `audit`: the mesh entry's AllowEnablingPermissiveMutualTLS is one per
// partition, so the mesh lockdown, and the claim that the mesh is strict, speak for every namespace
// of it, including those another team's target (or nobody) manages.
import type { ConsulClient } from './client.ts';
import { isConsulError } from './errors.ts';
import { mapBounded, NAMESPACE_READ_CONCURRENCY } from './bounded-reads.ts';
import type { ServiceRef } from '../../core/advisor/model.ts';
import type { OutsideTarget } from '../../app/ports/audit-source.ts';
import { fieldText } from '../../model/field-text.ts';

/** What the read of the rest of the partition needs, named when a token lacks it (audit and the lockdown gate alike). */
export const OUTSIDE_READ_PERMISSION = 'service:read in every namespace of the partition (`namespace_prefix "" { service_prefix "" { policy = "read" } }`)';

export interface OutsideNamespaces {
  /**
   * The read of `audit` and of the advisor's lockdown gate: every namespace of the partition but the
   * ones the target reads itself. A target without `namespaces` reads its own namespace only, so it
   * asks too (on Enterprise other namespaces may be permissive); Community Edition refuses
   * `?ns=` with a 400 (agent/http_ce.go: `Namespaces are a Consul Enterprise feature`) because it
   * has one namespace, which that read covered. Undefined: nothing is outside (that, or `namespaces: all`).
   */
  permissiveServicesInMesh(): Promise<ServiceRef[] | undefined>;
  /**
   * The read by `audit` and the lockdown gate of sidecars registered with `Proxy.MutualTLSMode = "permissive"` in the
   * namespaces it does not read itself, on Enterprise (ask permissiveServicesInMesh first: it tells
   * CE apart). The catalog's answer is keyed by name alone, so not `?ns=*`: each namespace
   * `GET /v1/namespaces` lists, as `namespaces: all` reads them (connect-catalog.ts).
   */
  permissiveSidecarsOutside(): Promise<ServiceRef[]>;
}

/** The catalog filter for sidecars whose own registration sets the mode (it wins over every config entry). */
export const PERMISSIVE_SIDECARS_FILTER = 'ServiceKind == "connect-proxy" and ServiceProxy.MutualTLSMode == "permissive"';

/**
 * service-defaults with `MutualTLSMode = "permissive"` in namespaces of the client's partition the
 * target does not manage: one `GET /v1/config/service-defaults?ns=*` with a filter. A read ACLs
 * stop throws (`incomplete-read` names the permission): unknown is never "none".
 */
export function consulOutsideNamespaces(consul: ConsulClient): OutsideNamespaces {
  return {
    async permissiveServicesInMesh() {
      const managed = consul.options.managedNamespaces;
      if (managed === 'all') return undefined;
      try {
        return await permissiveOutside(consul, managed ?? [consul.options.namespace || 'default']);
      } catch (e) {
        if (managed === undefined && isConsulError(e) && e.kind === 'bad-request' && /Namespaces are a Consul Enterprise feature/i.test(e.message))
          return undefined;
        throw e;
      }
    },
    async permissiveSidecarsOutside() {
      const managed = consul.options.managedNamespaces;
      if (managed === 'all') return [];
      const inside = new Set((managed ?? [consul.options.namespace || 'default']).map((n) => n.toLowerCase()));
      const partition = consul.options.partition || 'default';
      const outside = (await consul.namespaceNames()).filter((n) => !inside.has(n.toLowerCase()));
      const lists = await mapBounded(outside, NAMESPACE_READ_CONCURRENCY, async (namespace) =>
        Object.keys(await consul.listServices(PERMISSIVE_SIDECARS_FILTER, namespace)).map((name) => ({ name, namespace, partition })),
      );
      return lists.flat();
    },
  };
}

async function permissiveOutside(consul: ConsulClient, managed: readonly string[]): Promise<ServiceRef[]> {
  const inside = new Set(managed.map((n) => n.toLowerCase()));
  const { entries } = await consul.listEntries('service-defaults', { namespace: '*', filter: 'MutualTLSMode == "permissive"' });
  const partition = consul.options.partition || 'default';
  // The filter saves the transfer; the mode is checked here too, since the answer is the evidence.
  return entries
    .filter((e) => fieldText(e.MutualTLSMode).toLowerCase() === 'permissive')
    .map((e) => ({ name: fieldText(e.Name), namespace: fieldText(e.Namespace) || 'default', partition: fieldText(e.Partition) || partition }))
    .filter((s) => !inside.has(s.namespace.toLowerCase()));
}

/**
 * The read of the rest of the partition as one answer, asked at most once: `advise --open-prs` and
 * the schedule's run ask it for the lockdown gate and again for the posture dashboard's audit, and
 * both get this one (one `?ns=*` request a run). ACLs refusing it (a 403, a list they cut short) is
 * an answer, naming the permission; anything else (a 500, a timeout) is a failing Consul and is
 * thrown, to both: it is a fault to report as one, never "could not see the rest of the mesh".
 */
export function outsideTargetRead(consul: ConsulClient): () => Promise<OutsideTarget | undefined> {
  let answer: Promise<OutsideTarget | undefined> | undefined;
  return () => (answer ??= readOutside(consulOutsideNamespaces(consul)));
}

async function readOutside(outside: OutsideNamespaces): Promise<OutsideTarget | undefined> {
  try {
    const permissive = await outside.permissiveServicesInMesh();
    return permissive && { permissive, sidecars: await outside.permissiveSidecarsOutside() };
  } catch (e) {
    if (isConsulError(e) && e.kind === 'incomplete-read') return { unreadable: e.message, permission: e.missingPermission ?? OUTSIDE_READ_PERMISSION };
    if (isConsulError(e) && e.kind === 'permission')
      return { unreadable: `${e.method} ${e.path}: ${e.status} ${e.message}`, permission: OUTSIDE_READ_PERMISSION };
    throw e;
  }
}
