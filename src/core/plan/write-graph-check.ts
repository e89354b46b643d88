// The state store's cross-entry validation (validateProposedConfigEntryInGraph), run inside the
// write on every upsert and delete: the mesh gate on permissive mTLS (upsert only) and the
// HTTP-protocol requirement of routers, splitters and L7 intentions, which also refuses
// deleting or downgrading the service-defaults/proxy-defaults they depend on. It reads only the
// entries a change can affect (by kind and name, and the chains linking to a service through the
// store's link index), so a write costs the same with 10 or 20,000 entries.
// One source of truth: the dev server runs it inside each write, and the planner runs it on each
// write of an ordered plan against the state at that moment (write-simulation.ts).
import { PERMISSIVE_NOT_ALLOWED, isHttpLike, l7IntentionMessage } from '../graph-rules.ts';
import { compileChain } from '../routing-rules.ts';
import { proxyDefaultsProtocol } from '../../model/kinds/proxy-defaults.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { hasL7Permissions } from '../../model/kinds/service-intentions.ts';
import { DISCOVERY_CHAIN_KINDS, kindDefinition, setsMutualTlsMode } from '../../model/registry.ts';
import { goErrorText, leaf } from '../write-checks/go-error.ts';

/** An entry's name as Consul keys it: the fixed name of a kind that has one (mesh, proxy-defaults "global"). */
export function entryName(entry: ApiEntry): string {
  const rule = kindDefinition(entry.Kind)?.nameRule;
  if (rule?.rule === 'implicit') return rule.name;
  const name = typeof entry.Name === 'string' ? entry.Name : '';
  return rule?.rule === 'fixed' && rule.normalized && name === '' ? rule.name : name;
}

/** Lookups into a set of entries; names are case-insensitive as in Consul. */
export interface GraphView {
  get(kind: string, name: string): ApiEntry | undefined;
  ofKind(kind: string): readonly ApiEntry[];
  /** The discovery-chain entries whose relatedServices name `service` (the state store's link index). */
  linking(service: string): readonly ApiEntry[];
}

/** Whether a discovery-chain entry names `service` among its related services. */
export function links(e: ApiEntry, service: string): boolean {
  const related = kindDefinition(e.Kind)?.relatedServices;
  return related !== undefined && related(e).some((s) => s.toLowerCase() === service.toLowerCase());
}

const same = (a: ApiEntry, kind: string, name: string) => a.Kind === kind && entryName(a).toLowerCase() === name.toLowerCase();

/** A view over a plain list (tests, small sets). */
export function arrayView(entries: readonly ApiEntry[]): GraphView {
  return {
    get: (kind, name) => entries.find((e) => same(e, kind, name)),
    ofKind: (kind) => entries.filter((e) => e.Kind === kind),
    linking: (service) => entries.filter((e) => links(e, service)),
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

  constructor(
    private readonly base: GraphView,
    existing: ApiEntry | undefined,
    private readonly proposed: ApiEntry | undefined,
  ) {
    const changed = proposed ?? existing;
    this.#changedKind = changed?.Kind;
    this.#changedName = changed ? entryName(changed).toLowerCase() : '';
  }

  #isChanged(e: ApiEntry): boolean {
    return e.Kind === this.#changedKind && entryName(e).toLowerCase() === this.#changedName;
  }

  get(kind: string, name: string): ApiEntry | undefined {
    if (kind === this.#changedKind && name.toLowerCase() === this.#changedName) return this.proposed;
    return this.base.get(kind, name);
  }

  ofKind(kind: string): ApiEntry[] {
    const list = this.base.ofKind(kind).filter((e) => !this.#isChanged(e));
    if (this.proposed && this.proposed.Kind === kind) list.push(this.proposed);
    return list;
  }

  linking(service: string): readonly ApiEntry[] {
    const base = this.base.linking(service);
    const proposed = this.proposed && links(this.proposed, service) ? this.proposed : undefined;
    // No chain links to the service (most writes): no array made.
    if (base.length === 0 && !proposed) return base;
    const list = base.filter((e) => !this.#isChanged(e));
    if (proposed) list.push(proposed);
    return list;
  }
}

function protocolOf(view: GraphView, service: string): string {
  const sd = view.get('service-defaults', service);
  if (sd && typeof sd.Protocol === 'string' && sd.Protocol) return sd.Protocol.toLowerCase();
  return proxyDefaultsProtocol(view.get('proxy-defaults', 'global')) ?? 'tcp';
}

/**
 * Returns Consul's error text, or undefined when the change is allowed.
 * `current`: the stored entries; `existing`: the stored entry with the same identity (if any);
 * `proposed`: the new entry (upsert) or undefined (delete of `existing`).
 */
export function graphError(current: GraphView | readonly ApiEntry[], existing: ApiEntry | undefined, proposed: ApiEntry | undefined): string | undefined {
  const before = Array.isArray(current) ? arrayView(current) : (current as GraphView);
  const after = new Overlay(before, existing, proposed);

  if (proposed && setsMutualTlsMode(proposed.Kind)) {
    const newMode = proposed.MutualTLSMode ?? '';
    const oldMode = existing?.MutualTLSMode ?? '';
    if (newMode === 'permissive' && oldMode !== newMode && before.get('mesh', 'mesh')?.AllowEnablingPermissiveMutualTLS !== true) return PERMISSIVE_NOT_ALLOWED;
  }

  // validateJWTProvidersExist, before the service graph: every provider an intention names must be stored.
  if (proposed?.Kind === 'service-intentions') {
    const missing = missingJwtProviders(before, proposed);
    if (missing) return missing;
  }

  const changed = proposed ?? existing;
  if (!changed || changed.Kind === 'mesh') return undefined;

  // Which discovery chains / intentions the change can affect: all of them for proxy-defaults.
  const global = changed.Kind === 'proxy-defaults';
  const name = entryName(changed);

  // Discovery chains: the changed service's own, and those linking to it (one level, as the
  // state store's indexLink lookup); every chain when proxy-defaults changes. First error wins.
  for (const svc of chainsToCheck(after, changed, global)) {
    // A service with no router, splitter or resolver compiles to its default resolver alone, which
    // cannot fail (one protocol, no redirect, subset or failover): most writes of a large apply.
    if (!hasChainEntry(after, svc)) continue;
    const problem = compileChain(svc, after);
    if (problem) return problem.message;
  }
  // Intentions are checked on their own upsert, and on changes of what gives them a protocol.
  const intentionCheck = proposed?.Kind === 'service-intentions' || changed.Kind === 'service-defaults' || global;
  if (intentionCheck) {
    for (const e of affected(after, global, 'service-intentions', name)) {
      const svc = entryName(e);
      if (svc === '*' || !hasL7Permissions(e)) continue;
      const protocol = protocolOf(after, svc);
      if (!isHttpLike(protocol)) return l7IntentionMessage(svc, protocol);
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
function missingJwtProviders(view: GraphView, intention: ApiEntry): string | undefined {
  const names = jwtProviderNames(intention);
  if (names.size === 0) return undefined;
  const missing = [...names].filter((n) => view.get('jwt-provider', n)?.Name !== n).sort();
  if (missing.length === 0) return undefined;
  return goErrorText({ multi: missing.map((n) => leaf('Name', `Referenced JWT Provider does not exist. Provider Name: ${n}`)) });
}

/** The entries of `kind` a change of `name` can affect: all of them when proxy-defaults changes, else the one of that name. */
function affected(view: GraphView, global: boolean, kind: string, name: string): readonly ApiEntry[] {
  if (global) return view.ofKind(kind);
  const e = view.get(kind, name);
  return e ? [e] : [];
}

/** Whether `service` has a router, splitter or resolver. */
function hasChainEntry(view: GraphView, service: string): boolean {
  for (const k of DISCOVERY_CHAIN_KINDS) if (view.get(k, service)) return true;
  return false;
}

/** agent/consul/state/config_entry.go validateProposedConfigEntryInServiceGraph: which chains a change can break. */
function chainsToCheck(view: GraphView, changed: ApiEntry, global: boolean): string[] {
  if (global) return chainNames(DISCOVERY_CHAIN_KINDS.flatMap((k) => view.ofKind(k)));
  if (changed.Kind !== 'service-defaults' && !DISCOVERY_CHAIN_KINDS.includes(changed.Kind)) return [];
  const name = entryName(changed);
  // The chains linking to it, one level, through the link index: O(links), not O(entries).
  const linking = view.linking(name);
  // None (most writes): its own chain alone, without a map and a list made for it.
  if (linking.length === 0) return [name];
  return chainNames(linking, name);
}

/** The chains of `entries` by name, case-insensitive (each at its first place, spelt as its last), after `own` when given. */
function chainNames(entries: readonly ApiEntry[], own?: string): string[] {
  const names = new Map<string, string>();
  if (own !== undefined) names.set(own.toLowerCase(), own);
  for (const e of entries) names.set(entryName(e).toLowerCase(), entryName(e));
  return [...names.values()];
}
