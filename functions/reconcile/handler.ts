// The reconcile Lambda: an asynchronous event from the webhook (a commit to apply or plan) or the
// schedule (a drift check) → the same use case `serve` runs → one log line per target.
import { ReconcileEvent } from '../../src/app/reconcile-request.ts';
import { limitsFor, runReconcileEvent, throwIfAnyFailed, type TargetRunSummary } from '../../src/app/run-reconcile-event.ts';
import { buildRuntime, type Runtime, type RuntimeOverrides } from '../../src/runtime/build-runtime.ts';
import type { MetricsRecorder } from '../../src/app/metrics.ts';
import { CloudWatchMetrics } from '../../src/adapters/metrics/cloudwatch-metrics.ts';
import { describeError, logFromEnv } from '../../src/runtime/logger.ts';
import { formatProblems, readEnvironment, WEBHOOK_REPOSITORY } from '../../src/config/environment.ts';
import { ConsulGitopsError } from '../../src/errors.ts';

export interface ReconcileHandlerDeps {
  env: Readonly<Record<string, string | undefined>>;
  overrides?: RuntimeOverrides;
  /** Receives each JSON log line (default: stdout). */
  log?: (line: string) => void;
  /** Default: CloudWatch embedded metric format on stdout. */
  metrics?: MetricsRecorder;
}

/** The part of Lambda's context the handler uses: its deadline bounds lock waits and leases. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export type ReconcileHandler = (event: unknown, context?: InvocationContext) => Promise<TargetRunSummary[]>;

export function createReconcileHandler(deps: ReconcileHandlerDeps): ReconcileHandler {
  const baseLog = logFromEnv(deps.env, deps.log);
  const metrics = deps.metrics ?? new CloudWatchMetrics();
  let runtime: Runtime | undefined;
  // Fail closed as the webhook does: without GITHUB_REPOSITORY nothing says whose commits may be
  // applied, and an event (an invoke by hand, a webhook deployed without it) would be run as it came.
  const configured = readEnvironment(deps.env, { repository: WEBHOOK_REPOSITORY });
  return async (event, context) => {
    if (!configured.ok) throw new ConsulGitopsError('config', `invalid reconcile configuration: ${formatProblems(configured.problems)}`);
    const parsed = ReconcileEvent.safeParse(event);
    if (!parsed.success) {
      // A malformed event will not get better on retry: log and drop it rather than throw.
      baseLog('error', 'Invalid reconcile event', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return [];
    }
    // Every line of this event carries the delivery (or schedule event) it came from.
    const log = baseLog.withCorrelationId(parsed.data.deliveryId);
    runtime ??= buildRuntime(deps.env, { log: baseLog, ...deps.overrides });
    // The webhook routes only GITHUB_REPOSITORY's deliveries; an event for another repository (an
    // invoke by hand, a webhook deployed without it) is dropped here too, never applied.
    const repository = runtime.settings.repository;
    const asked = parsed.data.repository;
    if (!repository || repository.owner.toLowerCase() !== asked.owner.toLowerCase() || repository.repo.toLowerCase() !== asked.name.toLowerCase()) {
      log('warn', 'Reconcile event ignored: not the configured repository', {
        mode: parsed.data.mode,
        repository: `${asked.owner}/${asked.name}`,
        configured: repository ? `${repository.owner}/${repository.repo}` : '(none)',
      });
      return [];
    }
    const results = await runReconcileEvent(runtime, parsed.data, context ? limitsFor(context.getRemainingTimeInMillis()) : undefined, metrics);
    for (const { error, ...r } of results) {
      const fields = { mode: parsed.data.mode, deliveryId: parsed.data.deliveryId, ...r };
      if (r.outcome === 'error') log('error', 'Reconcile failed', { ...fields, error: describeError(error) });
      else log(r.ok ? 'info' : 'warn', 'Reconcile finished', fields);
    }
    // After every target finished and was logged: a failure still fails the invocation, so Lambda
    // retries (targets whose delivery was recorded skip the retry as a duplicate).
    throwIfAnyFailed(results);
    return results;
  };
}

/** The Lambda entry point. Errors (Consul or GitHub unreachable) propagate so Lambda retries, then the dead-letter queue. */
export const handler: ReconcileHandler = createReconcileHandler({ env: process.env });
