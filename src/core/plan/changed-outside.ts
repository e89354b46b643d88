// Drift, named: which changes of a plan exist because Consul was changed outside consul-gitops.
// Consul stamps every write with the index of its Raft log entry, KV and config entries alike
// (agent/consul/state/config_entry.go ensureConfigEntryTxn sets ModifyIndex to the write's raft
// index, kvs.go does the same for KV; see shared reference consul-config-api.md, "RaftIndex"). The
// last-applied record goes to KV after an apply succeeded, so an entry whose ModifyIndex is newer
// than that record's was written since, by someone else.
import type { Change, Plan } from './plan.ts';

/** The words the plan, the PR comment and the drift issue all use, as Terraform says "changed outside of Terraform". */
export const CHANGED_OUTSIDE = 'changed outside consul-gitops';

/**
 * Marks the updates and deletes whose live entry Consul modified after `lastAppliedIndex` (the
 * ModifyIndex of the last-applied record). Only entries consul-gitops manages: an unmanaged one
 * was never inside. A create cannot be told apart (the entry is gone, and with it its index).
 */
export function markChangedOutside(plan: Plan, lastAppliedIndex: number | undefined): Plan {
  if (lastAppliedIndex === undefined) return plan;
  const changes = plan.changes.map((c): Change => {
    const drifted = (c.action === 'update' || c.action === 'delete') && !c.requiresAdopt && !c.adopted && c.before !== undefined && c.cas > lastAppliedIndex;
    return drifted ? { ...c, changedOutside: true } : c;
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
