// The one way a commit reaches Consul: under the target's lock, refused when it is older than the
// last applied commit, planned and applied, and recorded as applied. The webhook path, `serve`, the
// drift self-heal and CLI `apply` all go through here, so none of them can skip a step or interleave
// with another run on the same target.
import type { ConfigEntryStore, StateStore } from './ports/config-entry-store.ts';
import type { SourceFile } from '../core/parse-files.ts';
import type { ConfigEntryError } from '../model/errors.ts';
import type { Plan, PlanOptions } from '../core/plan/plan.ts';
import { makePlan, type PlanContext } from './make-plan.ts';
import type { EntrySelector } from '../core/plan/only.ts';
import { applyPlan, type ApplyReport, type WriteGuard } from './apply-plan.ts';
import { recordApplyOutcome, rememberOrder, staleReason, stateKey, type CommitOrderOf, type CommitRef } from './commit-state.ts';
import { applySummaryLine } from '../reports/plan-markdown.ts';
import { formatEntryId } from '../model/entry-id.ts';
import { ConsulGitopsError, errorCode } from '../errors.ts';
import { withTargetLock, type LockOptions, type ProcessIdentity } from './target-lock.ts';

export interface CommitApplyDeps {
  store: ConfigEntryStore;
  state: StateStore;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Names this run in the target lock (a Lambda request id, a process id). */
  holder: string;
  lockWaitMs: number;
  leaseMs: number;
  /** Renew the lease while the run works (default true; false when the lease already ends past the run's deadline). */
  renewLease?: boolean;
  /** This process, written into the lease so a restart on this host can break it once the process is dead (`serve`). */
  holderProcess?: ProcessIdentity;
}

export interface CommitApplyTarget {
  name: string;
  stateKeyPrefix: string;
  plan: PlanOptions;
  /** `--only KIND/NAME`: apply only these entries. */
  only?: readonly EntrySelector[];
}

export interface DesiredCommit {
  /** The commit the files are at. Without it (CLI `apply` without `--commit`) nothing is checked or recorded. */
  ref?: CommitRef;
  files: readonly SourceFile[];
  /** Git's order of two commits, asked only when `ref` and the last applied commit have the same time. */
  order?: CommitOrderOf;
  /** Files validated cleanly before (the CLI's entry cache), as makePlan's `reuse`. */
  reuse?: PlanContext['reuse'];
}

export type CommitApplyOutcome =
  | { kind: 'invalid'; errors: ConfigEntryError[] }
  /** The plan must not be applied as it is (mass deletion). */
  | { kind: 'refused'; plan: Plan; reason: string }
  /** The caller chose not to apply this plan (a drift check without self-heal, nothing to do). */
  | { kind: 'held'; plan: Plan }
  /** Older than the last applied commit, or its time cannot be ordered (not RFC 3339). */
  | { kind: 'stale'; plan: Plan; reason: string }
  | { kind: 'applied'; plan: Plan; report: ApplyReport };

export interface CommitApplySteps<Done> {
  /** First thing inside the lock: what to apply, or `{ done }` to end the run (a delivery already handled). */
  load(): Promise<DesiredCommit | { done: Done }>;
  /** Whether to apply this plan; default yes. Runs before the stale check (and may ask a person). */
  shouldApply?(plan: Plan): boolean | Promise<boolean>;
  /** As soon as Consul was changed, before the record: a later failure must say the changes are live. */
  onApplied?(report: ApplyReport): void;
  /** Last thing inside the lock (report on GitHub, record the delivery). */
  finish?(outcome: CommitApplyOutcome): Promise<void>;
}

export const lockKey = (prefix: string, target: string) => `${prefix.replace(/\/+$/, '')}/${target}/lock`;

/** What a run ended by `load` returns; nothing when `load` never ends a run (Done = never). */
export type Ended<Done> = [Done] extends [never] ? never : { kind: 'done'; done: Done };

/** The target lock an apply takes: one key per target, held under the caller's name and lease. */
export function targetLockOf(deps: CommitApplyDeps, target: { stateKeyPrefix: string; name: string }): LockOptions {
  return {
    key: lockKey(target.stateKeyPrefix, target.name),
    holder: deps.holder,
    leaseMs: deps.leaseMs,
    waitMs: deps.lockWaitMs,
    ...(deps.renewLease === false ? { renew: false } : {}),
    ...(deps.holderProcess ? { process: deps.holderProcess } : {}),
    now: deps.now,
    sleep: deps.sleep,
  };
}

export async function applyCommitUnderLock<Done = never>(
  deps: CommitApplyDeps,
  target: CommitApplyTarget,
  steps: CommitApplySteps<Done>,
): Promise<CommitApplyOutcome | Ended<Done>> {
  return withTargetLock(deps.state, targetLockOf(deps, target), async (guard) => {
    const loaded = await steps.load();
    if ('done' in loaded) return { kind: 'done', done: loaded.done } as Ended<Done>;
    const outcome = await planApplyRecord(deps, target, loaded, steps, guard);
    await steps.finish?.(outcome);
    return outcome;
  });
}

async function planApplyRecord<Done>(
  deps: CommitApplyDeps,
  target: CommitApplyTarget,
  desired: DesiredCommit,
  steps: CommitApplySteps<Done>,
  guard: WriteGuard,
): Promise<CommitApplyOutcome> {
  const key = stateKey(target.stateKeyPrefix, target.name);
  const made = await makePlan(desired.files, deps.store, target.plan, {
    history: { state: deps.state, key },
    only: target.only,
    target: target.name,
    ...(desired.reuse ? { reuse: desired.reuse } : {}),
  });
  if (!made.plan) return { kind: 'invalid', errors: made.errors };
  const plan = made.plan;
  if (steps.shouldApply && !(await steps.shouldApply(plan))) return { kind: 'held', plan };
  if (plan.refused) return { kind: 'refused', plan, reason: plan.refused };
  const order = desired.order && rememberOrder(desired.order);
  if (desired.ref) {
    const stale = await staleReason(deps.state, key, desired.ref, order);
    if (stale) return { kind: 'stale', plan, reason: stale };
  }
  // Stops writing once the lease is another run's: what was written is reported and recorded as a partial apply.
  const report = await applyPlan(deps.store, plan, { guard });
  steps.onApplied?.(report);
  await recordAfterApply(deps.state, key, desired.ref, plan, report, deps.now(), order);
  return { kind: 'applied', plan, report };
}

/**
 * Recording an apply failed after Consul was changed (KV unreachable, check-and-set kept failing).
 * The message says what is live first: a bare "connect ECONNREFUSED" after the plan read as if
 * nothing had been applied. `reason`: the record's own failure.
 */
export class RecordAfterApplyError extends ConsulGitopsError {
  constructor(
    readonly report: ApplyReport,
    readonly reason: string,
    cause: unknown,
    what: string,
  ) {
    super(errorCode(cause), `${liveLine(report)}; then recording ${what} failed: ${reason}. Run plan to see where Consul stands`, { cause });
  }
}

/** Entries a live-line names one by one; past this, how many more. */
const LIVE_NAMED = 20;

function liveLine(report: ApplyReport): string {
  const live = report.results.filter((r) => r.outcome.status === 'applied').map((r) => `${r.change.action} ${formatEntryId(r.change.id)}`);
  if (!live.length) return `nothing was applied to Consul (${applySummaryLine(report)})`;
  const named = live.slice(0, LIVE_NAMED).join(', ') + (live.length > LIVE_NAMED ? `, and ${live.length - LIVE_NAMED} more` : '');
  return `applied to Consul, and live now: ${named} (${applySummaryLine(report)})`;
}

/** recordApplyOutcome, whose failure says what the apply already changed in Consul. */
export async function recordAfterApply(
  state: StateStore,
  key: string,
  ref: CommitRef | undefined,
  plan: Plan,
  report: ApplyReport,
  now: Date,
  order?: CommitOrderOf,
): Promise<void> {
  try {
    await recordApplyOutcome(state, key, ref, plan, report, now, order);
  } catch (e) {
    const what = ref ? `commit ${ref.commit.slice(0, 12)} as applied under ${key}` : `the entries written under ${key}`;
    throw new RecordAfterApplyError(report, e instanceof Error ? e.message : String(e), e, what);
  }
}
