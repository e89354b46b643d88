// write-simulation: each write of an ordered plan checked against the entries Consul will hold at
// that moment, with the check Consul (and the dev server) runs inside the write (write-graph-check.ts).
// Both the live state and the final state may be valid while a write on the way is refused (two
// services joined by a splitter changing protocol together): the plan stops before any write instead
// of leaving Consul half-applied. Only what the plan's writes touch is read (one map lookup each, in
// the plan's final state), and a plan that writes nothing is not simulated. Entries are keyed by
// kind, partition, namespace and name (entryKey), and the checks look a reference up where Consul
// resolves it (write-graph-check.ts), so a `+ent` plan is simulated as a CE one is.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryKey } from '../../model/entry-id.ts';
import { DISCOVERY_CHAIN_KINDS } from '../../model/registry.ts';
import { isNamespacedKind } from '../../model/tenancy.ts';
import type { ChainTenancy } from '../tenancy-key.ts';
import type { Change } from './plan.ts';
import { entryName, graphError, relatedServiceKeys, serviceKey, tenancyOfEntry, type GraphView } from './write-graph-check.ts';

export interface WriteRefusal {
  change: Change;
  /** Consul's text for the refused write. */
  message: string;
  field: string;
  hint: string;
}

/**
 * The state's key (entryKey) of the entry of `kind` and `name` in `tenancy`; a partition kind is in
 * the default namespace. Made directly, not through entryIdOf: a check looks up a dozen keys per write.
 */
const keyAt = (kind: string, name: string, tenancy: ChainTenancy | undefined) =>
  entryKey({ kind, name, namespace: tenancy && isNamespacedKind(kind) ? tenancy.namespace : '', partition: tenancy ? tenancy.partition : '' });

const keyOfEntry = (e: ApiEntry) => keyAt(e.Kind, entryName(e), tenancyOfEntry(e));

/**
 * What Consul holds before the apply, from the plan's final state (`state`, keyed by entryKey) and
 * its changes: an entry a change touches is as it was (`before`; none for a create), any other is
 * the same in both. No index of the whole mesh is built: a lookup is one map read, and the link
 * index (the chains naming a service) is built on first use from the discovery-chain entries alone.
 */
function liveView(state: ReadonlyMap<string, ApiEntry>, touched: ReadonlyMap<string, Change>): GraphView {
  const asLive = (key: string, e: ApiEntry | undefined) => {
    const c = touched.get(key);
    return c ? c.before : e;
  };
  let linked: Map<string, ApiEntry[]> | undefined;
  const byKind = new Map<string, ApiEntry[]>();
  const linksTo = () => {
    if (linked) return linked;
    const index = new Map<string, ApiEntry[]>();
    const add = (e: ApiEntry) => {
      // Every related service once, keyed as the check looks it up.
      for (const svc of relatedServiceKeys(e)) {
        let list = index.get(svc);
        if (!list) index.set(svc, (list = [] as ApiEntry[]));
        list.push(e);
      }
    };
    for (const [key, e] of state) if (CHAIN_KINDS.has(e.Kind) && !touched.has(key)) add(e);
    for (const c of touched.values()) if (c.before && CHAIN_KINDS.has(c.before.Kind)) add(c.before);
    return (linked = index);
  };
  return {
    get(kind, name, tenancy) {
      const key = keyAt(kind, name, tenancy);
      return asLive(key, state.get(key));
    },
    // Every chain and intention when proxy-defaults changes, as Consul checks them; the ingress
    // gateways on each service-defaults or chain write: each kind listed once, the view does not change.
    ofKind(kind) {
      let list = byKind.get(kind);
      if (list) return list;
      byKind.set(kind, (list = []));
      for (const [key, e] of state) if (e.Kind === kind && !touched.has(key)) list.push(e);
      for (const c of touched.values()) if (c.before?.Kind === kind) list.push(c.before);
      return list;
    },
    linking: (service, tenancy) => linksTo().get(serviceKey(service, tenancy)) ?? NO_ENTRIES,
  };
}

const CHAIN_KINDS: ReadonlySet<string> = new Set(DISCOVERY_CHAIN_KINDS);

/**
 * The writes made so far (entryKey → the entry, or null once deleted), with their own link
 * index: scanning every write for the chains naming a service made a plan of 10,000 creates check
 * each write against all the writes before it (12 s at 10,000, before).
 */
class Written {
  readonly entries = new Map<string, ApiEntry | null>();
  /** Each key's place in `entries` (its first write), so the index lists as a scan of `entries` would. */
  readonly #order = new Map<string, number>();
  /** serviceKey → key → the written entry whose related services name it. */
  readonly #linking = new Map<string, Map<string, ApiEntry>>();

  /** kind → the keys written of that kind, so listing a kind reads its writes alone. */
  readonly #byKind = new Map<string, Set<string>>();

  /** `entry`: the entry of `kind` written at `key`, or null once deleted. */
  set(key: string, kind: string, entry: ApiEntry | null): void {
    const old = this.entries.get(key);
    let keys = this.#byKind.get(kind);
    if (!keys) this.#byKind.set(kind, (keys = new Set<string>()));
    keys.add(key);
    for (const svc of relatedServiceKeys(old ?? undefined)) this.#linking.get(svc)?.delete(key);
    if (!this.#order.has(key)) this.#order.set(key, this.#order.size);
    this.entries.set(key, entry);
    for (const svc of relatedServiceKeys(entry ?? undefined)) {
      let m = this.#linking.get(svc);
      if (!m) this.#linking.set(svc, (m = new Map<string, ApiEntry>()));
      m.set(key, entry!);
    }
  }

  /** Whether an entry of `kind` was written or deleted. */
  wrote(kind: string): boolean {
    return this.#byKind.has(kind);
  }

  /** The written entries of `kind` (not the deleted ones), in the order of `entries`. */
  ofKind(kind: string): ApiEntry[] {
    const keys = this.#byKind.get(kind);
    if (!keys) return [];
    const list: ApiEntry[] = [];
    for (const key of [...keys].sort((a, b) => this.#order.get(a)! - this.#order.get(b)!)) {
      const e = this.entries.get(key);
      if (e && e.Kind === kind) list.push(e);
    }
    return list;
  }

  /** The written entries linking to `service` in `tenancy`, in the order of `entries`. */
  linking(service: string, tenancy: ChainTenancy | undefined): readonly ApiEntry[] {
    const m = this.#linking.get(serviceKey(service, tenancy));
    if (!m || m.size === 0) return NO_ENTRIES;
    return [...m].sort((a, b) => this.#order.get(a[0])! - this.#order.get(b[0])!).map(([, e]) => e);
  }
}

const NO_ENTRIES: readonly ApiEntry[] = [];

/** `base` with the writes made so far. */
function withWrites(base: GraphView, written: Written): GraphView {
  const overridden = (e: ApiEntry) => written.entries.has(keyOfEntry(e));
  return {
    get(kind, name, tenancy) {
      const w = written.entries.get(keyAt(kind, name, tenancy));
      return w === undefined ? base.get(kind, name, tenancy) : (w ?? undefined);
    },
    // No write of that kind yet (the ingress gateways on each service-defaults write): the live list as it is.
    ofKind: (kind) => (written.wrote(kind) ? [...base.ofKind(kind).filter((e) => !overridden(e)), ...written.ofKind(kind)] : base.ofKind(kind)),
    linking: (service, tenancy) => {
      const live = base.linking(service, tenancy);
      const mine = written.linking(service, tenancy);
      // Nothing live links to it (every write of a plan of creates): the writes' list as it is.
      return live.length === 0 ? mine : [...live.filter((e) => !overridden(e)), ...mine];
    },
  };
}

/**
 * Every write of `changes` (in apply order) Consul would refuse, each checked against the live
 * entries plus the writes before it that Consul accepted (a refused write leaves its entry as it
 * was, so the writes after it are judged as the apply would meet them).
 *
 * Apply sends a wave's writes side by side, so Consul may take them in any order. A write that reads
 * its siblings' kinds (service-defaults, the chain kinds) is also checked as the wave's first write
 * and as its last: when either is refused though plan order passes, the wave is written one write
 * at a time in plan order (its writes get sub-waves, `wave` is set), so apply does as simulated.
 */
export function refusedWrites(changes: readonly Change[], state: ReadonlyMap<string, ApiEntry>): WriteRefusal[] {
  const writes = changes.filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
  if (writes.length === 0) return [];
  const written = new Written();
  const view = withWrites(liveView(state, new Map(writes.map((c) => [c.key, c]))), written);
  const refusals: WriteRefusal[] = [];
  for (let start = 0; start < writes.length;) {
    let end = start + 1;
    while (end < writes.length && writes[end].wave === writes[start].wave) end++;
    const wave = writes.slice(start, end);
    // Before the wave's first write, each write that may depend on a sibling as the first of them
    // (the wave's first write in plan order is checked so below).
    const siblingsMatter = wave.length > 1 && wave.some(readsSiblings);
    const first = siblingsMatter ? wave.map((c, i) => (i > 0 && readsSiblings(c) ? check(view, c) : undefined)) : [];
    const accepted = wave.map((c) => {
      const message = check(view, c);
      if (message !== undefined) {
        refusals.push(refusal(c, message, view));
        return false;
      }
      const entry = entryOf(c);
      written.set(keyOfEntry(entry), entry.Kind, c.action === 'delete' ? null : (c.after ?? null));
      return true;
    });
    // As the last write: the view holds every accepted sibling, and the write itself, which the check replaces.
    if (siblingsMatter && wave.some((c, i) => accepted[i] && readsSiblings(c) && (first[i] !== undefined || check(view, c, true) !== undefined)))
      sequential(changes, wave[0].wave);
    start = end;
  }
  return refusals;
}

const entryOf = (c: Change): ApiEntry => (c.action === 'delete' ? c.before : c.after)!;

/** Consul's refusal of `c` against `view`, or undefined. `written`: `view` already holds `c` (a delete is checked against its entry before). */
function check(view: GraphView, c: Change, written = false): string | undefined {
  const entry = entryOf(c);
  if (!entry) return undefined;
  const stored = written && c.action === 'delete' ? c.before : view.get(entry.Kind, entryName(entry), tenancyOfEntry(entry));
  return graphError(view, stored, c.action === 'delete' ? undefined : c.after);
}

function refusal(c: Change, message: string, view: GraphView): WriteRefusal {
  const entry = entryOf(c);
  return {
    change: c,
    message,
    field: entry.Kind === 'service-defaults' && /protocol/i.test(message) ? 'Protocol' : 'Name',
    hint: hintFor(message, view, tenancyOfEntry(entry)),
  };
}

/** Whether Consul's check of this write reads entries of its own wave: another service's defaults or chain. */
function readsSiblings(c: Change): boolean {
  return c.id.kind === 'service-defaults' || CHAIN_KINDS.has(c.id.kind);
}

/**
 * The changes of `wave` (contiguous in the ordered plan, unchanged ones included) each in a sub-wave
 * of their own, in plan order and before the next wave: apply sends them one by one.
 */
function sequential(changes: readonly Change[], wave: number): void {
  let from = 0;
  while (changes[from].wave !== wave) from++;
  let to = from;
  while (to < changes.length && changes[to].wave === wave) to++;
  const step = ((to < changes.length ? changes[to].wave : wave + 1) - wave) / (to - from + 1);
  for (let i = from; i < to; i++) changes[i].wave = wave + (i - from) * step;
}

/** The way through for a refusal no order of the plan's writes avoids. */
function hintFor(message: string, view: GraphView, at: ChainTenancy): string {
  const chain = /^discovery chain "([^"]+)" uses inconsistent protocols/.exec(message)?.[1];
  if (chain) {
    const joining = DISCOVERY_CHAIN_KINDS.filter((k) => k !== 'service-resolver' && view.get(k, chain, at)).map((k) => `${k} "${chain}"`);
    const join = joining.length ? joining.join(' and ') : `the entries joining the services of chain "${chain}"`;
    const them = joining.length > 1 ? 'them' : 'it';
    return `no order of this plan's writes passes, since Consul checks the chain after each one: apply it in two steps, first without ${join} (delete ${them} with --prune along with the protocol change), then with ${them} again; or change the protocol of every service of the chain through one proxy-defaults write`;
  }
  // Not an order problem: a gateway kept by the plan still fronts the service with another protocol.
  const listener = /^service "(.*)" has protocol "(.*)", which does not match defined listener protocol "(.*)"$/.exec(message);
  if (listener)
    return `an ingress-gateway listener with protocol "${listener[3]}" fronts service "${listener[1]}": keep the service's protocol "${listener[3]}", or delete the gateway in this apply (gateways are deleted first), or change its listener in an earlier apply`;
  // Not an order problem: the intention still names the provider the plan deletes.
  const inUse = /^cannot delete jwt provider config entry referenced by an intention\. Provider name: (.*), intention name: (.*)$/.exec(message);
  if (inUse)
    return `service-intentions "${inUse[2]}" still names jwt-provider "${inUse[1]}": keep the provider in the tree, or take it out of every intention that names it (or delete them) in the same apply; the intentions are written first`;
  // Not an order problem: the provider is in neither the tree nor Consul.
  const providers = [...message.matchAll(/Referenced JWT Provider does not exist\. Provider Name: (.*)/g)].map((m) => `"${m[1]}"`);
  if (providers.length)
    return `add jwt-provider ${providers.join(', ')} to the tree (a config entry of kind "jwt-provider"), or take ${providers.length > 1 ? 'them' : 'it'} out of the intention`;
  return 'Consul refuses this write at that point of the apply even though the final state is valid: split the change into applies that are each valid after every write';
}
