// reconcile: the use case behind the webhook-driven function and `serve`. Reads the tree at a
// commit from GitHub, plans it against the target's Consul, applies it on the default branch (one
// run per target at a time, never an older commit over a newer one), and reports back on GitHub:
// a commit status, and for a pull request the plan as one comment updated in place.
import type { ConfigEntryError } from '../model/errors.ts';
import type { ConfigEntryStore, StateStore } from '../core/ports.ts';
import type { Plan } from '../core/plan/plan.ts';
import type { DesiredStateSource, ResultReporter } from '../adapters/github/ports.ts';
import { applySummaryLine, planSummaryLine, renderPlanMarkdown } from '../adapters/github/plan-markdown.ts';
import type { MassDeletePolicy } from '../core/plan/mass-delete.ts';
import { makePlan } from './make-plan.ts';
import { applyPlan, type ApplyReport } from './apply-plan.ts';
import { recordApplied, staleReason, stateKey } from './commit-state.ts';
import { recordDelivery, wasDelivered } from './deliveries.ts';
import { withTargetLock } from './target-lock.ts';

export interface ReconcileTarget {
  name: string;
  dir: string;
  prune: boolean;
  massDelete?: MassDeletePolicy;
  stateKeyPrefix: string;
}

export interface ReconcileDeps {
  source: DesiredStateSource;
  store: ConfigEntryStore;
  state: StateStore;
  reporter: ResultReporter;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Names this run in the target lock (a Lambda request id, a process id). */
  holder: string;
  /** How long to wait for another run on the same target. */
  lockWaitMs?: number;
  /**
   * How long this run's lease on the target lasts. A run that is killed (Lambda timeout) holds the
   * target until then, so it should end soon after the run's own deadline. Default 14 minutes.
   */
  leaseMs?: number;
}

export interface ReconcileJob {
  owner: string;
  repo: string;
  sha: string;
  deliveryId: string;
  mode: 'apply' | 'plan';
  pullRequest?: { number: number };
}

export type ReconcileOutcome =
  | { kind: 'duplicate' }
  | { kind: 'invalid'; errors: ConfigEntryError[] }
  | { kind: 'planned'; plan: Plan }
  | { kind: 'refused'; plan: Plan; reason: string }
  | { kind: 'stale'; reason: string }
  | { kind: 'applied'; plan: Plan; report: ApplyReport };

const LEASE_MS = 14 * 60_000; // under Lambda's 15-minute ceiling

export function reconcileSucceeded(o: ReconcileOutcome): boolean {
  return o.kind === 'duplicate' || o.kind === 'planned' || o.kind === 'stale' || (o.kind === 'applied' && o.report.ok);
}

export async function reconcileCommit(deps: ReconcileDeps, target: ReconcileTarget, job: ReconcileJob): Promise<ReconcileOutcome> {
  const prefix = `${target.stateKeyPrefix.replace(/\/+$/, '')}/${target.name}`;
  const deliveries = `${prefix}/deliveries/${job.mode}`;
  // Check, run, report and record in one critical section for applies, so two deliveries of the
  // same push (two containers) cannot both get past the check.
  // Set once Consul was changed: a later failure (GitHub, Consul KV) must say the changes are live.
  let applied: ApplyReport | undefined;
  const once = async (): Promise<ReconcileOutcome> => {
    if (await wasDelivered(deps.state, deliveries, job.deliveryId)) return { kind: 'duplicate' };
    const ref = { owner: job.owner, repo: job.repo, sha: job.sha };
    await deps.reporter.commitStatus(ref, 'pending', job.mode === 'apply' ? 'planning and applying' : 'planning');
    const outcome = await planAndMaybeApply(deps, target, job, (report) => (applied = report));
    await report(deps, target, job, outcome);
    await recordDelivery(deps.state, deliveries, job.deliveryId);
    return outcome;
  };
  try {
    if (job.mode !== 'apply') return await once();
    return await withTargetLock(
      deps.state,
      { key: `${prefix}/lock`, holder: deps.holder, leaseMs: deps.leaseMs ?? LEASE_MS, waitMs: deps.lockWaitMs ?? 5 * 60_000, now: deps.now, sleep: deps.sleep },
      once,
    );
  } catch (e) {
    // Consul or GitHub failed under us: say so on the commit rather than leave it pending or blank.
    // The error goes on to the caller (Lambda retries, then the dead-letter queue); the delivery is
    // not recorded, so the retry does the work.
    const message = e instanceof Error ? e.message : String(e);
    const changed = applied && applied.counts.applied > 0 ? applied : undefined;
    // After Consul was changed, never a bare "failed": the changes are live, only what followed failed.
    const description = changed ? `${changed.counts.applied} change(s) applied to Consul, then failed: ${message}` : `reconcile failed: ${message}`;
    await deps.reporter.commitStatus({ owner: job.owner, repo: job.repo, sha: job.sha }, 'error', description).catch(() => undefined);
    if (changed) {
      throw new Error(
        `commit ${job.sha.slice(0, 12)} was applied to Consul on target ${target.name} (${applySummaryLine(changed)}), then the run failed: ${message}`,
        { cause: e },
      );
    }
    throw e;
  }
}

async function planAndMaybeApply(
  deps: ReconcileDeps,
  target: ReconcileTarget,
  job: ReconcileJob,
  onApplied: (report: ApplyReport) => void,
): Promise<ReconcileOutcome> {
  const desired = await deps.source.read({ owner: job.owner, repo: job.repo, sha: job.sha }, target.dir);
  const made = await makePlan(desired.files, deps.store, { prune: target.prune, adopt: false, ...(target.massDelete ? { massDelete: target.massDelete } : {}) });
  if (!made.plan) return { kind: 'invalid', errors: made.errors };
  const plan = made.plan;
  if (job.mode === 'plan') return { kind: 'planned', plan };
  if (plan.refused) return { kind: 'refused', plan, reason: plan.refused };
  const key = stateKey(target.stateKeyPrefix, target.name);
  const commitTime = desired.commitTime ?? deps.now().toISOString();
  const stale = await staleReason(deps.state, key, { commit: job.sha, commitTime });
  if (stale) return { kind: 'stale', reason: stale };
  const report = await applyPlan(deps.store, plan);
  onApplied(report);
  if (report.ok) await recordApplied(deps.state, key, { commit: job.sha, commitTime }, deps.now());
  return { kind: 'applied', plan, report };
}

async function report(deps: ReconcileDeps, target: ReconcileTarget, job: ReconcileJob, outcome: ReconcileOutcome): Promise<void> {
  const ref = { owner: job.owner, repo: job.repo, sha: job.sha };
  const fileUrl = (path: string, line: number) => `https://github.com/${job.owner}/${job.repo}/blob/${job.sha}/${path}#L${line}`;
  const title = `consul-gitops ${job.mode} for ${target.name}`;
  let markdown: string | undefined;
  switch (outcome.kind) {
    case 'duplicate':
      return;
    case 'invalid':
      await deps.reporter.commitStatus(ref, 'failure', `${outcome.errors.length} error(s) in config entries; nothing applied`);
      markdown = renderPlanMarkdown({ errors: outcome.errors, title, revision: job.sha, fileUrl });
      break;
    case 'planned':
      await deps.reporter.commitStatus(ref, outcome.plan.refused ? 'failure' : 'success', planSummaryLine(outcome.plan));
      markdown = renderPlanMarkdown({ plan: outcome.plan, title, revision: job.sha, fileUrl });
      break;
    case 'refused':
      await deps.reporter.commitStatus(ref, 'failure', outcome.reason);
      break;
    case 'stale':
      await deps.reporter.commitStatus(ref, 'error', `not applied: ${outcome.reason}`);
      break;
    case 'applied':
      await deps.reporter.commitStatus(ref, outcome.report.ok ? 'success' : 'failure', applySummaryLine(outcome.report));
      break;
  }
  if (job.pullRequest && markdown) await deps.reporter.upsertPullRequestComment(ref, job.pullRequest.number, markdown, `plan-${target.name}`);
}
