// drift: the schedule's job. Plans the default branch's HEAD against Consul; reports drift as one
// GitHub issue kept up to date (closed when drift is gone); with self-heal, applies the repair.
import type { Plan } from '../core/plan/plan.ts';
import { hasChanges } from '../core/plan/plan.ts';
import { planSummaryLine, renderPlanMarkdown } from '../adapters/github/plan-markdown.ts';
import { makePlan } from './make-plan.ts';
import { applyPlan, type ApplyReport } from './apply-plan.ts';
import { recordApplied, staleReason, stateKey } from './commit-state.ts';
import { withTargetLock } from './target-lock.ts';
import type { ReconcileDeps, ReconcileTarget } from './reconcile-commit.ts';
import type { ConfigEntryError } from '../model/errors.ts';

/** The Consul adapter's `incomplete-read` (an ACL-filtered list), recognised by its kind only. */
function isIncompleteRead(e: unknown): e is Error & { kind: 'incomplete-read' } {
  return e instanceof Error && (e as { kind?: unknown }).kind === 'incomplete-read';
}

export interface DriftJob {
  owner: string;
  repo: string;
  branch: string;
  selfHeal: boolean;
}

export type DriftOutcome =
  | { kind: 'invalid'; errors: ConfigEntryError[] }
  | { kind: 'in-sync'; plan: Plan }
  | { kind: 'drift'; plan: Plan }
  | { kind: 'healed'; plan: Plan; report: ApplyReport };

export async function detectDrift(deps: ReconcileDeps, target: ReconcileTarget, job: DriftJob): Promise<DriftOutcome> {
  const run = async (): Promise<DriftOutcome> => {
    const desired = await deps.source.read({ owner: job.owner, repo: job.repo, sha: job.branch }, target.dir);
    const made = await makePlan(desired.files, deps.store, { prune: target.prune, adopt: false, ...(target.massDelete ? { massDelete: target.massDelete } : {}) });
    if (!made.plan) return { kind: 'invalid', errors: made.errors };
    const plan = made.plan;
    if (!hasChanges(plan)) return { kind: 'in-sync', plan };
    if (!job.selfHeal || plan.refused) return { kind: 'drift', plan };
    // Self-heal obeys the stale-commit rule: a HEAD older than the last applied commit (a branch
    // moved back) is reported, never applied over the newer state.
    const key = stateKey(target.stateKeyPrefix, target.name);
    const ref = { commit: desired.revision, commitTime: desired.commitTime ?? deps.now().toISOString() };
    if (await staleReason(deps.state, key, ref)) return { kind: 'drift', plan };
    const report = await applyPlan(deps.store, plan);
    if (report.ok) await recordApplied(deps.state, key, ref, deps.now());
    return { kind: 'healed', plan, report };
  };
  const prefix = `${target.stateKeyPrefix.replace(/\/+$/, '')}/${target.name}`;
  const repo = { owner: job.owner, repo: job.repo };
  const title = `consul-gitops: Consul differs from ${job.branch} (${target.name})`;
  const marker = `drift-${target.name}`;
  let outcome: DriftOutcome;
  try {
    outcome = await withTargetLock(
      deps.state,
      { key: `${prefix}/lock`, holder: deps.holder, leaseMs: deps.leaseMs ?? 14 * 60_000, waitMs: deps.lockWaitMs ?? 60_000, now: deps.now, sleep: deps.sleep },
      run,
    );
  } catch (e) {
    // Consul answered, but ACLs may have hidden entries: neither "in sync" nor a plan of creates is
    // true. Say so where drift is reported, then fail the run.
    if (isIncompleteRead(e))
      await deps.reporter.upsertIssue(repo, title, `Drift on ${target.name} cannot be checked: Consul's answer was incomplete.\n\n${e.message}\n`, marker, true);
    throw e;
  }
  switch (outcome.kind) {
    case 'in-sync':
      await deps.reporter.upsertIssue(repo, title, `Consul matches \`${job.branch}\` again (${deps.now().toISOString()}).`, marker, false);
      break;
    case 'drift':
      await deps.reporter.upsertIssue(repo, title, renderPlanMarkdown({ plan: outcome.plan, title: `Drift on ${target.name}: ${planSummaryLine(outcome.plan)}` }), marker, true);
      break;
    case 'healed':
      await deps.reporter.upsertIssue(repo, title, renderPlanMarkdown({ plan: outcome.plan, report: outcome.report, title: `Drift on ${target.name} repaired (self-heal)` }), marker, !outcome.report.ok);
      break;
    case 'invalid':
      await deps.reporter.upsertIssue(repo, title, renderPlanMarkdown({ errors: outcome.errors, title: `${job.branch} does not validate` }), marker, true);
      break;
  }
  return outcome;
}
