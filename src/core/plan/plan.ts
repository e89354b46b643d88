// plan: desired entries (rendered files) against live entries (Consul) → a Plan, as data.
// Pure: the caller lists live entries (one request per kind) and prints or applies the result.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryIdOf, entryKey, type EntryId } from '../../model/entry-id.ts';
import type { ValidatedEntry } from '../validate-tree.ts';
import type { LiveEntry } from '../ports.ts';
import { canonicalLive, diffValues, type FieldDiff } from './canonical.ts';
import { ownershipOf, withOwnership } from './ownership.ts';
import { normalizeEntry } from '../normalize.ts';
import { orderChanges } from './order.ts';
import { planWarnings, type PlanWarning } from './warnings.ts';
import { massDeleteGuard, type MassDeletePolicy } from './mass-delete.ts';

export type ChangeAction = 'create' | 'update' | 'delete' | 'noop' | 'skip';

export interface Change {
  action: ChangeAction;
  id: EntryId;
  /** Identity key (kind/partition/namespace/lower(name)). */
  key: string;
  /** Live entry in canonical form, when there is one. */
  before?: ApiEntry;
  /** The entry as it will be written (decoded form plus ownership marker), for create/update. */
  after?: ApiEntry;
  fieldDiffs: FieldDiff[];
  reason: string;
  /** Check-and-set index: the live ModifyIndex read at plan time, 0 to create. */
  cas: number;
  /** Apply wave; changes in one wave are independent of each other. */
  wave: number;
  /** The file the desired entry came from. */
  source?: string;
  adopted?: boolean;
}

export interface Plan {
  /** In apply order. */
  changes: Change[];
  warnings: PlanWarning[];
  /** Set when the plan must not be applied as is (mass deletion without permission). */
  refused?: string;
  summary: Record<ChangeAction, number>;
}

export interface PlanOptions {
  prune: boolean;
  adopt: boolean;
  massDelete?: MassDeletePolicy;
}

export function planChanges(desired: readonly ValidatedEntry[], live: readonly LiveEntry[], options: PlanOptions): Plan {
  const liveByKey = new Map<string, LiveEntry>();
  for (const l of live) liveByKey.set(entryKey(entryIdOf(l.entry)), l);
  const changes: Change[] = [];
  const desiredKeys = new Set<string>();

  for (const d of desired) {
    const id = entryIdOf(d.normalized);
    const key = entryKey(id);
    desiredKeys.add(key);
    const after = withOwnership(d.entry, d.file);
    const l = liveByKey.get(key);
    const base = { id, key, source: d.file, fieldDiffs: [] as FieldDiff[] };
    if (!l) {
      changes.push({ ...base, action: 'create', after, reason: 'not in Consul', cas: 0, wave: 0 });
      continue;
    }
    const before = canonicalLive(l.entry);
    const fieldDiffs = diffValues(before, normalizeEntry(after));
    const owner = ownershipOf(l.entry);
    if (owner !== 'ours' && !options.adopt) {
      const reason =
        owner === 'unowned'
          ? 'exists in Consul but is not managed by consul-gitops; run with --adopt to take it over'
          : `managed by ${owner.foreign}; run with --adopt to take it over`;
      changes.push({ ...base, action: 'skip', before, fieldDiffs, reason, cas: l.modifyIndex, wave: 0 });
      continue;
    }
    const adopted = owner !== 'ours';
    if (fieldDiffs.length === 0 && !adopted) {
      changes.push({ ...base, action: 'noop', before, reason: 'up to date', cas: l.modifyIndex, wave: 0 });
      continue;
    }
    changes.push({
      ...base,
      action: 'update',
      before,
      after,
      fieldDiffs,
      reason: adopted ? 'adopted: consul-gitops takes over this entry' : 'differs from the file',
      cas: l.modifyIndex,
      wave: 0,
      ...(adopted ? { adopted } : {}),
    });
  }

  for (const [key, l] of liveByKey) {
    if (desiredKeys.has(key) || ownershipOf(l.entry) !== 'ours') continue;
    const id = entryIdOf(l.entry);
    const before = canonicalLive(l.entry);
    if (options.prune)
      changes.push({ action: 'delete', id, key, before, fieldDiffs: [], reason: 'no file defines it any more', cas: l.modifyIndex, wave: 0 });
    else
      changes.push({ action: 'skip', id, key, before, fieldDiffs: [], reason: 'no file defines it; pruning is off', cas: l.modifyIndex, wave: 0 });
  }

  const ordered = orderChanges(changes);
  const summary: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, noop: 0, skip: 0 };
  for (const c of ordered) summary[c.action]++;
  const owned = live.filter((l) => ownershipOf(l.entry) === 'ours').length;
  const refused = massDeleteGuard(summary.delete, owned, options.massDelete);
  return { changes: ordered, warnings: planWarnings(ordered, live), summary, ...(refused ? { refused } : {}) };
}

export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}
