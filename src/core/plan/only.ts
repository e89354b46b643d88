// `--only KIND/NAME`: a plan restricted to some entries, for emergencies, with the same order and
// safety rules as the whole plan. The restricted plan keeps the whole plan's waves; its cross-entry
// rules are judged against the mesh as the restricted plan leaves it, so a change that needs one
// the selection leaves out (a router whose protocol change is left out, a mesh lockdown before its
// services went strict) is refused, naming what to add.
import { sendsWrite } from './writes.ts';
import { kindDefinition, KINDS } from '../../model/registry.ts';
import { entryIdOf, entryKey, formatEntryId } from '../../model/entry-id.ts';
import type { LiveEntry } from '../../model/live-entry.ts';
import { canonicalLive } from './canonical.ts';
import { graphProblems } from '../graph-rules.ts';
import { finalState, planWarnings } from './warnings.ts';
import { massDeleteGuard } from './mass-delete.ts';
import { ownershipOf } from './ownership.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { Change, ChangeAction, Plan, PlanOptions } from './plan.ts';
import { isMeshWide } from '../../model/registry.ts';

export interface EntrySelector {
  kind: string;
  name: string;
}

export const formatSelector = (s: EntrySelector) => `${s.kind}/${s.name}`;

/** Parses `--only` values; a string is the error, naming the value. */
export function parseOnly(values: readonly string[]): EntrySelector[] | string {
  const out: EntrySelector[] = [];
  for (const v of values) {
    const slash = v.indexOf('/');
    const kind = slash < 0 ? v : v.slice(0, slash);
    const name = slash < 0 ? '' : v.slice(slash + 1);
    if (!kindDefinition(kind))
      return `--only ${JSON.stringify(v)}: unknown kind "${kind}" (expected KIND/NAME, KIND one of ${KINDS.map((k) => k.kind).join(', ')})`;
    if (!name) return `--only ${JSON.stringify(v)}: expected KIND/NAME, like service-defaults/api`;
    out.push({ kind, name });
  }
  return out;
}

/** What a selector matches, and a change is matched by: its kind and name, whatever its partition or namespace. */
const selected = (kind: string, name: string) => `${kind}\0${name.toLowerCase()}`;

export interface OnlyProblem {
  /** The change whose rule breaks, when it is one of the selected ones. */
  change?: Change;
  field: string;
  message: string;
  hint?: string;
}

/**
 * The plan restricted to the selected entries, or why it may not be: a selector matching nothing,
 * or a cross-entry rule the restriction breaks (one that holds for the whole plan and for Consul now).
 */
export function restrictPlan(
  plan: Plan,
  live: readonly LiveEntry[],
  selectors: readonly EntrySelector[],
  options: PlanOptions,
): { plan: Plan } | { problems: OnlyProblem[] } {
  // Indexed once: a selector asked of every change (and each change of every selector) made
  // `--only` with thousands of entries take seconds (selectors × changes).
  const wanted = new Set(selectors.map((s) => selected(s.kind, s.name)));
  const present = new Set(plan.changes.map((c) => selected(c.id.kind, c.id.name)));
  const problems: OnlyProblem[] = [];
  for (const s of selectors)
    if (!present.has(selected(s.kind, s.name)))
      problems.push({
        field: '',
        message: `--only ${formatSelector(s)}: no file defines this entry and Consul does not hold it`,
        hint: 'check the kind and the name (`consul-gitops render` lists the entries)',
      });
  if (problems.length) return { problems };
  const changes = plan.changes.filter((c) => wanted.has(selected(c.id.kind, c.id.name)));
  const chosen = new Set(changes);
  const left = plan.changes.filter((c) => sendsWrite(c) && !chosen.has(c));

  // A rule broken only because of the restriction: not broken in Consul now, nor by the whole plan.
  const keyed = (state: Map<string, ApiEntry>) => {
    const keys = [...state.keys()];
    return graphProblems([...state.values()]).map((p) => ({ ...p, key: keys[p.entryIndex], id: `${keys[p.entryIndex]}|${p.field}|${p.message}` }));
  };
  const liveState = new Map(live.map((l) => [entryKey(entryIdOf(l.entry)), canonicalLive(l.entry)]));
  const known = new Set([...keyed(liveState), ...keyed(finalState(plan.changes, live))].map((p) => p.id));
  // The selected change of each key (the first), and what is left out by name, key and mesh-wide, each
  // list in plan order: one lookup per problem, not a scan of every change left out.
  const changeOf = new Map<string, Change>();
  for (const c of changes) if (!changeOf.has(c.key)) changeOf.set(c.key, c);
  const place = new Map(left.map((c, i) => [c, i]));
  const leftByName = groupBy(left, (c) => c.id.name.toLowerCase());
  const leftByKey = groupBy(left, (c) => c.key);
  const leftMeshWide = left.filter((c) => isMeshWide(c.id.kind));
  for (const p of keyed(finalState(changes, live))) {
    if (known.has(p.id)) continue;
    const change = changeOf.get(p.key);
    const name = p.key.split('/').at(-1)!;
    // What the selection leaves out that this entry most likely needs: changes of the same service, or mesh-wide ones.
    const needed = [...new Set([...(leftByName.get(name) ?? []), ...leftMeshWide, ...(leftByKey.get(p.key) ?? [])])].sort(
      (a, b) => place.get(a)! - place.get(b)!,
    );
    const add = needed.length
      ? `add ${needed.map((c) => `--only ${c.id.kind}/${c.id.name}`).join(' ')}`
      : 'select the changes it depends on too, or apply the whole plan';
    problems.push({
      ...(change ? { change } : {}),
      field: p.field,
      message: `--only leaves the mesh inconsistent: ${change ? formatEntryId(change.id) : p.key}: ${p.message}`,
      hint: `${add}${p.hint ? `; ${p.hint}` : ''}`,
    });
  }
  if (problems.length) return { problems };

  const summary: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, noop: 0, skip: 0 };
  for (const c of changes) summary[c.action]++;
  const owned = live.filter((l) => ownershipOf(l.entry) === 'ours').length;
  const refused = massDeleteGuard(summary.delete, owned, options.massDelete);
  return { plan: { changes, warnings: planWarnings(changes, live), summary, ...(refused ? { refused } : {}) } };
}

/** `items` grouped by `keyOf`, each group in the items' order. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
