// release-order: an update that stops depending on something runs before the update that takes it
// away. Consul checks each write against the entries stored at that moment
// (validateProposedConfigEntryInGraph; src/dev-server/graph-check.ts does as it does), and the kinds'
// order puts providers first: a resolver dropping subset v1 is refused while the splitter or router
// still sends to v1, though the splitter's own update in the same plan stops doing so; a service going
// back to tcp is refused while its intentions still have L7 permissions they lose in the same plan.
// Deleting the dependent already runs first (order.ts); these are its updates. A moved intention
// takes the jwt-provider creates it names with it, so it still follows every write it depends on.
import { isHttpLike } from '../graph-rules.ts';
import { fieldText } from '../../model/field-text.ts';
import { proxyDefaultsProtocol } from '../../model/kinds/proxy-defaults.ts';
import { hasL7Permissions } from '../../model/kinds/service-intentions.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { jwtProviderNames } from './write-graph-check.ts';
import type { Change } from './plan.ts';

const writes = (c: Change) => c.action === 'create' || c.action === 'update';
const lower = (s: string) => s.toLowerCase();

/** `service\0subset` of every subset a router or splitter sends to (its own service when none is named). */
function subsetRefs(e: ApiEntry | undefined): Set<string> {
  const out = new Set<string>();
  if (!e) return out;
  const own = fieldText(e.Name);
  const add = (svc: unknown, subset: unknown) => {
    const s = fieldText(subset);
    if (s) out.add(`${lower(fieldText(svc) || own)}\0${s}`);
  };
  if (e.Kind === 'service-splitter') for (const s of (e.Splits as Record<string, unknown>[] | undefined) ?? []) add(s.Service, s.ServiceSubset);
  if (e.Kind === 'service-router')
    for (const r of (e.Routes as { Destination?: Record<string, unknown> }[] | undefined) ?? []) add(r.Destination?.Service, r.Destination?.ServiceSubset);
  return out;
}

const subsetsOf = (e: ApiEntry | undefined) => new Set(Object.keys((e?.Subsets as Record<string, unknown> | undefined) ?? {}));

/** A router or splitter update that must precede the resolver update taking a subset away, or a cycle. */
interface SubsetRelease {
  dependent: Change;
  resolver: Change;
  /** A subset the dependent's new form sends to, which only the same resolver update adds: no order works. */
  needs?: string;
  dropped: string;
}

function subsetReleases(changes: readonly Change[]): SubsetRelease[] {
  // Resolver updates by service: what each takes away and adds.
  const resolvers = new Map<string, { change: Change; dropped: Set<string>; added: Set<string> }>();
  for (const c of changes) {
    if (c.id.kind !== 'service-resolver' || !writes(c)) continue;
    const before = subsetsOf(c.before);
    const after = subsetsOf(c.after);
    resolvers.set(lower(c.id.name), {
      change: c,
      dropped: new Set([...before].filter((s) => !after.has(s))),
      added: new Set([...after].filter((s) => !before.has(s))),
    });
  }
  if (!resolvers.size) return [];
  const out: SubsetRelease[] = [];
  for (const c of changes) {
    if ((c.id.kind !== 'service-router' && c.id.kind !== 'service-splitter') || c.action !== 'update') continue;
    const after = subsetRefs(c.after);
    for (const ref of subsetRefs(c.before)) {
      if (after.has(ref)) continue;
      const [svc, subset] = ref.split('\0');
      const r = resolvers.get(svc);
      if (!r?.dropped.has(subset)) continue;
      // Its new form must not send to a subset that same resolver update brings.
      const needs = [...after].find((a) => a.split('\0')[0] === svc && r.added.has(a.split('\0')[1]));
      out.push({ dependent: c, resolver: r.change, dropped: subset, ...(needs ? { needs: needs.split('\0')[1] } : {}) });
    }
  }
  return out;
}

/** `service\0subset` of every other resolver's subset a resolver's Redirect or Failover names. */
function resolverRefs(e: ApiEntry | undefined): Set<string> {
  const out = new Set<string>();
  if (!e) return out;
  const own = lower(fieldText(e.Name));
  const add = (t: Record<string, unknown> | undefined) => {
    const svc = lower(fieldText(t?.Service)) || own;
    const subset = fieldText(t?.ServiceSubset);
    if (subset && svc !== own) out.add(`${svc}\0${subset}`);
  };
  add(e.Redirect as Record<string, unknown> | undefined);
  for (const f of Object.values((e.Failover as Record<string, Record<string, unknown>> | undefined) ?? {})) {
    add(f);
    for (const t of (f?.Targets as Record<string, unknown>[] | undefined) ?? []) add(t);
  }
  return out;
}

/**
 * Resolver writes run side by side in one wave, but one resolver's Redirect or Failover may name
 * another's subset: the resolver adding a subset goes before the one starting to name it, and the one
 * that stops naming a subset before the resolver dropping it. Edges `from` → `to`, and the cycles.
 */
function resolverEdges(changes: readonly Change[]): { edges: [Change, Change, string][] } {
  const byName = new Map<string, { change: Change; dropped: Set<string>; added: Set<string> }>();
  for (const c of changes) {
    if (c.id.kind !== 'service-resolver' || !writes(c)) continue;
    const before = c.action === 'create' ? new Set<string>() : subsetsOf(c.before);
    const after = subsetsOf(c.after);
    byName.set(lower(c.id.name), {
      change: c,
      dropped: new Set([...before].filter((s) => !after.has(s))),
      added: new Set([...after].filter((s) => !before.has(s))),
    });
  }
  const edges: [Change, Change, string][] = [];
  if (byName.size < 2) return { edges };
  for (const { change: c } of byName.values()) {
    const before = resolverRefs(c.before);
    const after = resolverRefs(c.after);
    for (const ref of after) {
      const [svc, subset] = ref.split('\0');
      const other = byName.get(svc);
      if (!before.has(ref) && other?.added.has(subset)) edges.push([other.change, c, subset]);
    }
    for (const ref of before) {
      const [svc, subset] = ref.split('\0');
      const other = byName.get(svc);
      if (!after.has(ref) && other?.dropped.has(subset)) edges.push([c, other.change, subset]);
    }
  }
  return { edges };
}

/** Waves within the resolvers' wave: each resolver after those it must follow; undefined on a cycle. */
function resolverWaves(changes: readonly Change[]): Map<Change, number> | undefined {
  const { edges } = resolverEdges(changes);
  const waves = new Map<Change, number>();
  if (!edges.length) return waves;
  const sources = new Map<Change, Change[]>();
  for (const [from, to] of edges) {
    if (!sources.has(from)) sources.set(from, []);
    const list = sources.get(to);
    if (list) list.push(from);
    else sources.set(to, [from]);
  }
  // Each resolver's longest chain of resolvers before it, by a walk with a stack of its own (not
  // recursion: a chain of 10,000 overflowed the call stack). One met again while still open is a
  // cycle, and counts 0 there.
  const depth = new Map<Change, number>();
  const open = new Set<Change>();
  let cycle = false;
  const stack: { change: Change; sources: Change[]; next: number; d: number }[] = [];
  const enter = (c: Change) => {
    open.add(c);
    stack.push({ change: c, sources: sources.get(c) ?? [], next: 0, d: 0 });
  };
  for (const c of sources.keys()) {
    if (depth.has(c)) continue;
    enter(c);
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.sources.length) {
        const s = frame.sources[frame.next++];
        const known = depth.get(s);
        if (known !== undefined) frame.d = Math.max(frame.d, known + 1);
        else if (open.has(s)) {
          cycle = true;
          frame.d = Math.max(frame.d, 1);
        } else enter(s);
        continue;
      }
      open.delete(frame.change);
      depth.set(frame.change, frame.d);
      stack.pop();
      if (stack.length) stack[stack.length - 1].d = Math.max(stack[stack.length - 1].d, frame.d + 1);
    }
  }
  if (cycle) return undefined;
  // A loop, not Math.max(...values): a spread of that many arguments overflows the stack too.
  let deepest = 0;
  for (const d of depth.values()) deepest = Math.max(deepest, d);
  for (const [c, d] of depth) waves.set(c, c.wave + d / (deepest + 1));
  return waves;
}

/** The protocol a service-defaults or proxy-defaults change gives, before and after ('' when it sets none). */
function protocols(c: Change): [string, string] {
  const of = (e: ApiEntry | undefined) => (c.id.kind === 'proxy-defaults' ? (proxyDefaultsProtocol(e) ?? '') : lower(fieldText(e?.Protocol)));
  return [of(c.before), c.action === 'delete' ? '' : of(c.after)];
}

/**
 * New waves: a router or splitter update just before the resolver update that drops a subset it
 * stops using; an intentions update that drops every L7 permission just before the service-defaults
 * (of its service) or proxy-defaults update that leaves HTTP. Only those move.
 */
export function releaseWaves(changes: readonly Change[]): Map<Change, number> {
  const waves = resolverWaves(changes) ?? new Map<Change, number>();
  const earlier = (c: Change, wave: number) => waves.set(c, Math.min(waves.get(c) ?? c.wave, wave));
  for (const r of subsetReleases(changes)) if (!r.needs) earlier(r.dependent, (waves.get(r.resolver) ?? r.resolver.wave) - 0.5);
  // Protocol changes leaving HTTP: by service, and proxy-defaults for every service.
  const leaving = new Map<string, Change>();
  let global: Change | undefined;
  for (const c of changes) {
    if ((c.id.kind !== 'service-defaults' && c.id.kind !== 'proxy-defaults') || !(writes(c) || c.action === 'delete')) continue;
    const [before, after] = protocols(c);
    if (!isHttpLike(before) || isHttpLike(after || 'tcp')) continue;
    if (c.id.kind === 'proxy-defaults') global = c;
    else leaving.set(lower(c.id.name), c);
  }
  if (!leaving.size && !global) return waves;
  let providers: Map<string, Change> | undefined;
  for (const c of changes) {
    if (c.id.kind !== 'service-intentions' || c.action !== 'update' || !c.before || !c.after) continue;
    if (!hasL7Permissions(c.before) || hasL7Permissions(c.after)) continue;
    for (const p of [leaving.get(lower(c.id.name)), global]) if (p) earlier(c, p.wave - 0.5);
    const wave = waves.get(c);
    if (wave === undefined) continue;
    // Consul refuses an intention naming a jwt-provider it does not hold (validateJWTProvidersExist):
    // a provider the plan creates, written after intentions' wave, goes just before the moved intention.
    providers ??= providerCreates(changes);
    for (const name of jwtProviderNames(c.after)) {
      const p = providers.get(name);
      if (p) earlier(p, wave - 0.25);
    }
  }
  return waves;
}

/** The plan's jwt-provider creates by exact name (Consul keys them so). */
function providerCreates(changes: readonly Change[]): Map<string, Change> {
  const out = new Map<string, Change>();
  for (const c of changes) if (c.id.kind === 'jwt-provider' && c.action === 'create') out.set(c.id.name, c);
  return out;
}

/** Router or splitter updates that no order of the writes lets through, with the two applies that do. */
export function releaseProblems(changes: readonly Change[]): { change: Change; field: string; message: string; hint: string }[] {
  const cycle = resolverWaves(changes) === undefined ? resolverCycleProblems(changes) : [];
  return [...cycle, ...releaseSubsetProblems(changes)];
}

/** Resolvers each waiting for another's write (their Redirect or Failover moves between subsets the other swaps). */
function resolverCycleProblems(changes: readonly Change[]): { change: Change; field: string; message: string; hint: string }[] {
  const { edges } = resolverEdges(changes);
  const involved = [...new Set(edges.flatMap(([from, to]) => [from, to]))];
  const names = involved.map((c) => JSON.stringify(c.id.name)).sort();
  const message =
    `service-resolvers ${names.join(', ')} each need another's write first (a Redirect or Failover moves to a subset another adds, or off one it drops): ` +
    'Consul checks each write against the entries stored at that moment, so no order is accepted; nothing was written';
  const hint = 'apply it in two steps: first add the new subsets and keep the old ones, then remove the old ones';
  return involved.filter((c) => c.source).map((change) => ({ change, field: 'Name', message, hint }));
}

function releaseSubsetProblems(changes: readonly Change[]): { change: Change; field: string; message: string; hint: string }[] {
  return subsetReleases(changes)
    .filter((r) => r.needs)
    .map((r) => {
      const svc = JSON.stringify(r.resolver.id.name);
      return {
        change: r.dependent,
        field: 'Name',
        message:
          `${r.dependent.id.kind} ${JSON.stringify(r.dependent.id.name)} moves from subset ${JSON.stringify(r.dropped)} of service ${svc} to ${JSON.stringify(r.needs)}, ` +
          `which the resolver's update adds while it removes ${JSON.stringify(r.dropped)}: Consul checks each write against the entries stored at that moment, so neither write can go first; nothing was written`,
        hint: `apply it in two steps: first keep subset ${JSON.stringify(r.dropped)} in service-resolver ${svc} (add ${JSON.stringify(r.needs)}, move the ${r.dependent.id.kind}), then remove it`,
      };
    });
}
