// One reconcile event (from the webhook, the schedule, or `serve`'s queue) carried out for one or
// every target, in parallel: the body of the reconcile function, kept out of the handler so `serve`
// runs exactly the same thing.
import { busyStatus, busyUntil, reconcileCommit, reconcileSucceeded, type ReconcileOutcome, type ReconcileTarget } from './reconcile-commit.ts';
import { TargetBusyError } from './target-lock.ts';
import { detectDrift, type DriftDeps, type DriftOutcome } from './detect-drift.ts';
import type { ReconcileEvent } from './reconcile-request.ts';
import { adviseAndPropose, advisorSummary, type AdvisorRunDeps, type AdvisorRunSettings } from './proposals/advise-and-propose.ts';
import { ConsulGitopsError, errorCode, TargetsFailedError, type ErrorCode } from '../errors.ts';
import { knownSecrets } from '../known-secrets.ts';
import { refusalOf } from './refusals.ts';
import { owedAtDriftCheck } from './reconcile-owed.ts';
import { notApplied } from './apply-plan.ts';
import type { PlanWarning } from '../core/plan/warnings.ts';
import { advisorFigures, postureFigures, NO_METRICS, outcomeFigures, type MetricsRecorder, type RunFigures } from './metrics.ts';

/** One target's settings and the adapters its run needs; the runtime (src/runtime/build-runtime.ts) builds them. */
export interface TargetRun {
  target: ReconcileTarget & { selfHeal: boolean; driftMode: 'report' | 'propose' };
  deps: DriftDeps;
  /** Present when the target has an `advisor` section: the schedule runs it after the drift check. */
  advisor?: { deps: AdvisorRunDeps; settings: AdvisorRunSettings };
}

/** The port this use case runs through: the configured targets, each built on demand. */
export interface ReconcileTargets {
  targetNames(): string[];
  /** Throws for an unknown name; no name: the first target. */
  forTarget(name?: string): Promise<TargetRun>;
}

export interface TargetRunSummary {
  target: string;
  /**
   * `error`: the run threw (Consul or GitHub unreachable, lock not taken, …); `error` holds what.
   * `busy`: the drift check's owed apply met another run's lease; both wait for the next tick.
   */
  outcome: ReconcileOutcome['kind'] | DriftOutcome['kind'] | 'error' | 'busy';
  ok: boolean;
  summary: string;
  /** Why the run did not go ahead (src/errors.ts): the refusal's code (mass-delete, stale-commit, invalid-entries) or the thrown error's. */
  code?: ErrorCode;
  /** The distinct codes of the plan's warnings (e.g. unsupported-consul-version), when it has any. */
  warnings?: PlanWarning['code'][];
  error?: unknown;
}

/** `{ code }` of a refused outcome, and the codes of its plan's warnings, else nothing. */
const codeOf = (o: ReconcileOutcome | DriftOutcome): { code?: ErrorCode; warnings?: PlanWarning['code'][] } => {
  const refusal = refusalOf(o);
  const warnings = 'plan' in o && o.plan ? [...new Set(o.plan.warnings.map((w) => w.code))] : [];
  return { ...(refusal ? { code: refusal.code } : {}), ...(warnings.length ? { warnings } : {}) };
};

/**
 * Throws when any target's run threw: that target's own error (its code unchanged), or a
 * TargetsFailedError holding every failed target's. Callers log every summary first, so one
 * target's failure hides no other's result.
 */
export function throwIfAnyFailed(results: readonly TargetRunSummary[]): void {
  const failed = results.filter((r) => r.outcome === 'error');
  if (failed.length === 0) return;
  if (failed.length === 1) throw failed[0].error;
  throw new TargetsFailedError(failed);
}

/** Entries a run's summary names one by one; past this, how many more. */
const SUMMARY_ENTRIES = 50;

function summarize(o: ReconcileOutcome | DriftOutcome): string {
  switch (o.kind) {
    case 'invalid':
      return `${o.errors.length} error(s) in config entries; nothing applied`;
    case 'applied':
    case 'healed': {
      const c = o.report.counts;
      const left = notApplied(o.report);
      // Each entry left, with what happened to it: the log line is where the run says which.
      const named = left.slice(0, SUMMARY_ENTRIES).map((l) => `${l.entry}: ${l.message}`);
      if (left.length > SUMMARY_ENTRIES) named.push(`and ${left.length - SUMMARY_ENTRIES} more`);
      return `${c.applied} applied, ${c.failed} failed, ${c.conflict} conflicts, ${c.unknown} outcome unknown, ${c.skipped} skipped${named.length ? `; not applied: ${named.join('; ')}` : ''}`;
    }
    case 'planned':
    case 'drift':
    case 'in-sync':
      return `plan: ${o.plan.summary.create} to create, ${o.plan.summary.update} to update, ${o.plan.summary.delete} to delete`;
    case 'refused':
    case 'stale':
      return o.reason;
    case 'duplicate':
      return 'delivery already handled';
  }
}

/**
 * The default branch's head, run as its push would have been when the drift check finds it owed
 * (src/app/reconcile-owed.ts): under its own delivery id, so the push's own (a late Lambda retry)
 * is not taken for a duplicate. Undefined when nothing is owed or the reporter cannot say.
 */
async function runOwed(
  deps: TargetRun['deps'],
  target: TargetRun['target'],
  event: Extract<ReconcileEvent, { mode: 'drift' }>,
  metrics: MetricsRecorder,
): Promise<{ sha: string; outcome: ReconcileOutcome } | { sha: string; unknown: string } | { sha: string; busy: string; ok: boolean } | undefined> {
  const headStatus = deps.reporter.headStatus?.bind(deps.reporter);
  if (!headStatus) return undefined;
  const repo = { owner: event.repository.owner, repo: event.repository.name };
  const runStart = deps.reporter.runStart?.bind(deps.reporter);
  const owed = await owedAtDriftCheck({ headStatus, ...(runStart ? { runStart } : {}), state: deps.state, now: deps.now }, target, repo, event.branch);
  if (owed.kind === 'nothing') return undefined;
  // Neither run nor called settled: the drift check goes on, and its run says it needs a person.
  if (owed.kind === 'unknown') return { sha: owed.sha, unknown: owed.why };
  const started = performance.now();
  let outcome: ReconcileOutcome;
  try {
    outcome = await reconcileCommit(deps, target, { ...repo, sha: owed.sha, deliveryId: `owed-${owed.sha}-${event.deliveryId}`, mode: 'apply' });
  } catch (e) {
    // Another run took the target between the owed check and this apply: nothing was done, the head's
    // status says until when, and the next drift check after that runs it. Not a failure, unless
    // the head had already been told to wait for a lease that has ended since: the target stays busy
    // past the lease it waited for (runs keep taking it), and a person should look.
    if (e instanceof TargetBusyError) {
      const waited = busyUntil(owed.status);
      const ok = waited === undefined || Date.parse(waited) > deps.now().getTime();
      metrics.record({ target: target.name, mode: 'apply', outcome: 'busy', ok, durationMs: performance.now() - started });
      const busy = `${busyStatus(target.name, e)}${ok ? '' : `; still busy after the lease it waited for ended (${waited})`}`;
      return { sha: owed.sha, busy, ok };
    }
    // Thrown (Consul or GitHub went away under it): still the apply's failure, published and counted
    // on its own record. The drift check does not run after it (it reads the same Consul and GitHub);
    // the invocation fails, so Lambda retries it and the retry runs the owed apply again.
    metrics.record({ target: target.name, mode: 'apply', outcome: 'error', ok: false, durationMs: performance.now() - started });
    throw new OwedApplyError(owed.sha, e);
  }
  // An apply run of its own, published as one: its writes are not the drift check's, and a dashboard
  // counting applies (or their failures) must see it.
  metrics.record({
    target: target.name,
    mode: 'apply',
    outcome: outcome.kind,
    ok: reconcileSucceeded(outcome),
    durationMs: performance.now() - started,
    ...outcomeFigures(outcome),
  });
  return { sha: owed.sha, outcome };
}

/**
 * An owed apply that threw, already published as a failed apply run: the target's run ends with it
 * (its code unchanged), and is not counted a second time under the drift check's mode.
 */
class OwedApplyError extends ConsulGitopsError {
  constructor(sha: string, cause: unknown) {
    // The reason goes into log lines and the invocation's error: known secrets masked here already.
    super(errorCode(cause), `owed ${sha.slice(0, 12)}: apply failed: ${knownSecrets.mask(cause instanceof Error ? cause.message : String(cause))}`, { cause });
  }
}

/** Time limits of one run, from its deadline (a Lambda's remaining time). */
export interface RunLimits {
  lockWaitMs: number;
  leaseMs: number;
}

/**
 * With `remainingMs` of run time left: wait for another run's lease at most half that time and never
 * into the last minute (the run needs it to work), and hold ours only a little past the deadline, so
 * a run killed at its timeout blocks the target briefly, not for the 14-minute default.
 */
export function limitsFor(remainingMs: number): RunLimits {
  return { lockWaitMs: Math.max(0, Math.min(remainingMs - 60_000, remainingMs / 2)), leaseMs: remainingMs + 15_000 };
}

/**
 * Runs every target to the end, even when one of them throws: a target's failure comes back as an
 * `error` summary (see throwIfAnyFailed), never as a rejection that would return while another
 * target is still applying (Lambda freezes the container once the handler returns).
 */
export async function runReconcileEvent(
  runtime: ReconcileTargets,
  event: ReconcileEvent,
  limits?: RunLimits,
  metrics: MetricsRecorder = NO_METRICS,
): Promise<TargetRunSummary[]> {
  const names = event.target ? [event.target] : runtime.targetNames();
  const settled = await Promise.allSettled(
    names.map(async (name): Promise<TargetRunSummary> => {
      const started = performance.now();
      // Figures of this target's run, recorded once whatever the run ends with (the error too).
      let figures: Pick<RunFigures, 'writes' | 'driftedEntries' | 'advisor'> = {};
      // `owedFailed`: the drift check's owed apply failed. Its own record (runOwed) already counts that
      // failure in ReconcileRunsNotOk; the drift check's record says only what the drift check found,
      // while the summary (the log line) says the whole scheduled run needs a person.
      const done = (summary: TargetRunSummary, owedFailed = false): TargetRunSummary => {
        metrics.record({ target: name, mode: event.mode, outcome: summary.outcome, ok: summary.ok, durationMs: performance.now() - started, ...figures });
        return owedFailed ? { ...summary, ok: false } : summary;
      };
      try {
        const built = await runtime.forTarget(name);
        const target = built.target;
        // Under a deadline the lease already ends just past it: renewing would keep a killed run's lease alive.
        const deps = limits ? { ...built.deps, ...limits, renewLease: false } : built.deps;
        const owner = event.repository.owner;
        const repo = event.repository.name;
        if (event.mode === 'drift') {
          // First what a push is still owed (its run died, or a busy target turned it away): the
          // head is applied through the ordinary path, then checked for drift like any other.
          const owedRun = await runOwed(deps, target, event, metrics);
          // The run holding the target is changing Consul: what a drift check read now would be half
          // its work. Its own record (runOwed) is this tick's only one; the next tick checks both.
          if (owedRun && 'busy' in owedRun)
            return {
              target: name,
              outcome: 'busy',
              ok: owedRun.ok,
              code: 'target-busy',
              summary: `owed ${owedRun.sha.slice(0, 12)}: ${owedRun.busy}; drift not checked while it holds the target`,
            };
          const o = await detectDrift(deps, target, { owner, repo, branch: event.branch, selfHeal: target.selfHeal, driftMode: target.driftMode });
          figures = outcomeFigures(o);
          const proposal = (o.kind === 'drift' || o.kind === 'in-sync') && o.proposal ? o.proposal : undefined;
          const drift = {
            target: name,
            outcome: o.kind,
            ok: (o.kind === 'in-sync' || (o.kind === 'healed' && o.report.ok)) && proposal?.kind !== 'failed',
            ...codeOf(o),
            summary:
              (owedRun ? `owed ${owedRun.sha.slice(0, 12)}: ${'outcome' in owedRun ? summarize(owedRun.outcome) : owedRun.unknown}; then ` : '') +
              summarize(o) +
              (proposal && proposal.kind !== 'held'
                ? `; drift PR: ${proposal.kind}${proposal.pr ? ` #${proposal.pr.number}` : ''}${proposal.kind === 'failed' && proposal.detail ? ` (${proposal.detail})` : ''}`
                : ''),
          };
          // A head that may be owed and was not run is not ok either: a person decides (its record, too, says so).
          const owedUnknown = owedRun !== undefined && !('outcome' in owedRun);
          if (owedUnknown) drift.ok = false;
          const owedFailed = owedRun !== undefined && 'outcome' in owedRun && !reconcileSucceeded(owedRun.outcome);
          if (!built.advisor || o.kind === 'invalid') return done(drift, owedFailed);
          // The advisor's failure (stats source or GitHub down) is reported, and does not hide the drift result.
          try {
            const a = await adviseAndPropose(built.advisor.deps, built.advisor.settings, { owner, repo, branch: event.branch });
            if (a.kind === 'proposed')
              figures = { ...figures, advisor: advisorFigures(a.report), ...(a.posture ? { posture: postureFigures(a.posture) } : {}) };
            const failed = a.kind === 'proposed' && a.outcome.actions.some((x) => x.kind === 'failed');
            return done({ ...drift, ok: drift.ok && !failed, summary: `${drift.summary}; ${advisorSummary(a)}` }, owedFailed);
          } catch (e) {
            return done({ ...drift, ok: false, summary: `${drift.summary}; advisor failed: ${e instanceof Error ? e.message : String(e)}` }, owedFailed);
          }
        }
        const o = await reconcileCommit(deps, target, {
          owner,
          repo,
          sha: event.sha,
          deliveryId: event.deliveryId,
          ...(event.payloadDigest ? { payloadDigest: event.payloadDigest } : {}),
          mode: event.mode,
          ...(event.pullRequest ? { pullRequest: { number: event.pullRequest.number } } : {}),
          ...(event.supersedes ? { supersedes: event.supersedes } : {}),
        });
        figures = outcomeFigures(o);
        return done({ target: name, outcome: o.kind, ok: reconcileSucceeded(o), summary: summarize(o), ...codeOf(o) });
      } catch (error) {
        if (!(error instanceof OwedApplyError)) done({ target: name, outcome: 'error', ok: false, summary: '' });
        throw error;
      }
    }),
  );
  return settled.map((s, i) =>
    s.status === 'fulfilled'
      ? s.value
      : {
          target: names[i],
          outcome: 'error' as const,
          ok: false,
          summary: s.reason instanceof Error ? s.reason.message : String(s.reason),
          code: errorCode(s.reason),
          error: s.reason,
        },
  );
}
