// The order of a service-intentions entry's Sources, which carries no meaning: Consul stable-sorts
// them by precedence on write, keeps the order given among equals, and enforcement breaks ties by
// name ("the order among same-precedence rules is arbitrary and doesn't affect whether an allow or
// deny rule is acted on since all applicable rules are checked", agent/structs/intention.go,
// IntentionPrecedenceSorter). Git and Consul that differ only there are in sync.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { diffValues, type FieldDiff } from './canonical.ts';

/**
 * diffValues(before, after), except that two intentions whose Sources differ only in order have no
 * difference. Anything else keeps its differences as diffValues finds them (positions as Consul and
 * the file hold them, which the plan's other readers, such as its unknown-field paths, rely on).
 */
export function entryDiffs(before: ApiEntry, after: ApiEntry): FieldDiff[] {
  const diffs = diffValues(before, after);
  if (diffs.length === 0 || before.Kind !== 'service-intentions' || !diffs.every((d) => d.path.startsWith('Sources['))) return diffs;
  const b = sourcesByIdentity(before);
  const a = sourcesByIdentity(after);
  if (b === undefined || a === undefined) return diffs;
  return diffValues(b, a).length === 0 ? [] : diffs;
}

/** The Sources sorted by who they name (stable, so equal identities keep their order); undefined when not a list. */
function sourcesByIdentity(entry: ApiEntry): unknown[] | undefined {
  const sources = entry.Sources;
  if (!Array.isArray(sources)) return undefined;
  const keyed = sources.map((s: unknown) => ({ s, key: identity(s) }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((k) => k.s);
}

/** Who a source names: a request comes from one of them, so no two valid sources share it. */
function identity(s: unknown): string {
  const r = typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
  return JSON.stringify([r.Name, r.Namespace, r.Partition, r.Peer, r.SamenessGroup].map((v) => (typeof v === 'string' ? v : '')));
}
