// service-resolver: subsets, redirect, failover and load balancing for one service
// (api/config_entry_discoverychain.go ServiceResolverConfigEntry).
import { bool, durationNs, durationStr, list, map, obj, pointer, str, strings, uint32, uint64 } from '../field-types.ts';
import type { EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, tenancy, validateMeta, withKind } from './common.ts';
import { goQuote } from './service-router.ts';
import { resolverRelatedServices } from '../related-services.ts';
import { fieldText } from '../field-text.ts';

const failoverTarget = obj({
  Service: str,
  ServiceSubset: str,
  Partition: str,
  Namespace: str,
  Datacenter: str,
  Peer: str,
});

// Go pointers to structs in the server struct (agent/structs/config_entry_discoverychain.go:
// ServiceResolverConfigEntry `Redirect *ServiceResolverRedirect`, `PrioritizeByLocality
// *ServiceResolverPrioritizeByLocality`, `LoadBalancer *LoadBalancer`; LoadBalancer's
// `RingHashConfig`, `LeastRequestConfig`, HashPolicy's `CookieConfig`; ServiceResolverFailover's
// `Policy`), every field inside `omitempty`: an empty block is stored and GET answers `{}`. Validate
// reads them as set: `Redirect {}` is "Redirect is empty", `RingHashConfig {}` without the
// ring_hash policy "RingHashConfig specified for incompatible load balancing policy". Failover
// values and targets are plain structs in maps and lists.
const loadBalancer = pointer(
  obj({
    Policy: str,
    RingHashConfig: pointer(obj({ MinimumRingSize: uint64, MaximumRingSize: uint64 })), // api: uint64
    LeastRequestConfig: pointer(obj({ ChoiceCount: uint32 })), // api: uint32
    HashPolicies: list(
      obj({
        Field: str,
        FieldValue: str,
        CookieConfig: pointer(obj({ Session: bool, TTL: durationNs, Path: str })),
        SourceIP: bool,
        Terminal: bool,
      }),
    ),
  }),
);

const LB_POLICIES = ['', 'random', 'round_robin', 'least_request', 'ring_hash', 'maglev'];
const HASH_FIELDS = ['header', 'cookie', 'query_parameter'];
const SUBSET_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Go time.ParseDuration for the forms config files use; NaN when unparsable. */
export function parseGoDuration(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(v.trim());
  if (!m) return v.trim() === '0' ? 0 : NaN;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const [, num, u] of m[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(num) * unit[u];
  return m[1] === '-' ? -total : total;
}

type Failover = Record<string, unknown> & {
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Datacenters?: string[];
  Targets?: Record<string, string | undefined>[];
  SamenessGroup?: string;
};

export const serviceResolver: KindDefinition = {
  kind: 'service-resolver',
  crdKind: 'ServiceResolver',
  applyOrder: 50,
  orderRole: 'provider',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  relatedServices: resolverRelatedServices,
  acl: { read: 'service', write: 'service' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    ...tenancy,
    DefaultSubset: str,
    Subsets: map(obj({ Filter: str, OnlyPassing: bool })),
    Redirect: pointer(
      obj({
        Service: str,
        ServiceSubset: str,
        Namespace: str,
        Partition: str,
        Datacenter: str,
        Peer: str,
        SamenessGroup: str,
      }),
    ),
    Failover: map(
      obj({
        Service: str,
        ServiceSubset: str,
        Namespace: str,
        Datacenters: strings,
        Targets: list(failoverTarget),
        Policy: pointer(obj({ Mode: str, Regions: strings })),
        SamenessGroup: str,
      }),
    ),
    // Custom MarshalJSON on the resolver: Go duration strings.
    ConnectTimeout: durationStr,
    RequestTimeout: durationStr,
    PrioritizeByLocality: pointer(obj({ Mode: str })),
    LoadBalancer: loadBalancer,
    ...meta,
  },
  normalize: (entry) => ({ ...withKind(entry, 'service-resolver') }),
  validate(entry) {
    const problems: EntryProblem[] = [];
    const name = (entry.Name as string | undefined) ?? '';
    if (!name) problems.push({ field: 'Name', message: 'Name is required' });
    problems.push(...validateMeta(entry));
    const subsets = (entry.Subsets as Record<string, { Filter?: string }> | undefined) ?? {};
    for (const s of Object.keys(subsets)) {
      const f = `Subsets.${s}`;
      if (s === '') {
        problems.push({ field: 'Subsets', message: 'Subset defined with empty name' });
        continue;
      }
      if (s.length > 63) problems.push({ field: f, message: `Subset ${goQuote(s)} is invalid: must be non-empty and 63 characters or fewer` });
      else if (!SUBSET_NAME.test(s))
        problems.push({
          field: f,
          message: `Subset ${goQuote(s)} is invalid: must be 63 characters or fewer, begin or end with lower case alphanumeric characters, and contain lower case alphanumeric characters or '-' in between`,
        });
      // Subset Filter expressions (bexpr) are not parsed here.
    }
    const isSubset = (s: string) => Object.prototype.hasOwnProperty.call(subsets, s);
    const defaultSubset = entry.DefaultSubset as string | undefined;
    if (defaultSubset && !isSubset(defaultSubset))
      problems.push({ field: 'DefaultSubset', message: `DefaultSubset ${goQuote(defaultSubset)} is not a valid subset` });

    const failover = (entry.Failover as Record<string, Failover> | undefined) ?? {};
    const failoverKeys = Object.keys(failover);
    const r = entry.Redirect as Record<string, string | undefined> | undefined;
    if (r) {
      if (failoverKeys.length > 0) problems.push({ field: 'Redirect', message: 'Redirect and Failover cannot both be set' });
      const empty = !r.Service && !r.ServiceSubset && !r.Namespace && !r.Partition && !r.Datacenter && !r.Peer && !r.SamenessGroup;
      const push = (field: string, message: string) => problems.push({ field: `Redirect.${field}`, message });
      if (empty) problems.push({ field: 'Redirect', message: 'Redirect is empty' });
      else if (r.Peer && r.ServiceSubset) push('Peer', 'Redirect.Peer cannot be set with Redirect.ServiceSubset');
      else if (r.Peer && r.Partition) push('Partition', 'Redirect.Partition cannot be set with Redirect.Peer');
      else if (r.Peer && r.Datacenter) push('Peer', 'Redirect.Peer cannot be set with Redirect.Datacenter');
      else if (!r.Service) {
        if (r.ServiceSubset) push('ServiceSubset', 'Redirect.ServiceSubset defined without Redirect.Service');
        else if (r.Namespace) push('Namespace', 'Redirect.Namespace defined without Redirect.Service');
        else if (r.Partition) push('Partition', 'Redirect.Partition defined without Redirect.Service');
        else if (r.Peer) push('Peer', 'Redirect.Peer defined without Redirect.Service');
      } else if (r.ServiceSubset && r.Service === name && !isSubset(r.ServiceSubset))
        push('ServiceSubset', `Redirect.ServiceSubset ${goQuote(r.ServiceSubset)} is not a valid subset of ${goQuote(name)}`);
    }

    for (const subset of failoverKeys) {
      const f = failover[subset] ?? {};
      const at = `Failover.${subset}`;
      const prefix = `Bad Failover[${goQuote(subset)}]: `;
      const targets = f.Targets ?? [];
      const datacenters = f.Datacenters ?? [];
      if (subset !== '*' && !isSubset(subset)) {
        problems.push({ field: at, message: `${prefix}not a valid subset subset` });
        continue;
      }
      if (!f.Service && !f.ServiceSubset && !f.Namespace && datacenters.length === 0 && targets.length === 0 && !f.SamenessGroup) {
        problems.push({ field: at, message: `${prefix}one of Service, ServiceSubset, Namespace, Targets, or Datacenters is required` });
        continue;
      }
      if (f.ServiceSubset && (!f.Service || f.Service === name) && !isSubset(f.ServiceSubset))
        problems.push({
          field: `${at}.ServiceSubset`,
          message: `${prefix}ServiceSubset ${goQuote(f.ServiceSubset)} is not a valid subset of ${goQuote(f.Service ?? '')}`,
        });
      if (datacenters.length && targets.length)
        problems.push({ field: `${at}.Targets`, message: `Bad Failover[${goQuote(subset)}]: Targets cannot be set with Datacenters` });
      if (f.ServiceSubset && targets.length)
        problems.push({ field: `${at}.Targets`, message: `Bad Failover[${goQuote(subset)}]: Targets cannot be set with ServiceSubset` });
      if (f.Service && targets.length)
        problems.push({ field: `${at}.Targets`, message: `Bad Failover[${goQuote(subset)}]: Targets cannot be set with Service` });
      targets.forEach((t, i) => {
        const tp = `Bad Failover[${goQuote(subset)}].Targets[${i}]: `;
        const field = `${at}.Targets[${i}]`;
        if (t.Peer && t.ServiceSubset) problems.push({ field, message: `${tp}Peer cannot be set with ServiceSubset` });
        else if (t.Peer && t.Partition) problems.push({ field, message: `${tp}Partition cannot be set with Peer` });
        else if (t.Peer && t.Datacenter) problems.push({ field, message: `${tp}Peer cannot be set with Datacenter` });
        else if (t.Partition && t.Datacenter) problems.push({ field, message: `${tp}Partition cannot be set with Datacenter` });
        else if (t.ServiceSubset && (!t.Service || t.Service === name) && !isSubset(t.ServiceSubset))
          problems.push({ field, message: `${tp}ServiceSubset ${goQuote(t.ServiceSubset)} is not a valid subset of ${goQuote(name)}` });
      });
      if (datacenters.some((dc) => dc === ''))
        problems.push({ field: `${at}.Datacenters`, message: `Bad Failover[${goQuote(subset)}].Datacenters: found empty datacenter` });
    }

    for (const k of ['ConnectTimeout', 'RequestTimeout'] as const) {
      const raw = entry[k];
      if (raw === undefined || raw === '') continue;
      if (parseGoDuration(raw) < 0) problems.push({ field: k, message: `Bad ${k} '${fieldText(raw)}', must be >= 0` });
    }

    const lb = entry.LoadBalancer as
      | {
          Policy?: string;
          RingHashConfig?: unknown;
          LeastRequestConfig?: unknown;
          HashPolicies?: (Record<string, unknown> & { CookieConfig?: { Session?: unknown; TTL?: unknown } })[];
        }
      | undefined;
    if (lb) {
      const policy = lb.Policy ?? '';
      if (!LB_POLICIES.includes(policy))
        problems.push({ field: 'LoadBalancer.Policy', message: `Bad LoadBalancer policy: ${goQuote(policy)} is not supported` });
      else if (policy !== 'ring_hash' && lb.RingHashConfig)
        problems.push({
          field: 'LoadBalancer.RingHashConfig',
          message: `Bad LoadBalancer configuration. RingHashConfig specified for incompatible load balancing policy ${goQuote(policy)}`,
        });
      else if (policy !== 'least_request' && lb.LeastRequestConfig)
        problems.push({
          field: 'LoadBalancer.LeastRequestConfig',
          message: `Bad LoadBalancer configuration. LeastRequestConfig specified for incompatible load balancing policy ${goQuote(policy)}`,
        });
      else if (policy !== 'ring_hash' && policy !== 'maglev' && (lb.HashPolicies?.length ?? 0) > 0)
        problems.push({
          field: 'LoadBalancer.HashPolicies',
          message: `Bad LoadBalancer configuration: HashPolicies specified for non-hash-based Policy: ${goQuote(policy)}`,
        });
      (lb.HashPolicies ?? []).forEach((hp, i) => {
        const field = `LoadBalancer.HashPolicies[${i}]`;
        const p = `Bad LoadBalancer HashPolicy[${i}]: `;
        const hf = (hp.Field as string | undefined) ?? '';
        const fv = (hp.FieldValue as string | undefined) ?? '';
        if (hf && !HASH_FIELDS.includes(hf)) problems.push({ field, message: `${p}${goQuote(hf)} is not a supported field` });
        else if (hp.SourceIP && hf) problems.push({ field, message: `${p}A single hash policy cannot hash both a source address and a ${goQuote(hf)}` });
        else if (hp.SourceIP && fv) problems.push({ field, message: `${p}A FieldValue cannot be specified when hashing SourceIP` });
        else if (hf && !fv) problems.push({ field, message: `${p}Field ${goQuote(hf)} was specified without a FieldValue` });
        else if (fv && !hf) problems.push({ field, message: `${p}FieldValue requires a Field to apply to` });
        else if (hp.CookieConfig) {
          if (hf !== 'cookie') problems.push({ field, message: `${p}cookie_config provided for ${goQuote(hf)}` });
          else if (hp.CookieConfig.Session && hp.CookieConfig.TTL) problems.push({ field, message: `${p}a session cookie cannot have an associated TTL` });
        }
      });
    }
    return problems;
  },
};
