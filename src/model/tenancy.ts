// Enterprise tenancy facts: which kinds live in a namespace, how Consul Enterprise fills the nested
// namespace/partition fields it normalises, and how a server says it is Enterprise. Pure data and
// functions. Consul Enterprise's own source is not public: every rule here is pinned from the
// Enterprise-visible CE source (agent/structs, agent/config_endpoint.go) and the API docs, cited
// per rule and listed in docs/enterprise.md.
import type { ApiEntry } from './kind-definition.ts';
import { formatVersion, parseConsulVersion, SUPPORTED_CONSUL, type ConsulVersion } from './consul-versions.ts';

/** Consul's name for the namespace and partition an omitted one means (acl.DefaultNamespaceName). */
export const DEFAULT_TENANCY = 'default';
/** `?ns=*`: every namespace of the partition (structs.WildcardSpecifier; list endpoints only). */
export const WILDCARD = '*';

/**
 * Kinds that belong to a partition, not a namespace: their Normalize() replaces the entry's
 * EnterpriseMeta with `DefaultEnterpriseMetaInPartition(...)` (exported-services, jwt-provider in
 * agent/structs/config_entry_exports.go and config_entry_jwt_provider.go), or Consul documents them
 * as "must be the default namespace" (proxy-defaults, mesh, sameness-group; control-plane-request-limit
 * is cluster-wide). They are listed once, in the default namespace, whatever namespaces a target manages.
 */
export const PARTITION_KINDS: ReadonlySet<string> = new Set([
  'proxy-defaults',
  'mesh',
  'exported-services',
  'sameness-group',
  'jwt-provider',
  'control-plane-request-limit',
]);

export function isNamespacedKind(kind: string): boolean {
  return !PARTITION_KINDS.has(kind);
}

/** `GET /v1/agent/self` Config.Version of an Enterprise build ends in `+ent` (version/version.go VersionMetadata). */
export function isEnterpriseVersion(text: string | undefined): boolean {
  return text !== undefined && /\+ent\b/i.test(text.trim());
}

/** The target's Consul: its version, and whether it is Enterprise (`1.21.4+ent`). */
export type TargetConsul = ConsulVersion & { enterprise?: true };

export function parseTargetConsul(text: string | undefined): TargetConsul | undefined {
  if (!text) return undefined;
  const v = parseConsulVersion(text);
  if (!v) return undefined;
  return isEnterpriseVersion(text) ? { ...v, enterprise: true } : v;
}

/** `1.21.4`, or `1.21.4+ent` for Enterprise: the form Consul reports and parseTargetConsul reads back. */
export function formatTargetConsul(consul: ConsulVersion): string {
  return `${formatVersion(consul)}${isEnterprise(consul) ? '+ent' : ''}`;
}

/**
 * The Consul a live entry was read from, as far as tenancy goes: Enterprise when the target's version
 * says `+ent`, or when the entry itself carries a `Partition` (Enterprise's Normalize() fills it with
 * `default` and its API always returns it; CE's EnterpriseMeta is an empty struct, so a CE answer
 * never has one: acl/enterprisemeta_ce.go). The entry is the evidence that needs no agent:read.
 */
export function consulOfLive(entry: ApiEntry, consul: ConsulVersion | undefined): TargetConsul | undefined {
  if (isEnterprise(consul) || typeof entry.Partition !== 'string' || entry.Partition === '') return consul;
  return { ...(consul ?? parseConsulVersion(SUPPORTED_CONSUL.newest)!), enterprise: true };
}

export function isEnterprise(consul: ConsulVersion | undefined): boolean {
  return consul !== undefined && 'enterprise' in consul && consul.enterprise === true;
}

/**
 * The partition an entry is written to: its own `Partition`, else the target's (consul.partition),
 * else `default`, CE's only partition. exported-services is named after it: CE's
 * validateExportedServicesName (agent/structs/config_entry_ce.go) wants "default"; on Enterprise the
 * entry exports its partition's services and carries that partition's name (Consul docs,
 * exported-services reference, `Name`; consul-k8s api/v1alpha1/exportedservices_types.go
 * ExportedServices.Validate: "resource name must be the same name as the partition").
 */
export function partitionOf(entry: ApiEntry, targetPartition?: string): string {
  return (typeof entry.Partition === 'string' && entry.Partition) || targetPartition || DEFAULT_TENANCY;
}

/** Which namespaces a target manages: consul-gitops.yaml `namespaces: all | [a, b]`. */
export type ManagedNamespaces = 'all' | readonly string[];

/**
 * The `?ns=` values one kind is listed with, so that every namespace the target manages is seen:
 * `*` for all (agent/config_endpoint.go configGet: a list parses `parseEntMeta`, which accepts the
 * wildcard; a read by name uses `parseEntMetaNoWildcard`); one request per named namespace; a
 * partition-level kind once, in `default`. `undefined`: the client's own namespace (CE and targets
 * that name none), one request as before.
 */
export function listNamespaces(kind: string, managed: ManagedNamespaces | undefined): (string | undefined)[] {
  if (managed === undefined) return [undefined];
  if (managed === 'all') return [WILDCARD];
  if (!isNamespacedKind(kind)) return [DEFAULT_TENANCY];
  return [...new Set(managed.map((n) => n.toLowerCase()))];
}

/** Same namespace or partition as Consul names it: empty is `default`, names compare case-insensitively (the memdb index lower-cases them). */
export function sameTenancy(a: string | undefined, b: string | undefined): boolean {
  return (a || DEFAULT_TENANCY).toLowerCase() === (b || DEFAULT_TENANCY).toLowerCase();
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Drops `obj[key]` when it is what Consul Enterprise fills an empty one with (`implied`). */
function elide(obj: Rec, key: string, implied: string): Rec {
  if (!(key in obj)) return obj;
  const v = text(obj[key]);
  if (v !== '' && !sameTenancy(v, implied)) return obj;
  const { [key]: _implied, ...rest } = obj;
  return rest;
}

/** MergeNoWildcard: an empty nested namespace inherits the entry's, unless the entry's is `*`. */
function inherited(entryValue: unknown): string {
  const v = text(entryValue);
  return v === '' || v === WILDCARD ? DEFAULT_TENANCY : v;
}

/**
 * The comparison form of an entry's nested tenancy fields on Consul Enterprise: a nested namespace
 * or partition equal to what Enterprise's Normalize() fills an empty one with is dropped, on both
 * sides of the diff, so a file that omits it and Consul's copy that spells it out compare equal,
 * while any other value (another namespace, a peer) still shows as a change. On CE the entry is
 * returned as is (CE's EnterpriseMeta is empty: acl/enterprisemeta_ce.go).
 *
 * - service-intentions `Sources[]`: a source with `Peer` or `SamenessGroup` gets only its namespace
 *   normalised (to `default`); any other inherits the entry's namespace and partition
 *   (ServiceIntentionsConfigEntry.normalize, agent/structs/config_entry_intentions.go).
 * - exported-services `Services[].Namespace`: `acl.NormalizeNamespace` → `default` when empty
 *   (ExportedServicesConfigEntry.Normalize); `Consumers[]` are stored as written.
 * - service-router `Routes[].Destination.Namespace/Partition`: the entry's, only for routes with a
 *   `Match.HTTP` (ServiceRouterConfigEntry.Normalize, agent/structs/config_entry_discoverychain.go).
 * - service-defaults `UpstreamConfig.Overrides[]`: inherit the entry's (UpstreamConfig.NormalizeWithName,
 *   MergeNoWildcard then Normalize, agent/structs/config_entry.go).
 * - service-resolver Redirect/Failover and service-splitter Splits[] are stored as written: their
 *   Normalize() does not touch them (the splitter's loop works on a copy), so they compare exactly.
 */
export function canonicalNestedTenancy(entry: ApiEntry, consul: ConsulVersion | undefined): ApiEntry {
  if (!isEnterprise(consul)) return entry;
  const ns = inherited(entry.Namespace);
  const partition = inherited(entry.Partition);
  switch (entry.Kind) {
    case 'service-intentions': {
      if (!Array.isArray(entry.Sources)) return entry;
      const Sources = entry.Sources.map((s: unknown) => {
        if (!isRec(s)) return s;
        if (text(s.Peer) || text(s.SamenessGroup)) return elide(s, 'Namespace', DEFAULT_TENANCY);
        return elide(elide(s, 'Namespace', ns), 'Partition', partition);
      });
      return { ...entry, Sources };
    }
    case 'exported-services': {
      if (!Array.isArray(entry.Services)) return entry;
      return { ...entry, Services: entry.Services.map((s: unknown) => (isRec(s) ? elide(s, 'Namespace', DEFAULT_TENANCY) : s)) };
    }
    case 'service-router': {
      if (!Array.isArray(entry.Routes)) return entry;
      const Routes = entry.Routes.map((r: unknown) => {
        if (!isRec(r) || !isRec(r.Destination) || !isRec(r.Match) || !isRec(r.Match.HTTP)) return r;
        return { ...r, Destination: elide(elide(r.Destination, 'Namespace', ns), 'Partition', partition) };
      });
      return { ...entry, Routes };
    }
    case 'service-defaults': {
      const up = entry.UpstreamConfig;
      if (!isRec(up) || !Array.isArray(up.Overrides)) return entry;
      const Overrides = up.Overrides.map((o: unknown) => (isRec(o) ? elide(elide(o, 'Namespace', ns), 'Partition', partition) : o));
      return { ...entry, UpstreamConfig: { ...up, Overrides } };
    }
    default:
      return entry;
  }
}

/**
 * How consul-k8s maps a Kubernetes namespace to a Consul namespace, as its Helm values say
 * (`connectInject.consulNamespaces.*`, consul-gitops.yaml `crdNamespaces`). Absent: consul-gitops
 * does not map CRD namespaces (the entry goes to the target's namespace, with a warning).
 */
export interface CrdNamespaces {
  /** Each CRD's entry goes to the Consul namespace named after its Kubernetes namespace. */
  mirroringK8S: boolean;
  /** Put before the mirrored name (`k8s-` → `k8s-billing`); only with mirroringK8S. */
  mirroringK8SPrefix?: string;
  /** Without mirroring, every CRD's entry goes here (Helm's default: `default`). */
  consulDestinationNamespace: string;
}

/**
 * The Consul namespace consul-k8s writes a CRD's entry to, or undefined for a partition-level kind
 * (written without a namespace, listed in `default`). consul-k8s
 * control-plane/controllers/configentries/configentry_controller.go `consulNamespace`: an entry that
 * carries a Namespace keeps it (only ServiceIntentions, whose spec.destination.namespace the webhook
 * defaults: api/v1alpha1/serviceintentions_types.go DefaultNamespaceFields); a global resource
 * (`ConsulGlobalResource()`: ProxyDefaults, Mesh, ExportedServices, JWTProvider,
 * ControlPlaneRequestLimit) goes to its `ConsulMirroringNS()`, `default`; any other to
 * control-plane/namespaces/namespaces.go `ConsulNamespace(kubeNS, …)`: mirroring takes precedence
 * (prefix + Kubernetes namespace), else the destination namespace. SamenessGroup is not global in
 * consul-k8s but its ConsulMirroringNS() is `default`; Consul documents sameness groups as
 * partition-level, so it is treated like the other partition kinds (PARTITION_KINDS).
 */
export function crdConsulNamespace(kind: string, kubeNamespace: string, options: CrdNamespaces): string | undefined {
  if (!isNamespacedKind(kind)) return undefined;
  return options.mirroringK8S ? `${options.mirroringK8SPrefix ?? ''}${kubeNamespace}` : options.consulDestinationNamespace;
}

/** A Kubernetes namespace name: an RFC 1123 label (k8s.io/apimachinery validation.IsDNS1123Label). */
const KUBE_NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * crdConsulNamespace read backwards: where a CRD for an entry in `consulNamespace` must say it lives.
 * `kubeNamespace` is the metadata.namespace consul-k8s needs to write the entry there, absent when
 * any will do (a partition-level kind; a destination namespace, which every Kubernetes namespace
 * maps to). Refused when no Kubernetes namespace maps there: consul-k8s could never have written
 * the entry, and a CRD for it would plan in another namespace. Intentions are not mapped: their
 * spec.destination.namespace says the Consul namespace itself (configentry_controller.go consulNamespace).
 */
export function crdKubeNamespace(
  kind: string,
  consulNamespace: string | undefined,
  options: CrdNamespaces,
): { ok: true; kubeNamespace?: string } | { ok: false; reason: string } {
  if (!isNamespacedKind(kind)) return { ok: true };
  const ns = consulNamespace || DEFAULT_TENANCY;
  if (!options.mirroringK8S) {
    if (sameTenancy(ns, options.consulDestinationNamespace)) return { ok: true };
    return {
      ok: false,
      reason: `it is in the Consul namespace "${ns}", and consul-k8s writes every CRD's entry to "${options.consulDestinationNamespace}" (crdNamespaces.consulDestinationNamespace)`,
    };
  }
  const prefix = options.mirroringK8SPrefix ?? '';
  const kube = ns.startsWith(prefix) ? ns.slice(prefix.length) : undefined;
  if (kube !== undefined && KUBE_NAMESPACE.test(kube)) return { ok: true, kubeNamespace: kube };
  return {
    ok: false,
    reason: `it is in the Consul namespace "${ns}", which is not ${prefix ? `"${prefix}" followed by ` : ''}a Kubernetes namespace name: consul-k8s mirroring Kubernetes namespaces (crdNamespaces.mirroringK8S) never writes there`,
  };
}
