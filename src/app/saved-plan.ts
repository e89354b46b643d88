// `apply FILE`: applies exactly the plan that was saved and reviewed, or refuses and says why. Never
// re-plans: the changes written are the file's, with the check-and-set indexes it recorded. Refused
// when the plan is for another target, older than the allowed age, or Consul changed since it was
// made (any entry's ModifyIndex moved, one appeared or went away); under the target lock like every
// apply, and refused like every apply when its commit is older than the last one applied.
import type { ApplyReport } from './apply-plan.ts';
import { applyPlan } from './apply-plan.ts';
import { recordAfterApply, targetLockOf, type CommitApplyDeps } from './apply-commit.ts';
import { staleReason, stateKey, type CommitOrderOf, type CommitRef } from './commit-state.ts';
import { kindsOfPlanMadeFrom, readLive } from './make-plan.ts';
import { withTargetLock } from './target-lock.ts';
import { ageProblem, changedSinceProblem, targetProblem, type PlanTarget, type SavedPlan, type SavedPlanProblem } from '../core/plan/saved-plan.ts';

export interface SavedPlanTarget {
  name: string;
  stateKeyPrefix: string;
  /** The target as it is now: compared with the one the plan was made for. */
  now: PlanTarget;
}

export type SavedPlanOutcome = { kind: 'refused'; problem: SavedPlanProblem } | { kind: 'stale'; reason: string } | { kind: 'applied'; report: ApplyReport };

export interface SavedPlanApply {
  plan: SavedPlan;
  /** The plan file, for the messages. */
  file: string;
  maxAgeMs: number;
  /** Git's order of two commits, asked only when the plan's commit and the last applied one have the same time. */
  order?: CommitOrderOf;
}

/**
 * The commit a saved plan came from, when it was a clean checkout and the whole of it was planned:
 * recorded like `apply --commit`. A plan restricted with `--only` applies part of a commit: not recorded.
 */
export function savedCommit(plan: SavedPlan): CommitRef | undefined {
  if (plan.options.only.length) return undefined;
  const git = plan.source.git;
  return git?.clean ? { commit: git.commit, commitTime: git.commitTime } : undefined;
}

export async function applySavedPlan(deps: CommitApplyDeps, target: SavedPlanTarget, run: SavedPlanApply): Promise<SavedPlanOutcome> {
  const { plan, file } = run;
  const before = targetProblem(plan, target.now, file) ?? ageProblem(plan, deps.now(), run.maxAgeMs, file);
  if (before) return { kind: 'refused', problem: before };
  if (plan.plan.refused) return { kind: 'refused', problem: { kind: 'format', file, message: `the plan was refused when it was made: ${plan.plan.refused}` } };
  return withTargetLock(deps.state, targetLockOf(deps, target), async (guard): Promise<SavedPlanOutcome> => {
    // The age again: waiting for the lock may have taken it past the limit.
    const aged = ageProblem(plan, deps.now(), run.maxAgeMs, file);
    if (aged) return { kind: 'refused', problem: aged };
    // Only the kinds the plan's decisions rest on are read again (kindsOfPlanMadeFrom), and compared
    // over the entries of those kinds it read.
    const kinds = kindsOfPlanMadeFrom({ read: plan.read, changes: plan.plan.changes });
    const reread = new Set(kinds);
    const changed = changedSinceProblem({ ...plan, read: plan.read.filter((r) => reread.has(r.id.kind)) }, await readLive(deps.store, kinds), file);
    if (changed) return { kind: 'refused', problem: changed };
    const ref = savedCommit(plan);
    const key = stateKey(target.stateKeyPrefix, target.name);
    if (ref) {
      const stale = await staleReason(deps.state, key, ref, run.order);
      if (stale) return { kind: 'stale', reason: stale };
    }
    // Between the check above and each write, check-and-set still guards every entry written.
    const report = await applyPlan(deps.store, plan.plan, { guard });
    await recordAfterApply(deps.state, key, ref, plan.plan, report, deps.now(), run.order);
    return { kind: 'applied', report };
  });
}
