// reconcile: the use case behind the webhook-driven function and `serve`. Reads the tree at a
// commit from GitHub, plans it against the target's Consul, applies it on the default branch (one
// run per target at a time, never an older commit over a newer one), and reports back on GitHub:
// a commit status, and for a pull request the plan as one comment updated in place. A plan too long
// for one comment is kept whole in the plan archive, linked from the comment and the status's Details.
import type { ConfigEntryError } from '../model/errors.ts';
import type { ConfigEntryStore, StateStore } from './ports/config-entry-store.ts';
import type { Plan } from '../core/plan/plan.ts';
import type { DesiredStateSource, ResultReporter } from './ports/github.ts';
import { applySummaryLine, planSummaryLine, renderPlanMarkdown } from '../reports/plan-markdown.ts';
import type { MassDeletePolicy } from '../core/plan/mass-delete.ts';
import { needsAdopt, type PlanOptions } from '../core/plan/plan.ts';
import { makePlan } from './make-plan.ts';
import { stateKey } from './commit-state.ts';
import { notApplied, type ApplyReport } from './apply-plan.ts';
import { recordDelivery, wasDelivered } from './deliveries.ts';
import { applyCommitUnderLock, RecordAfterApplyError, type CommitApplyOutcome } from './apply-commit.ts';
import { compareWithReviewed, recordReviewedPlan, reviewedKey, type MergedPullRequests, type ReviewComparison } from './saved-plan-review.ts';
import { briefDifference, describeDifference } from '../core/plan/saved-plan-review.ts';
import { fence, GITHUB_BODY_LIMIT, text } from '../reports/markdown.ts';
import { fullPlanText, type PlanArchive } from './plan-archive.ts';
import { targetVersion, withTargetVersion, withTargetVersionNotes, type ConsulVersionSource } from './target-version.ts';
import { ConsulGitopsError, errorCode } from '../errors.ts';
import type { CrdNamespaces } from '../model/tenancy.ts';
import { TargetBusyError, type ProcessIdentity } from './target-lock.ts';

export interface ReconcileTarget {
  name: string;
  dir: string;
  prune: boolean;
  massDelete?: MassDeletePolicy;
  stateKeyPrefix: string;
  /** consul-gitops.yaml `consulVersion`: version-dependent rules follow the target's Consul. */
  consulVersion?: string;
  /** consul-gitops.yaml `crdNamespaces`: CRDs' Consul namespaces as consul-k8s maps them. */
  crdNamespaces?: CrdNamespaces;
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
  /** Renew the lease while the run works (default true); false under a deadline the lease already covers (Lambda). */
  renewLease?: boolean;
  /** This process, written into the lease (`serve`: a restart on this host breaks a dead predecessor's lease). */
  holderProcess?: ProcessIdentity;
  /**
   * Which pull request a pushed commit merged: with it, what the merge applies is compared with the
   * plan shown on that pull request's head, and a difference is reported. Without it, no comparison.
   */
  pulls?: MergedPullRequests;
  /** GitHub's web root for file links (`https://github.com`, or a GitHub Enterprise host). */
  webUrl?: string;
  /** Keeps a pull request's plan whole when its comment cannot hold it; without it, the comment says to run `plan`. */
  plans?: PlanArchive;
  /** The target's Consul version as its server reports it, when `consulVersion` is not configured. */
  consulVersion?: ConsulVersionSource;
  /**
   * Where the Consul token's secret was set (`CONSUL_HTTP_TOKEN`, `DC1_TOKEN (tokenEnv)`, …), never
   * the secret: a status for a token Consul does not know says where to look.
   */
  consulTokenFrom?: string;
}

export interface ReconcileJob {
  owner: string;
  repo: string;
  sha: string;
  deliveryId: string;
  /** The webhook body's SHA-256 (ReconcileRequest.payloadDigest): the delivery is remembered by it too. */
  payloadDigest?: string;
  mode: 'apply' | 'plan';
  pullRequest?: { number: number };
  /** The commit this one replaces (the branch's or the pull request's previous head). */
  supersedes?: string;
}

export type ReconcileOutcome =
  | { kind: 'duplicate' }
  | { kind: 'invalid'; errors: ConfigEntryError[] }
  | { kind: 'planned'; plan: Plan }
  | { kind: 'refused'; plan: Plan; reason: string }
  | { kind: 'stale'; plan?: Plan; reason: string }
  | { kind: 'applied'; plan: Plan; report: ApplyReport };

const LEASE_MS = 14 * 60_000; // under Lambda's 15-minute ceiling

/** The plan comment's budget: GitHub's limit, less room for the reporter's hidden marker line. */
const COMMENT_CHARS = GITHUB_BODY_LIMIT - 256;

/**
 * How a pull request's plan run opens every status it posts, on the context the default branch's
 * apply posts on too (one required check for branch protection). A head fast-forwarded from a
 * planned pull request carries the plan's status until its push is run: the owed check
 * (reconcile-owed.ts) must not read that as an apply's end, and tells them apart by these.
 */
const PLAN_PENDING = 'planning';
const PLAN_PREFIX = 'Plan: '; // summaryLine's own opening, and the invalid tree's
const PLAN_FAILED = 'Plan failed: ';

/** Whether a status description is one a plan run posted (never an apply run's). */
export function isPlanStatus(description: string | undefined): boolean {
  return description !== undefined && (description === PLAN_PENDING || description.startsWith(PLAN_PREFIX) || description.startsWith(PLAN_FAILED));
}

export function reconcileSucceeded(o: ReconcileOutcome): boolean {
  return o.kind === 'duplicate' || o.kind === 'planned' || o.kind === 'stale' || (o.kind === 'applied' && o.report.ok);
}

export async function reconcileCommit(deps: ReconcileDeps, target: ReconcileTarget, job: ReconcileJob): Promise<ReconcileOutcome> {
  const prefix = `${target.stateKeyPrefix.replace(/\/+$/, '')}/${target.name}`;
  const deliveries = `${prefix}/deliveries/${job.mode}`;
  const ref = { owner: job.owner, repo: job.repo, sha: job.sha };
  const delivery = { id: job.deliveryId, ...(job.payloadDigest ? { digest: job.payloadDigest } : {}) };
  // Set once Consul was changed: a later failure (GitHub, Consul KV) must say the changes are live.
  let applied: ApplyReport | undefined;
  let review: ReviewComparison | undefined;
  try {
    if (job.mode !== 'apply') {
      if (await wasDelivered(deps.state, deliveries, delivery)) return { kind: 'duplicate' };
      await deps.reporter.commitStatus(ref, 'pending', PLAN_PENDING);
      const desired = await deps.source.read(ref, target.dir);
      // The last recorded apply labels entries changed outside consul-gitops in the PR's plan too.
      const version = await targetVersion(deps.consulVersion, target);
      const made = await makePlan(desired.files, deps.store, withTargetVersion(planOptions(target), version), {
        history: { state: deps.state, key: stateKey(target.stateKeyPrefix, target.name) },
        target: target.name,
      });
      const outcome: ReconcileOutcome = made.plan
        ? { kind: 'planned', plan: withTargetVersionNotes(made.plan, version) }
        : { kind: 'invalid', errors: made.errors };
      // Remembered before it is shown: what the merge applies is compared with this plan.
      if (made.plan && job.pullRequest)
        await recordReviewedPlan(
          deps.state,
          reviewedKey(target.stateKeyPrefix, target.name, job.pullRequest.number),
          { pullRequest: job.pullRequest.number, headSha: job.sha, plannedAt: deps.now().toISOString() },
          made.plan,
        );
      await report(deps, target, job, outcome);
      await recordDelivery(deps.state, deliveries, delivery);
      return outcome;
    }
    // The delivery check, the run, the report and the delivery record all happen under the target
    // lock, so two deliveries of the same push (two containers) cannot both get past the check.
    const outcome = await applyCommitUnderLock(
      { ...deps, leaseMs: deps.leaseMs ?? LEASE_MS, lockWaitMs: deps.lockWaitMs ?? 5 * 60_000 },
      {
        name: target.name,
        stateKeyPrefix: target.stateKeyPrefix,
        plan: withTargetVersion(planOptions(target), await targetVersion(deps.consulVersion, target)),
      },
      {
        load: async () => {
          if (await wasDelivered(deps.state, deliveries, delivery)) return { done: 'duplicate' as const };
          await deps.reporter.commitStatus(ref, 'pending', 'planning and applying');
          const desired = await deps.source.read(ref, target.dir);
          // GitHub gives the committer date; applyCommitUnderLock refuses it unless it is RFC 3339.
          const order = deps.source.order?.bind(deps.source);
          return {
            files: desired.files,
            ref: { commit: job.sha, commitTime: desired.commitTime ?? deps.now().toISOString() },
            // Two commits of the same second are ordered by the repository's history.
            ...(order ? { order: (base: string, head: string) => order({ owner: job.owner, repo: job.repo }, base, head) } : {}),
          };
        },
        // Never holds the plan back (GitOps applies what the branch says): it only learns, before
        // applying, how the plan differs from the one reviewed on the merged pull request.
        shouldApply: async (plan) => {
          if (deps.pulls) review = await compareWithReviewed({ state: deps.state, pulls: deps.pulls }, target, ref, plan);
          return true;
        },
        onApplied: (r) => (applied = r),
        finish: async (o) => {
          await report(deps, target, job, asReconcileOutcome(o), review);
          // An apply that did not land whole is not done: a redelivery must run it again, not
          // answer "already handled" while Consul still differs from the commit.
          if (o.kind !== 'applied' || o.report.ok) await recordDelivery(deps.state, deliveries, delivery);
        },
      },
    );
    return outcome.kind === 'done' ? { kind: 'duplicate' } : asReconcileOutcome(outcome);
  } catch (e) {
    // Consul or GitHub failed under us: say so on the commit rather than leave it pending or blank.
    // The error goes on to the caller (Lambda retries, then the dead-letter queue); the delivery is
    // not recorded, so the retry does the work.
    // A failed record already says what is live; here the summary below says it, so only its cause.
    const message = e instanceof RecordAfterApplyError ? e.reason : statusReason(e, deps.consulTokenFrom);
    const changed = applied && applied.counts.applied > 0 ? applied : undefined;
    // After Consul was changed, never a bare "failed": the changes are live, only what followed failed.
    const description = changed
      ? `${changed.counts.applied} change(s) applied to Consul, then failed: ${message}`
      : `${job.mode === 'plan' ? PLAN_FAILED : 'reconcile failed: '}${message}`;
    // Turned away by another run's lease: nothing was done, and it will be. `pending` says so to
    // branch protection and people alike, with when: the drift check (the Lambda schedule, serve's
    // timer) runs a pending head once no lease holds the target (reconcile-owed.ts).
    const busy = !changed && job.mode === 'apply' && e instanceof TargetBusyError;
    await (busy ? deps.reporter.commitStatus(ref, 'pending', busyStatus(target.name, e)) : deps.reporter.commitStatus(ref, 'error', description)).catch(
      () => undefined,
    );
    // A pull request's plan comment still showed the plan of an older head: a reviewer would read a
    // plan for a head that no longer plans. It now says this head's plan failed, and why, in full.
    if (job.mode === 'plan' && job.pullRequest)
      await deps.reporter
        .upsertPullRequestComment(ref, job.pullRequest.number, planFailedMarkdown(target.name, job.sha, description), `plan-${target.name}`)
        .catch(() => undefined);
    if (changed) {
      // The cause's code stays: the edges decide by it (target-busy, consul, github …).
      throw new ConsulGitopsError(
        errorCode(e),
        `commit ${job.sha.slice(0, 12)} was applied to Consul on target ${target.name} (${applySummaryLine(changed)}), then the run failed: ${message}`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** A run turned away by another's lease, as its commit's `pending` status says it. */
export const busyStatus = (target: string, e: TargetBusyError) =>
  `target ${target} busy${e.expiresAt ? ` until ${e.expiresAt}` : ''}: retried at the first drift check after that (held by ${e.holder})`;

/** The end of the lease a busyStatus told the commit to wait for, else undefined. */
export const busyUntil = (description: string | undefined) =>
  /^target .* busy until (\S+): retried at the first drift check after that /.exec(description ?? '')?.[1];

/**
 * An error as a commit status says it: GitHub keeps 140 characters, so what ACLs kept from the run
 * (the request and the right it needs) goes first, not the 36-character AccessorID Consul's text
 * opens with, nor the adapter's explanation of X-Consul-Results-Filtered-By-ACLs.
 */
function statusReason(e: unknown, tokenFrom: string | undefined): string {
  if (!(e instanceof Error)) return String(e);
  const x = e as Error & { kind?: unknown; method?: unknown; path?: unknown; missingPermission?: unknown };
  // Consul's whole answer to a secret it does not know (acl.ErrNotFound) names neither the cause nor
  // where the secret came from: the CLI's hint (src/cli/main.ts), in the room a status has.
  if (x.kind === 'permission' && /^ACL not found$/i.test(e.message))
    return `ACL not found: no token in Consul has the secret in ${tokenFrom ?? 'the token setting'} (deleted, expired or another cluster's)`;
  if (x.kind === 'incomplete-read' && typeof x.missingPermission === 'string')
    return `token cannot read all of ${String(x.method)} ${String(x.path)}; it needs ${x.missingPermission}`;
  const denied = deniedPermission(e.message);
  if (denied) return `token lacks permission ${denied}`;
  return e.message;
}

/** `'service:write' on "web"` from Consul's Permission denied text (acl.PermissionDeniedError), else undefined. */
function deniedPermission(message: string | undefined): string | undefined {
  return message
    ? /^Permission denied: (?:token with AccessorID '[^']*'|anonymous token) lacks permission ('[^']*'(?: on "[^"]*")?)/.exec(message)?.[1]
    : undefined;
}

/** `shouldApply` always says yes, so nothing is held back; were it, it would be a plan. */
function asReconcileOutcome(o: CommitApplyOutcome): ReconcileOutcome {
  return o.kind === 'held' ? { kind: 'planned', plan: o.plan } : o;
}

function planOptions(target: ReconcileTarget): PlanOptions {
  return {
    prune: target.prune,
    adopt: false,
    ...(target.massDelete ? { massDelete: target.massDelete } : {}),
    ...(target.consulVersion ? { consulVersion: target.consulVersion } : {}),
    ...(target.crdNamespaces ? { crdNamespaces: target.crdNamespaces } : {}),
  };
}

async function report(deps: ReconcileDeps, target: ReconcileTarget, job: ReconcileJob, outcome: ReconcileOutcome, review?: ReviewComparison): Promise<void> {
  const ref = { owner: job.owner, repo: job.repo, sha: job.sha };
  const web = (deps.webUrl ?? 'https://github.com').replace(/\/+$/, '');
  const fileUrl = (path: string, line: number) => `${web}/${job.owner}/${job.repo}/blob/${job.sha}/${path}#L${line}`;
  const title = `consul-gitops ${job.mode} for ${target.name}`;
  let markdown: string | undefined;
  switch (outcome.kind) {
    case 'duplicate':
      return;
    case 'invalid':
      await deps.reporter.commitStatus(
        ref,
        'failure',
        `${job.mode === 'plan' ? PLAN_PREFIX : ''}${outcome.errors.length} error(s) in config entries; nothing applied`,
      );
      markdown = renderPlanMarkdown({ errors: outcome.errors, title, revision: job.sha, fileUrl });
      break;
    case 'planned': {
      const input = { plan: outcome.plan, title, revision: job.sha, fileUrl, maxChars: COMMENT_CHARS };
      // Kept only when the comment cannot show every change in full: a small plan is whole in the
      // comment already, and every stored plan is one more link that reads it for 30 days.
      const archived = job.pullRequest ? await archiveIfTooLong(deps, target, job, renderPlanMarkdown({ ...input, maxChars: Infinity }), outcome.plan) : {};
      await deps.reporter.commitStatus(ref, outcome.plan.refused ? 'failure' : 'success', planSummaryLine(outcome.plan), archived.fullPlanUrl);
      markdown = renderPlanMarkdown({ ...input, ...archived });
      break;
    }
    case 'refused':
      await deps.reporter.commitStatus(ref, 'failure', outcome.reason);
      break;
    case 'stale':
      await deps.reporter.commitStatus(ref, 'error', `not applied: ${outcome.reason}`);
      break;
    case 'applied': {
      // The webhook never adopts: say why Consul still differs, before the counts (the description is cut at 140).
      const unadopted = needsAdopt(outcome.plan).length;
      const why = unadopted
        ? `${unadopted} entr${unadopted === 1 ? 'y' : 'ies'} not managed by consul-gitops differ${unadopted === 1 ? 's' : ''} from Git (adopt with apply --adopt). `
        : '';
      await deps.reporter.commitStatus(
        ref,
        outcome.report.ok ? 'success' : 'failure',
        `${reviewNote(review)}${why}${applySummaryLine(outcome.report)}${leftNote(outcome.report)}`,
      );
      if (review && review.kind !== 'same' && review.kind !== 'unknown')
        await deps.reporter.upsertPullRequestComment(ref, review.pullRequest, reviewMarkdown(review, target.name, job.sha), `merged-${target.name}`);
      break;
    }
  }
  if (job.pullRequest && markdown) await deps.reporter.upsertPullRequestComment(ref, job.pullRequest.number, markdown, `plan-${target.name}`);
  await settleSuperseded(deps, job);
}

/**
 * The commit this run's commit replaced, when its own run never reported (killed, every retry
 * dead): its `pending` would stay for good. It becomes `error`, naming the newer commit: not
 * `success` (it was never applied or planned, and a branch or PR pointed at it again must not pass
 * branch protection on a check that never ran), not `failure` (nothing in it was found wrong).
 * Best effort: a failure to ask or to set it is not this run's failure.
 */
async function settleSuperseded(deps: ReconcileDeps, job: ReconcileJob): Promise<void> {
  const old = job.supersedes;
  if (!old || old === job.sha || !deps.reporter.headStatus) return;
  try {
    const status = await deps.reporter.headStatus({ owner: job.owner, repo: job.repo }, old);
    if (status?.sha !== old || status.state !== 'pending') return;
    const newer = job.pullRequest ? `the newer head of #${job.pullRequest.number}` : 'the next push';
    await deps.reporter.commitStatus(
      { owner: job.owner, repo: job.repo, sha: old },
      'error',
      `superseded by ${job.sha.slice(0, 12)} (${newer}) before its run reported; see that commit's status`,
    );
  } catch {
    // left pending: the next run that supersedes it, or a person, settles it
  }
}

/**
 * The link to the whole plan when the comment would pass its budget and an archive is configured.
 * A failure to store is not the run's failure (the plan itself is fine): the comment says why the
 * link is missing, and to run `plan` instead.
 */
async function archiveIfTooLong(
  deps: ReconcileDeps,
  target: ReconcileTarget,
  job: ReconcileJob,
  whole: string,
  plan: Plan,
): Promise<{ fullPlanUrl?: string; fullPlanProblem?: string }> {
  if (!deps.plans || whole.length <= COMMENT_CHARS) return {};
  try {
    return { fullPlanUrl: await deps.plans.store({ target: target.name, commit: job.sha, text: fullPlanText(plan, target.name, job.sha) }) };
  } catch (e) {
    return { fullPlanProblem: e instanceof Error ? e.message : String(e) };
  }
}

/** After the counts: which entries Consul does not hold as Git says, as many as the description's 140 characters show. */
function leftNote(report: ApplyReport): string {
  const left = notApplied(report);
  // A write ACLs refused says which right is missing: without it the status only says "failed".
  const label = (l: (typeof left)[number]) => {
    const denied = deniedPermission(l.message);
    return denied ? `${l.label}: token lacks ${denied}` : l.label;
  };
  return left.length ? ` Not applied: ${left.map((l) => `${l.entry} (${label(l)})`).join(', ')}.` : '';
}

/** First in the status description (GitHub cuts it at 140): that the merge is not what was reviewed. */
function reviewNote(review: ReviewComparison | undefined): string {
  if (!review || review.kind === 'same') return '';
  if (review.kind === 'unknown') return `Not compared with the reviewed plan (${review.reason}). `;
  if (review.kind === 'unreviewed') return `Not the reviewed plan: ${review.reason} (details on #${review.pullRequest}). `;
  const n = review.differences.length;
  return `Differs from the plan reviewed on #${review.pullRequest} in ${n} entr${n === 1 ? 'y' : 'ies'}: ${review.differences.slice(0, 3).map(briefDifference).join('; ')}${n > 3 ? '; …' : ''}. `;
}

/**
 * The plan comment after a plan run failed: the status's text untruncated (the reporter masks known
 * secrets), in a fence so nothing in it is read as Markdown. The older head's plan is replaced, not
 * kept: nothing in it is known to hold for this head.
 */
function planFailedMarkdown(target: string, sha: string, description: string): string {
  return [
    `### ${text(`consul-gitops plan for ${target}`)} at \`${sha.slice(0, 12)}\`: failed`,
    '',
    `The plan for ${sha} could not be made:`,
    '',
    fence('text', description),
    '',
    `Any plan this comment showed before was for an older head of this pull request and is no longer shown: it says nothing of ${sha.slice(0, 12)}. The next push to the pull request plans again (or redeliver its webhook).`,
    '',
  ].join('\n');
}

/** The whole difference, on the merged pull request where its reviewers will see it. */
function reviewMarkdown(review: Extract<ReviewComparison, { kind: 'differs' | 'unreviewed' }>, target: string, sha: string): string {
  const head = `### consul-gitops: the merge applied to ${target} is not the plan reviewed here\n\nCommit ${sha.slice(0, 12)} was applied as Git says (GitOps), but `;
  if (review.kind === 'unreviewed') return `${head}${review.reason}.\n`;
  const lines = review.differences.map((d) => `- \`${describeDifference(d).replace(/`/g, "'")}\``);
  return `${head}it differs from the plan shown on this pull request:\n\n${lines.join('\n')}\n\nThe base branch moved on, or Consul changed, after the review. The commit status of ${sha.slice(0, 12)} says the same.\n`;
}
