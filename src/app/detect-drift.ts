// drift: the schedule's job. Plans the default branch's HEAD against Consul; reports drift as one
// GitHub issue kept up to date (closed when drift is gone); with self-heal, applies the repair; with
// `driftMode: propose`, also keeps one pull request that takes Consul's live values into Git.
import type { Plan } from '../core/plan/plan.ts';
import { hasChanges } from '../core/plan/plan.ts';
import { planSummaryLine, renderPlanMarkdown } from '../reports/plan-markdown.ts';
import { unwrittenDifferences, unwrittenSummary } from '../reports/unwritten-differences.ts';
import type { ApplyReport } from './apply-plan.ts';
import { applyCommitUnderLock } from './apply-commit.ts';
import type { ReconcileDeps, ReconcileTarget } from './reconcile-commit.ts';
import type { ConfigEntryError } from '../model/errors.ts';
import type { SourceFile } from '../core/parse-files.ts';
import type { ProposalPullRequests } from './ports/proposal-pull-requests.ts';
import type { ProposalAction } from './proposals/settle-proposal.ts';
import { driftBranchName, proposeDrift } from './proposals/propose-drift.ts';
import { targetVersion, withTargetVersion } from './target-version.ts';

/** The Consul adapter's `incomplete-read` (an ACL-filtered list), recognised by its kind only. */
function isIncompleteRead(e: unknown): e is Error & { kind: 'incomplete-read' } {
  return e instanceof Error && (e as { kind?: unknown }).kind === 'incomplete-read';
}

export interface DriftJob {
  owner: string;
  repo: string;
  branch: string;
  selfHeal: boolean;
  /** `propose`: drift also becomes a pull request (needs `deps.driftPullRequests`). Default `report`. */
  driftMode?: 'report' | 'propose';
  /** Labels on the drift pull request. */
  labels?: readonly string[];
}

export interface DriftDeps extends ReconcileDeps {
  /** The proposals' pull-request port for the event's repository (built by the runtime). */
  driftPullRequests?: (repo: { owner: string; repo: string }) => Promise<ProposalPullRequests>;
}

export type DriftOutcome =
  | { kind: 'invalid'; errors: ConfigEntryError[] }
  | { kind: 'in-sync'; plan: Plan; proposal?: ProposalAction }
  | { kind: 'drift'; plan: Plan; proposal?: ProposalAction }
  | { kind: 'healed'; plan: Plan; report: ApplyReport };

export async function detectDrift(deps: DriftDeps, target: ReconcileTarget, job: DriftJob): Promise<DriftOutcome> {
  // Self-heal goes through the one commit-apply path, so it obeys the stale-commit rule: a HEAD older
  // than the last applied commit (a branch moved back) is reported, never applied over the newer state.
  const repo = { owner: job.owner, repo: job.repo };
  const title = `consul-gitops: Consul differs from ${job.branch} (${target.name})`;
  const marker = `drift-${target.name}`;
  let result: Awaited<ReturnType<typeof applyCommitUnderLock<never>>>;
  let files: readonly SourceFile[] = [];
  try {
    result = await applyCommitUnderLock<never>(
      { ...deps, leaseMs: deps.leaseMs ?? 14 * 60_000, lockWaitMs: deps.lockWaitMs ?? 60_000 },
      {
        name: target.name,
        stateKeyPrefix: target.stateKeyPrefix,
        plan: withTargetVersion(
          {
            prune: target.prune,
            adopt: false,
            ...(target.massDelete ? { massDelete: target.massDelete } : {}),
            ...(target.crdNamespaces ? { crdNamespaces: target.crdNamespaces } : {}),
          },
          await targetVersion(deps.consulVersion, target),
        ),
      },
      {
        load: async () => {
          const desired = await deps.source.read({ owner: job.owner, repo: job.repo, sha: job.branch }, target.dir);
          files = desired.files;
          return { files: desired.files, ref: { commit: desired.revision, commitTime: desired.commitTime ?? deps.now().toISOString() } };
        },
        shouldApply: (plan) => hasChanges(plan) && job.selfHeal,
      },
    );
  } catch (e) {
    // Consul answered, but ACLs may have hidden entries: neither "in sync" nor a plan of creates is
    // true. Say so where drift is reported, then fail the run.
    if (isIncompleteRead(e))
      await deps.reporter.upsertIssue(
        repo,
        title,
        `Drift on ${target.name} cannot be checked: Consul's answer was incomplete.\n\n${e.message}\n`,
        marker,
        true,
      );
    throw e;
  }
  const outcome: DriftOutcome =
    result.kind === 'invalid'
      ? result
      : result.kind === 'applied'
        ? { kind: 'healed', plan: result.plan, report: result.report }
        : // Consul differs from Git also where no apply writes (consul-k8s entries, files gone with pruning off).
          { kind: hasChanges(result.plan) || unwrittenDifferences(result.plan).length > 0 ? 'drift' : 'in-sync', plan: result.plan };
  // After the lock is released: the pull request is Git's business, Consul is not touched.
  if ((outcome.kind === 'drift' || outcome.kind === 'in-sync') && job.driftMode === 'propose' && deps.driftPullRequests) {
    // GitHub or Consul KV failing here is the proposal's failure, reported; the drift report still goes out.
    try {
      const pulls = await deps.driftPullRequests(repo);
      const proposed = await proposeDrift(
        files,
        outcome.plan,
        { pulls, state: deps.state },
        {
          target: target.name,
          stateKeyPrefix: target.stateKeyPrefix,
          branch: job.branch,
          labels: job.labels ?? [],
          now: deps.now().getTime(),
          ...(target.crdNamespaces ? { crdNamespaces: target.crdNamespaces } : {}),
        },
      );
      outcome.proposal = proposed.action;
    } catch (e) {
      outcome.proposal = { key: 'drift', branch: driftBranchName(target.name), kind: 'failed', detail: e instanceof Error ? e.message : String(e) };
    }
  }
  const proposedIn =
    outcome.kind === 'drift' && outcome.proposal?.pr && outcome.proposal.kind !== 'closed'
      ? `\n\nProposed back to Git (\`driftMode: propose\`): ${outcome.proposal.pr.url}\n`
      : '';
  switch (outcome.kind) {
    case 'in-sync':
      await deps.reporter.upsertIssue(repo, title, `Consul matches \`${job.branch}\` again (${deps.now().toISOString()}).`, marker, false);
      break;
    case 'drift':
      await deps.reporter.upsertIssue(
        repo,
        title,
        renderPlanMarkdown({ plan: outcome.plan, title: `Drift on ${target.name}: ${driftSummary(outcome.plan)}` }) + proposedIn,
        marker,
        true,
      );
      break;
    case 'healed':
      await deps.reporter.upsertIssue(
        repo,
        title,
        renderPlanMarkdown({ plan: outcome.plan, report: outcome.report, title: `Drift on ${target.name} repaired (self-heal)` }),
        marker,
        !outcome.report.ok,
      );
      break;
    case 'invalid':
      await deps.reporter.upsertIssue(repo, title, renderPlanMarkdown({ errors: outcome.errors, title: `${job.branch} does not validate` }), marker, true);
      break;
  }
  return outcome;
}

/** The plan's summary, and what differs that no apply writes. */
function driftSummary(plan: Plan): string {
  const unwritten = unwrittenDifferences(plan).length;
  if (!unwritten) return planSummaryLine(plan);
  return hasChanges(plan) ? `${planSummaryLine(plan)} Also ${unwrittenSummary(unwritten)}.` : `${unwrittenSummary(unwritten)}.`;
}
