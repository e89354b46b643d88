// The posture audit's and the mTLS audit's reads on a ConsulClient: the ports src/app/audit.ts and
// src/app/posture.ts declare. A read ACLs stop becomes an unknown fact naming the permission that
// would answer it; anything else is rethrown. Shared by `audit` and the schedule's dashboard.
import type { ConsulClient } from './client.ts';
import { isConsulError } from './errors.ts';
import { baseUrlOf } from './options.ts';
import type { AuditSource } from '../../app/ports/audit-source.ts';
import type { PostureSource } from '../../app/ports/posture-source.ts';
import type { Known } from '../../core/posture/facts.ts';
import { listNamespaces } from '../../model/tenancy.ts';
import { scopedServiceName } from '../../core/advisor/service-scope.ts';
import { mapBounded, NAMESPACE_READ_CONCURRENCY } from './bounded-reads.ts';
import { catalogNamespaces } from './connect-catalog.ts';
import { outsideTargetRead, PERMISSIVE_SIDECARS_FILTER } from './outside-namespaces.ts';
import { readFederation, whyUnread } from './federation.ts';

/** `outside`: the run's one read of the rest of the partition (outsideTargetRead), when the lockdown gate shares it. */
export function consulAuditSource(consul: ConsulClient, outside = outsideTargetRead(consul)): AuditSource {
  return {
    // Every namespace the target manages, as plan lists them (`?ns=*`, or each named one): a
    // permissive service in another namespace still takes plaintext, so the mesh is not strict.
    listFiltered: async (kind, filter) => {
      const namespaces = listNamespaces(kind, consul.options.managedNamespaces);
      const lists = await mapBounded(
        namespaces,
        NAMESPACE_READ_CONCURRENCY,
        async (namespace) => (await consul.listEntries(kind, { filter, ...(namespace ? { namespace } : {}) })).entries,
      );
      return lists.flat();
    },
    get: async (kind, name) => (await consul.getEntry(kind, name)).entry,
    // One filtered catalog read per namespace: /v1/catalog/services filters over ServiceNodes, and
    // a sidecar ACLs hide makes the read incomplete (an error), never "none". Its answer is keyed by
    // name alone, so `namespaces: all` reads each namespace /v1/namespaces lists (as the advisor's
    // catalog does), never `?ns=*`, and a sidecar outside the default namespace is named with it.
    permissiveSidecars: () => permissiveSidecarsIn(consul),
    // The same read in each other WAN-federated datacenter; one that cannot be read is a value (it may stay unreachable).
    otherDatacenters: async () => {
      const { others } = await readFederation(consul);
      return Promise.all(
        others.map(async (datacenter) => {
          try {
            return { datacenter, permissiveSidecars: await permissiveSidecarsIn(consul, datacenter) };
          } catch (e) {
            return { datacenter, unreadable: whyUnread(e) };
          }
        }),
      );
    },
    // The same `?ns=*` read as the advisor's lockdown gate; a read ACLs stop is a value, as posture's facts are.
    outsideTarget: outside,
  };
}

/** Sidecars registered permissive in every namespace the target manages, in `dc` (default: the client's). */
async function permissiveSidecarsIn(consul: ConsulClient, dc?: string): Promise<string[]> {
  const partition = consul.options.partition || 'default';
  const lists = await mapBounded(await catalogNamespaces(consul), NAMESPACE_READ_CONCURRENCY, async (namespace) =>
    Object.keys(await consul.listServices(PERMISSIVE_SIDECARS_FILTER, namespace, dc)).map((name) =>
      scopedServiceName({ name, namespace: namespace ?? (consul.options.namespace || 'default'), partition }),
    ),
  );
  return [...new Set(lists.flat())].sort();
}

const AGENT_READ = 'agent:read on the agent\'s node (`agent_prefix "" { policy = "read" }`)';
const OPERATOR_READ = 'operator:read (`operator = "read"`)';

/** A read ACLs stopped (403, or a list cut short) as an unknown fact naming the permission; anything else is rethrown. */
function unknownFromError(e: unknown, permission?: string): { permission: string; why: string } {
  if (isConsulError(e) && e.kind === 'incomplete-read') return { permission: e.missingPermission ?? permission ?? 'read access', why: e.message };
  if (isConsulError(e) && e.kind === 'permission') return { permission: permission ?? 'read access', why: `${e.method} ${e.path}: ${e.status} ${e.message}` };
  throw e;
}

async function knownOrUnknown<T>(read: () => Promise<T>, permission: string): Promise<Known<T>> {
  try {
    return { known: true, value: await read() };
  } catch (e) {
    return { known: false, ...unknownFromError(e, permission) };
  }
}

/** `outside`: as for consulAuditSource. */
export function consulPostureSource(consul: ConsulClient, outside = outsideTargetRead(consul)): PostureSource {
  return {
    transport: () => ({ https: baseUrlOf(consul.options).protocol === 'https:', verifyTls: !(consul.options.tls?.insecureSkipVerify ?? false) }),
    aclSelf: () => consul.aclTokenSelf(),
    authorize: (checks, anonymous) => consul.authorize(checks, { anonymous }),
    agent: () => knownOrUnknown(() => consul.agentSelf(), AGENT_READ),
    caProvider: () => knownOrUnknown(() => consul.caProvider(), OPERATOR_READ),
    intentions: () => knownOrUnknown(async () => (await consul.listEntries('service-intentions')).entries, 'intention:read on every intention'),
    // Typical services only: proxies and gateways are reached through the service they front.
    services: () => knownOrUnknown(async () => Object.keys(await consul.listServices('ServiceKind == ""')), 'service:read on every service'),
    // The intention and service reads go to the client's namespace; the catalog's service list is
    // keyed by name alone, so `?ns=*` could not tell `api` in two namespaces apart (client.ts).
    namespaceGap: () => {
      const managed = consul.options.managedNamespaces;
      if (managed === undefined) return undefined;
      const own = (consul.options.namespace || 'default').toLowerCase();
      if (managed !== 'all' && managed.every((n) => n.toLowerCase() === own)) return undefined;
      const which = managed === 'all' ? 'every namespace (namespaces: all)' : `namespaces ${managed.join(', ')}`;
      return `the target manages ${which}, but intentions and services were read in namespace ${own} only`;
    },
    mtls: consulAuditSource(consul, outside),
    unknownFromError: (e) => unknownFromError(e),
  };
}
