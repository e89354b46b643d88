// The state store's cross-entry validation (validateProposedConfigEntryInGraph), run inside the
// write on every upsert and delete: the mesh gate on permissive mTLS (upsert only, §3.2) and the
// HTTP-protocol requirement of routers, splitters and L7 intentions (§4.2), which also refuses
// deleting or downgrading the service-defaults/proxy-defaults they depend on. It reads only the
// entries a change can affect (by kind and name), so a write costs the same with 10 or 20,000 entries.
import { PERMISSIVE_NOT_ALLOWED, isHttpLike, l7IntentionMessage } from '../core/graph-rules.ts';
import { compileChain } from '../core/routing-rules.ts';
import { proxyDefaultsProtocol } from '../model/kinds/proxy-defaults.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { hasL7Permissions } from '../model/kinds/service-intentions.ts';
import { entryName } from './state.ts';

/** Lookups into a set of entries; names are case-insensitive as in Consul. */
export interface GraphView {
  get(kind: string, name: string): ApiEntry | undefined;
  ofKind(kind: string): readonly ApiEntry[];
}

const same = (a: ApiEntry, kind: string, name: string) => a.Kind === kind && entryName(a).toLowerCase() === name.toLowerCase();

/** A view over a plain list (tests, small sets). */
export function arrayView(entries: readonly ApiEntry[]): GraphView {
  return {
    get: (kind, name) => entries.find((e) => same(e, kind, name)),
    ofKind: (kind) => entries.filter((e) => e.Kind === kind),
  };
}

/** The view after the change: `existing` replaced by `proposed`, or removed when `proposed` is undefined. */
function overlay(base: GraphView, existing: ApiEntry | undefined, proposed: ApiEntry | undefined): GraphView {
  const changed = proposed ?? existing;
  const isChanged = (e: ApiEntry) => changed !== undefined && same(e, changed.Kind, entryName(changed));
  return {
    get(kind, name) {
      if (changed && same(changed, kind, name)) return proposed;
      return base.get(kind, name);
    },
    ofKind(kind) {
      const list = base.ofKind(kind).filter((e) => !isChanged(e));
      if (proposed && proposed.Kind === kind) list.push(proposed);
      return list;
    },
  };
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
  const after = overlay(before, existing, proposed);

  if (proposed && (proposed.Kind === 'service-defaults' || proposed.Kind === 'proxy-defaults')) {
    const newMode = proposed.MutualTLSMode ?? '';
    const oldMode = existing?.MutualTLSMode ?? '';
    if (newMode === 'permissive' && oldMode !== newMode && before.get('mesh', 'mesh')?.AllowEnablingPermissiveMutualTLS !== true)
      return PERMISSIVE_NOT_ALLOWED;
  }

  const changed = proposed ?? existing;
  if (!changed || changed.Kind === 'mesh') return undefined;

  // Which discovery chains / intentions the change can affect: all of them for proxy-defaults.
  const global = changed.Kind === 'proxy-defaults';
  const name = entryName(changed);
  const affected = (kind: string): readonly ApiEntry[] => {
    if (global) return after.ofKind(kind);
    const e = after.get(kind, name);
    return e ? [e] : [];
  };

  // Discovery chains: the changed service's own, and those linking to it (one level, as the
  // state store's indexLink lookup); every chain when proxy-defaults changes. First error wins.
  for (const svc of chainsToCheck(after, changed, global)) {
    const problem = compileChain(svc, after);
    if (problem) return problem.message;
  }
  // Intentions are checked on their own upsert, and on changes of what gives them a protocol.
  const intentionCheck = proposed?.Kind === 'service-intentions' || changed.Kind === 'service-defaults' || global;
  if (intentionCheck) {
    for (const e of affected('service-intentions')) {
      const svc = entryName(e);
      if (svc === '*' || !hasL7Permissions(e)) continue;
      const protocol = protocolOf(after, svc);
      if (!isHttpLike(protocol)) return l7IntentionMessage(svc, protocol);
    }
  }
  return undefined;
}

const DISCOVERY_KINDS = ['service-router', 'service-splitter', 'service-resolver'] as const;

/** The services a discovery entry sends traffic to (what Consul's indexLink records for it). */
function linkedServices(e: ApiEntry): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '') out.push(v.toLowerCase());
  };
  for (const r of (e.Routes as { Destination?: { Service?: string } }[] | undefined) ?? []) add(r.Destination?.Service);
  for (const s of (e.Splits as { Service?: string }[] | undefined) ?? []) add(s.Service);
  add((e.Redirect as { Service?: string } | undefined)?.Service);
  for (const f of Object.values((e.Failover as Record<string, { Service?: string; Targets?: { Service?: string }[] }> | undefined) ?? {})) {
    add(f.Service);
    for (const t of f.Targets ?? []) add(t.Service);
  }
  return out;
}

/** agent/consul/state/config_entry.go validateProposedConfigEntryInServiceGraph: which chains a change can break. */
function chainsToCheck(view: GraphView, changed: ApiEntry, global: boolean): string[] {
  const names = new Map<string, string>();
  if (global) {
    for (const k of DISCOVERY_KINDS) for (const e of view.ofKind(k)) names.set(entryName(e).toLowerCase(), entryName(e));
    return [...names.values()];
  }
  if (changed.Kind !== 'service-defaults' && !(DISCOVERY_KINDS as readonly string[]).includes(changed.Kind)) return [];
  const name = entryName(changed);
  names.set(name.toLowerCase(), name);
  for (const k of DISCOVERY_KINDS)
    for (const e of view.ofKind(k)) if (linkedServices(e).includes(name.toLowerCase())) names.set(entryName(e).toLowerCase(), entryName(e));
  return [...names.values()];
}
