// The state store's cross-entry validation (validateProposedConfigEntryInGraph), run inside the
// write on every upsert and delete: the mesh gate on permissive mTLS (upsert only) and the
// HTTP-protocol requirement of routers, splitters and L7 intentions, which also refuses
// deleting or downgrading the service-defaults/proxy-defaults they depend on. It reads only the
// entries a change can affect (by kind and name, and the chains linking to a service through the
// store's link index), so a write costs the same with 10 or 20,000 entries. On Enterprise every
// lookup is in a namespace and partition: the changed entry's, or a reference's as Consul resolves it
// (a Redirect, failover target, split or route destination without them is in its referrer's; a
// jwt-provider, proxy-defaults and mesh entry in the partition's default namespace). A CE view may
// ignore them: every CE entry is in "default".
// One source of truth: the dev server runs it inside each write, and the planner runs it on each
// write of an ordered plan against the state at that moment (write-simulation.ts).
import { PERMISSIVE_NOT_ALLOWED, isHttpLike, l7IntentionMessage } from '../graph-rules.ts';
import { compileChain } from '../routing-rules.ts';
import { DEFAULT_AT, inPartition, refTenancy, sameTenancy, serviceKey, tenancyOfEntry, tenancyPart, type ChainTenancy } from '../tenancy-key.ts';
import { proxyDefaultsProtocol } from '../../model/kinds/proxy-defaults.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { hasL7Permissions } from '../../model/kinds/service-intentions.ts';
import { DISCOVERY_CHAIN_KINDS, kindDefinition, setsMutualTlsMode } from '../../model/registry.ts';
import { isNamespacedKind } from '../../model/tenancy.ts';
import { fieldText } from '../../model/field-text.ts';
import { goErrorText, leaf } from '../write-checks/go-error.ts';

export { serviceKey, tenancyOfEntry } from '../tenancy-key.ts';

/** An entry's name as Consul keys it: the fixed name of a kind that has one (mesh, proxy-defaults "global"). */
export function entryName(entry: ApiEntry): string {
  const rule = kindDefinition(entry.Kind)?.nameRule;
  if (rule?.rule === 'implicit') return rule.name;
  const name = typeof entry.Name === 'string' ? entry.Name : '';
  return rule?.rule === 'fixed' && rule.normalized && name === '' ? rule.name : name;
}

/**
 * Lookups into a set of entries; names are case-insensitive as in Consul. `tenancy`: the namespace and
 * partition looked in ("default" when omitted); a CE view may ignore it.
 */
export interface GraphView {
  get(kind: string, name: string, tenancy?: ChainTenancy): ApiEntry | undefined;
  ofKind(kind: string): readonly ApiEntry[];
  /** The discovery-chain entries whose related services name `service` in `tenancy` (the state store's link index). */
  linking(service: string, tenancy?: ChainTenancy): readonly ApiEntry[];
}

type Ref = { Service?: unknown; Namespace?: unknown; Partition?: unknown };

/**
 * The services a discovery-chain entry sends traffic to, as the state store's link index keys them
 * (ListRelatedServices in agent/structs/config_entry_discoverychain.go): each reference's Service,
 * else the entry's own name, in the reference's namespace and partition, else the entry's; the
 * entry's own service left out. Each key once, in order (serviceKey).
 */
export function relatedServiceKeys(e: ApiEntry | undefined): readonly string[] {
  if (!e || !DISCOVERY_CHAIN_KINDS.includes(e.Kind)) return NO_KEYS;
  const own = entryName(e);
  const at = tenancyOfEntry(e);
  const self = serviceKey(own, at);
  const refs: Ref[] = [];
  if (e.Kind === 'service-router') for (const r of (e.Routes as { Destination?: Ref }[] | undefined) ?? []) if (r?.Destination) refs.push(r.Destination);
  if (e.Kind === 'service-splitter') for (const split of (e.Splits as Ref[] | undefined) ?? []) if (split) refs.push(split);
  if (e.Kind === 'service-resolver') {
    const redirect = e.Redirect as Ref | undefined;
    if (redirect) refs.push(redirect);
    for (const f of Object.values((e.Failover as Record<string, Ref & { Targets?: Ref[] }> | undefined) ?? {})) {
      if (!f) continue;
      refs.push(f);
      for (const t of f.Targets ?? []) if (t) refs.push(t);
    }
  }
  if (refs.length === 0) return NO_KEYS;
  // Most entries name one to three: a short list is checked in place, a long one (a router with
  // hundreds of routes) goes through a Set.
  if (refs.length > 16) {
    const keys = new Set<string>();
    for (const r of refs) keys.add(serviceKey(fieldText(r.Service) || own, refTenancy(r, at)));
    keys.delete(self);
    return [...keys];
  }
  const keys: string[] = [];
  for (const r of refs) {
    const key = serviceKey(fieldText(r.Service) || own, refTenancy(r, at));
    if (key !== self && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

const NO_KEYS: readonly string[] = [];

/** Whether a discovery-chain entry names `service` (in `tenancy`) among its related services. */
export function links(e: ApiEntry, service: string, tenancy?: ChainTenancy): boolean {
  return relatedServiceKeys(e).includes(serviceKey(service, tenancy));
}

/** Where a lookup of `kind` in `tenancy` looks: a partition kind in the partition's default namespace. */
const lookedIn = (kind: string, tenancy: ChainTenancy | undefined): ChainTenancy | undefined =>
  tenancy && !isNamespacedKind(kind) ? { namespace: '', partition: tenancy.partition } : tenancy;

const same = (a: ApiEntry, kind: string, name: string, tenancy: ChainTenancy | undefined) =>
  a.Kind === kind && entryName(a).toLowerCase() === name.toLowerCase() && sameTenancy(tenancyOfEntry(a), lookedIn(kind, tenancy));

/** A view over a plain list (tests, small sets). */
export function arrayView(entries: readonly ApiEntry[]): GraphView {
  return {
    get: (kind, name, tenancy) => entries.find((e) => same(e, kind, name, tenancy)),
    ofKind: (kind) => entries.filter((e) => e.Kind === kind),
    linking: (service, tenancy) => entries.filter((e) => links(e, service, tenancy)),
  };
}

/**
 * The view after the change: `existing` replaced by `proposed`, or removed when `proposed` is
 * undefined. A class, not an object of closures: one is made for every write the server takes.
 */
class Overlay implements GraphView {
  /** The changed entry's identity, worked out once: every lookup of a check compares with it. */
  readonly #changedKind: string | undefined;
  readonly #changedName: string;
  readonly #changedAt: ChainTenancy;

  constructor(
    private readonly base: GraphView,
    existing: ApiEntry | undefined,
    private readonly proposed: ApiEntry | undefined,
  ) {
    const changed = proposed ?? existing;
    this.#changedKind = changed?.Kind;
    this.#changedName = changed ? entryName(changed).toLowerCase() : '';
    this.#changedAt = changed ? tenancyOfEntry(changed) : DEFAULT_AT;
  }

  #isChanged(e: ApiEntry): boolean {
    return e.Kind === this.#changedKind && entryName(e).toLowerCase() === this.#changedName && sameTenancy(tenancyOfEntry(e), this.#changedAt);
  }

  get(kind: string, name: string, tenancy?: ChainTenancy): ApiEntry | undefined {
    if (kind === this.#changedKind && name.toLowerCase() === this.#changedName && sameTenancy(this.#changedAt, lookedIn(kind, tenancy))) return this.proposed;
    return this.base.get(kind, name, tenancy);
  }

  ofKind(kind: string): readonly ApiEntry[] {
    // Another kind than the changed entry's (the ingress gateways on each service-defaults write): as it was.
    if (kind !== this.#changedKind) return this.base.ofKind(kind);
    const list = this.base.ofKind(kind).filter((e) => !this.#isChanged(e));
    if (this.proposed && this.proposed.Kind === kind) list.push(this.proposed);
    return list;
  }

  linking(service: string, tenancy?: ChainTenancy): readonly ApiEntry[] {
    const base = this.base.linking(service, tenancy);
    const proposed = this.proposed && links(this.proposed, service, tenancy) ? this.proposed : undefined;
    // No chain links to the service (most writes): no array made.
    if (base.length === 0 && !proposed) return base;
    const list = base.filter((e) => !this.#isChanged(e));
    if (proposed) list.push(proposed);
    return list;
  }
}

/** In `at`: its service-defaults, else its partition's proxy-defaults. */
function protocolOf(view: GraphView, service: string, at: ChainTenancy): string {
  const sd = view.get('service-defaults', service, at);
  if (sd && typeof sd.Protocol === 'string' && sd.Protocol) return sd.Protocol.toLowerCase();
  return proxyDefaultsProtocol(view.get('proxy-defaults', 'global', inPartition(at))) ?? 'tcp';
}

/**
 * Returns Consul's error text, or undefined when the change is allowed.
 * `current`: the stored entries; `existing`: the stored entry with the same identity (if any);
 * `proposed`: the new entry (upsert) or undefined (delete of `existing`).
 */
export function graphError(current: GraphView | readonly ApiEntry[], existing: ApiEntry | undefined, proposed: ApiEntry | undefined): string | undefined {
  const before = Array.isArray(current) ? arrayView(current) : (current as GraphView);
  const after = new Overlay(before, existing, proposed);
  const changed = proposed ?? existing;
  const at = changed ? tenancyOfEntry(changed) : DEFAULT_AT;

  if (proposed && setsMutualTlsMode(proposed.Kind)) {
    const newMode = proposed.MutualTLSMode ?? '';
    const oldMode = existing?.MutualTLSMode ?? '';
    if (newMode === 'permissive' && oldMode !== newMode && before.get('mesh', 'mesh', inPartition(at))?.AllowEnablingPermissiveMutualTLS !== true)
      return PERMISSIVE_NOT_ALLOWED;
  }

  // validateJWTProvidersExist, before the service graph: every provider an intention names must be
  // stored in the intention's partition (getExistingJWTProvidersByName lists its default namespace).
  if (proposed?.Kind === 'service-intentions') {
    const missing = missingJwtProviders(before, proposed, inPartition(at));
    if (missing) return missing;
  }

  // A jwt-provider is not deleted while an intention names it (the jwt-provider case on a delete).
  if (!proposed && existing?.Kind === 'jwt-provider') {
    const inUse = jwtProviderInUse(before, existing);
    if (inUse) return inUse;
  }

  if (!changed || changed.Kind === 'mesh') return undefined;

  // Which discovery chains / intentions the change can affect: all of them for proxy-defaults.
  const global = changed.Kind === 'proxy-defaults';
  const name = entryName(changed);

  // Discovery chains: the changed service's own, and those linking to it (one level, as the
  // state store's indexLink lookup); every chain of the partition when proxy-defaults changes. First error wins.
  for (const chain of chainsToCheck(after, changed, global, at)) {
    // A service with no router, splitter or resolver compiles to its default resolver alone, which
    // cannot fail (one protocol, no redirect, subset or failover): most writes of a large apply.
    if (!hasChainEntry(after, chain.name, chain.at)) continue;
    const problem = compileChain(chain.name, after, chain.at === DEFAULT_AT ? {} : { tenancy: chain.at });
    if (problem) return problem.message;
  }
  // Ingress gateways fronting the changed service (all of them on a proxy-defaults change), after
  // the chains as Consul checks them; only changes of what gives a service its protocol or its
  // chain's first node can break one.
  if (global || changed.Kind === 'service-defaults' || DISCOVERY_CHAIN_KINDS.includes(changed.Kind)) {
    const problem = ingressListenerError(after, global, name, at);
    if (problem) return problem;
  }
  // Intentions are checked on their own upsert, and on changes of what gives them a protocol.
  const intentionCheck = proposed?.Kind === 'service-intentions' || changed.Kind === 'service-defaults' || global;
  if (intentionCheck) {
    for (const e of affected(after, global, 'service-intentions', name, at)) {
      const svc = entryName(e);
      if (svc === '*' || !hasL7Permissions(e)) continue;
      const protocol = protocolOf(after, svc, tenancyOfEntry(e));
      if (!isHttpLike(protocol)) return l7IntentionMessage(svc, protocol);
    }
  }
  return undefined;
}

type IngressListener = { Protocol?: unknown; Services?: (Ref & { Name?: unknown })[] | null };

/** A gateway's listeners, each with its protocol and the services it fronts (the wildcard left out), and their keys. */
interface Fronted {
  listeners: { protocol: string; services: { name: string; at: ChainTenancy }[] }[];
  keys: Set<string>;
}

/** Worked out once per stored gateway: a write checks every gateway, and most front other services. */
const frontedOf = new WeakMap<ApiEntry, Fronted>();

function fronted(gw: ApiEntry): Fronted {
  let f = frontedOf.get(gw);
  if (f) return f;
  const gwAt = tenancyOfEntry(gw);
  const keys = new Set<string>();
  const listeners = ((gw.Listeners as IngressListener[] | null | undefined) ?? []).filter(Boolean).map((l) => ({
    // Consul stores a listener without a protocol as "tcp" (Normalize).
    protocol: (fieldText(l.Protocol) || 'tcp').toLowerCase(),
    services: (l.Services ?? [])
      .filter((s) => s && fieldText(s.Name) !== '*')
      .map((s) => {
        const svc = { name: fieldText(s.Name), at: refTenancy(s, gwAt) };
        keys.add(serviceKey(svc.name, svc.at));
        return svc;
      }),
  }));
  frontedOf.set(gw, (f = { listeners, keys }));
  return f;
}

/**
 * Consul's text when a listener of an ingress gateway fronting `name` in `at` (every gateway of the
 * partition when `global`) no longer has its services' protocol. A "tcp" listener may front a non-tcp
 * service whose chain starts at its resolver (no router or splitter); the gateway's own write is
 * stricter, and not checked here.
 */
function ingressListenerError(view: GraphView, global: boolean, name: string, at: ChainTenancy): string | undefined {
  const gateways = view.ofKind('ingress-gateway');
  if (gateways.length === 0) return undefined;
  const target = serviceKey(name, at);
  for (const gw of global ? inPartitionOf(gateways, at) : gateways) {
    const f = fronted(gw);
    if (!global && !f.keys.has(target)) continue;
    for (const l of f.listeners) {
      for (const s of l.services) {
        const protocol = protocolOf(view, s.name, s.at);
        if (protocol === l.protocol) continue;
        const startsAtResolver = !view.get('service-router', s.name, s.at) && !view.get('service-splitter', s.name, s.at);
        if (l.protocol !== 'tcp' || !startsAtResolver)
          return `service "${s.name}" has protocol "${protocol}", which does not match defined listener protocol "${l.protocol}"`;
      }
    }
  }
  return undefined;
}

/** The provider names an intention's JWT and its permissions' JWT name, each once. */
export function jwtProviderNames(e: ApiEntry): Set<string> {
  const names = new Set<string>();
  const add = (jwt: unknown) => {
    for (const p of ((jwt as { Providers?: { Name?: unknown }[] } | null | undefined)?.Providers ?? []) as { Name?: unknown }[])
      names.add(typeof p?.Name === 'string' ? p.Name : '');
  };
  add(e.JWT);
  for (const s of (e.Sources as { Permissions?: { JWT?: unknown }[] }[] | undefined) ?? []) for (const perm of s?.Permissions ?? []) add(perm?.JWT);
  return names;
}

/**
 * Consul's text when an intention names a jwt-provider that is not stored, as a multierror of one
 * error per name (Consul walks a Go map, so in no fixed order: here by name). Consul keys the providers
 * by their exact name (getExistingJWTProvidersByName), though the lookup by name ignores case.
 */
function missingJwtProviders(view: GraphView, intention: ApiEntry, partition: ChainTenancy): string | undefined {
  const names = jwtProviderNames(intention);
  if (names.size === 0) return undefined;
  const missing = [...names].filter((n) => view.get('jwt-provider', n, partition)?.Name !== n).sort();
  if (missing.length === 0) return undefined;
  return goErrorText({ multi: missing.map((n) => leaf('Name', `Referenced JWT Provider does not exist. Provider Name: ${n}`)) });
}

/**
 * Consul's refusal to delete `provider` while an intention of its partition names it, in its JWT or a
 * permission's, by the exact name (as validateJWTProvidersExist matches). Consul names the first
 * such intention in its table's order (kind and lower-cased name); on Enterprise every namespace of
 * the partition is looked at, the careful reading: a delete refused here is never half-applied.
 */
function jwtProviderInUse(view: GraphView, provider: ApiEntry): string | undefined {
  const name = typeof provider.Name === 'string' ? provider.Name : '';
  let first: ApiEntry | undefined;
  let firstKey = '';
  for (const e of inPartitionOf(view.ofKind('service-intentions'), tenancyOfEntry(provider))) {
    if (!jwtProviderNames(e).has(name)) continue;
    const key = entryName(e).toLowerCase();
    if (first === undefined || key < firstKey) [first, firstKey] = [e, key];
  }
  return first && jwtProviderInUseMessage(name, entryName(first));
}

/** Consul's text (agent/consul/state/config_entry.go) for deleting a jwt-provider an intention names. */
export const jwtProviderInUseMessage = (provider: string, intention: string): string =>
  `cannot delete jwt provider config entry referenced by an intention. Provider name: ${provider}, intention name: ${intention}`;

/**
 * The entries of `kind` a change of `name` in `at` can affect: all of them in its partition when
 * proxy-defaults changes (Consul lists them with the wildcard namespace of the partition), else the one of that name.
 */
function affected(view: GraphView, global: boolean, kind: string, name: string, at: ChainTenancy): readonly ApiEntry[] {
  if (global) return inPartitionOf(view.ofKind(kind), at);
  const e = view.get(kind, name, at);
  return e ? [e] : [];
}

/** The entries of `at`'s partition (all of them on CE, where every entry is in "default"). */
function inPartitionOf(entries: readonly ApiEntry[], at: ChainTenancy): readonly ApiEntry[] {
  const partition = tenancyPart(at.partition);
  return entries.every((e) => tenancyPart(fieldText(e.Partition)) === partition)
    ? entries
    : entries.filter((e) => tenancyPart(fieldText(e.Partition)) === partition);
}

/** Whether `service` (in `at`) has a router, splitter or resolver. */
function hasChainEntry(view: GraphView, service: string, at: ChainTenancy): boolean {
  for (const k of DISCOVERY_CHAIN_KINDS) if (view.get(k, service, at)) return true;
  return false;
}

/** A chain to compile: its service and where it is. */
interface Chain {
  name: string;
  at: ChainTenancy;
}

/** agent/consul/state/config_entry.go validateProposedConfigEntryInServiceGraph: which chains a change can break. */
function chainsToCheck(view: GraphView, changed: ApiEntry, global: boolean, at: ChainTenancy): Chain[] {
  if (global)
    return chainNames(
      inPartitionOf(
        DISCOVERY_CHAIN_KINDS.flatMap((k) => view.ofKind(k)),
        at,
      ),
    );
  if (changed.Kind !== 'service-defaults' && !DISCOVERY_CHAIN_KINDS.includes(changed.Kind)) return [];
  const name = entryName(changed);
  // The chains linking to it, one level, through the link index: O(links), not O(entries).
  const linking = view.linking(name, at);
  // None (most writes): its own chain alone, without a map made for it.
  if (linking.length === 0) return [{ name, at }];
  return chainNames(linking, { name, at });
}

/** The chains of `entries` by name (case-insensitive) and tenancy, each at its first place, spelt as its last, after `own` when given. */
function chainNames(entries: readonly ApiEntry[], own?: Chain): Chain[] {
  const chains = new Map<string, Chain>();
  if (own !== undefined) chains.set(serviceKey(own.name, own.at), own);
  for (const e of entries) {
    const at = tenancyOfEntry(e);
    chains.set(serviceKey(entryName(e), at), { name: entryName(e), at });
  }
  return [...chains.values()];
}
