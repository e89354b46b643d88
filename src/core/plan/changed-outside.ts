// Drift, named: which changes of a plan exist because Consul was changed outside consul-gitops.
// Consul stamps every write with the index of its Raft log entry, KV and config entries alike
// (agent/consul/state/config_entry.go ensureConfigEntryTxn sets ModifyIndex to the write's raft
// index, kvs.go does the same for KV; see RaftIndex in Consul's agent/structs/structs.go). The
// reconciler's records go to KV after its writes (commit-state.ts), so an entry whose ModifyIndex is
// newer than the record that covers it was written since, by someone else; and an entry a record
// says consul-gitops keeps in Consul that is now missing was deleted by someone else.
import type { Change, Plan } from './plan.ts';

/** The words the plan, the PR comment and the drift issue all use, as Terraform says "changed outside of Terraform". */
export const CHANGED_OUTSIDE = 'changed outside consul-gitops';
export const DELETED_OUTSIDE = 'deleted outside consul-gitops since the last apply';

/** What the reconciler's records say about its own writes (commit-state.ts reads them from KV). */
export interface OwnWrites {
  /** ModifyIndex of the last-applied record: every entry the apply wrote is at or below it. */
  lastAppliedIndex?: number;
  /** Per entry key, an index at or above our last write of it: writes of applies that failed midway. */
  writtenAt?: ReadonlyMap<string, number>;
  /** Entry keys consul-gitops applied and keeps in Consul, as of the records. */
  managed?: ReadonlySet<string>;
}

/**
 * Marks the updates and deletes whose live entry Consul modified after our last write of it, and
 * the creates of entries we had applied that are gone (deleted by hand). Only entries consul-gitops
 * manages: an unmanaged one was never inside. A number is the last-applied index alone.
 */
export function markChangedOutside(plan: Plan, history: OwnWrites | number | undefined): Plan {
  const own: OwnWrites = typeof history === 'number' ? { lastAppliedIndex: history } : (history ?? {});
  if (own.lastAppliedIndex === undefined && !own.writtenAt?.size && !own.managed?.size) return plan;
  const changes = plan.changes.map((c): Change => {
    if (c.action === 'create' && own.managed?.has(c.key)) return { ...c, changedOutside: true, reason: DELETED_OUTSIDE };
    if ((c.action !== 'update' && c.action !== 'delete') || c.requiresAdopt || c.adopted || c.before === undefined) return c;
    const ours = Math.max(own.lastAppliedIndex ?? -1, own.writtenAt?.get(c.key) ?? -1);
    return ours >= 0 && c.cas > ours ? { ...c, changedOutside: true } : c;
  });
  return { ...plan, changes };
}

export function changedOutsideCount(plan: Plan): number {
  return plan.changes.filter((c) => c.changedOutside).length;
}

/** One sentence for the top of a plan or a drift issue, or undefined when nothing drifted. */
export function changedOutsideNote(plan: Plan): string | undefined {
  const n = changedOutsideCount(plan);
  if (n === 0) return undefined;
  return `${n} ${n === 1 ? 'entry was' : 'entries were'} ${CHANGED_OUTSIDE} since the last apply; this plan puts ${n === 1 ? 'it' : 'them'} back as the files say.`;
}
