// What one reconcile run of one target tells operators in numbers, and the port that publishes it
// (CloudWatch embedded metrics in Lambda, Prometheus text in `serve`). Plain data, derived here
// from the use cases' outcomes so every runtime reports the same figures.
import type { ReconcileOutcome } from './reconcile-commit.ts';
import type { DriftOutcome } from './detect-drift.ts';
import type { AdviceReport } from '../core/advisor/model.ts';
import type { PostureReport } from './posture.ts';
import type { MetricsRecorder, RunFigures } from './ports/metrics.ts';
import { unwrittenDifferences } from '../reports/unwritten-differences.ts';
export type { MetricsRecorder, RunFigures, RunMode } from './ports/metrics.ts';

/** Records nothing: the CLI and tests that do not look at metrics. */
export const NO_METRICS: MetricsRecorder = { record: () => undefined };

/** The writes and drift of a run's outcome; nothing for outcomes that touched nothing. */
export function outcomeFigures(o: ReconcileOutcome | DriftOutcome): Pick<RunFigures, 'writes' | 'driftedEntries'> {
  const drift =
    o.kind === 'drift' || o.kind === 'in-sync' || o.kind === 'healed'
      ? { driftedEntries: o.plan.summary.create + o.plan.summary.update + o.plan.summary.delete + unwrittenDifferences(o.plan).length }
      : {};
  const writes =
    o.kind === 'applied' || o.kind === 'healed'
      ? { writes: { applied: o.report.counts.applied, conflicts: o.report.counts.conflict, failed: o.report.counts.failed + o.report.counts.unknown } }
      : {};
  return { ...drift, ...writes };
}

/**
 * Services still permissive in Consul: the judged ones plus those already strict in Git but not yet
 * in Consul (the report's `drift`); ready-for-strict counts the judged ones the evidence clears.
 */
export function advisorFigures(report: AdviceReport): NonNullable<RunFigures['advisor']> {
  return {
    permissiveServices: report.services.length + report.drift.length,
    readyForStrict: report.services.filter((s) => s.verdict === 'ready-for-strict').length,
  };
}

/** The production-checklist checks that need a person: failing, unreadable (unknown), and warnings. */
export function postureFigures(report: PostureReport): NonNullable<RunFigures['posture']> {
  return { failing: report.counts.fail, unknown: report.counts.unknown, warnings: report.counts.warn };
}
