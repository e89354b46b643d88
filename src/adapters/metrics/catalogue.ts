// The metrics a reconcile run publishes, named once for every exporter: CloudWatch (namespace
// ConsulGitops, through embedded metric format), Prometheus (`serve`'s GET /metrics) and the
// dashboard in infra/. Each reads its value from the run's figures (src/app/metrics.ts).
import type { RunFigures } from '../../app/ports/metrics.ts';

export const NAMESPACE = 'ConsulGitops';
/** Powertools' `service` dimension, on every CloudWatch metric. */
export const SERVICE = 'consul-gitops';

export interface MetricDefinition {
  cloudWatch: string;
  prometheus: string;
  help: string;
  unit: 'Count' | 'Milliseconds';
  /** counter: added up over runs; gauge: the latest run's value; summary: Prometheus sum and count. */
  type: 'counter' | 'gauge' | 'summary';
  /** Prometheus labels besides `target` (CloudWatch: see cloudwatch-metrics.ts for its dimensions). */
  labels: readonly ('mode' | 'outcome')[];
  /** undefined: the run has no such figure (a drift count after an apply), nothing is recorded. */
  value(f: RunFigures): number | undefined;
}

export const RUNS: MetricDefinition = {
  cloudWatch: 'ReconcileRuns',
  prometheus: 'consul_gitops_reconcile_runs_total',
  help: 'Reconcile runs per target, by mode (apply, plan, drift) and outcome (applied, in-sync, drift, healed, invalid, error, ...).',
  unit: 'Count',
  type: 'counter',
  labels: ['mode', 'outcome'],
  value: () => 1,
};

export const RUN_METRICS: readonly MetricDefinition[] = [
  {
    cloudWatch: 'ReconcileRunsNotOk',
    prometheus: 'consul_gitops_reconcile_runs_not_ok_total',
    help: 'Runs that need a person: a failed or conflicting write, drift, an invalid tree, a refusal, an error.',
    unit: 'Count',
    type: 'counter',
    labels: [],
    value: (f) => (f.ok ? 0 : 1),
  },
  {
    cloudWatch: 'ReconcileDuration',
    prometheus: 'consul_gitops_reconcile_duration_seconds',
    help: 'Wall time of one run of one target, from reading the branch to the last report.',
    unit: 'Milliseconds',
    type: 'summary',
    labels: ['mode'],
    value: (f) => f.durationMs,
  },
  {
    cloudWatch: 'EntriesApplied',
    prometheus: 'consul_gitops_entries_applied_total',
    help: 'Config entries written or deleted in Consul.',
    unit: 'Count',
    type: 'counter',
    labels: [],
    value: (f) => f.writes?.applied,
  },
  {
    cloudWatch: 'EntryConflicts',
    prometheus: 'consul_gitops_entry_conflicts_total',
    help: 'Writes refused by check-and-set because the entry changed in Consul meanwhile.',
    unit: 'Count',
    type: 'counter',
    labels: [],
    value: (f) => f.writes?.conflicts,
  },
  {
    cloudWatch: 'EntryFailures',
    prometheus: 'consul_gitops_entry_failures_total',
    help: 'Writes Consul refused or whose outcome is unknown.',
    unit: 'Count',
    type: 'counter',
    labels: [],
    value: (f) => f.writes?.failed,
  },
  {
    cloudWatch: 'DriftedEntries',
    prometheus: 'consul_gitops_drifted_entries',
    help: 'Entries that differ from the default branch at the last drift check.',
    unit: 'Count',
    type: 'gauge',
    labels: [],
    value: (f) => f.driftedEntries,
  },
  {
    cloudWatch: 'PermissiveServices',
    prometheus: 'consul_gitops_permissive_services',
    help: 'Services still accepting plaintext (MutualTLSMode permissive in Consul) at the last advisor run.',
    unit: 'Count',
    type: 'gauge',
    labels: [],
    value: (f) => f.advisor?.permissiveServices,
  },
  {
    cloudWatch: 'ReadyForStrictServices',
    prometheus: 'consul_gitops_ready_for_strict_services',
    help: 'Permissive services whose sidecars saw no plaintext over the advisor window (verdict ready-for-strict).',
    unit: 'Count',
    type: 'gauge',
    labels: [],
    value: (f) => f.advisor?.readyForStrict,
  },
  {
    cloudWatch: 'PostureChecksFailing',
    prometheus: 'consul_gitops_posture_checks_failing',
    help: 'Production-checklist checks (audit --posture) failing at the last scheduled run.',
    unit: 'Count',
    type: 'gauge',
    labels: [],
    value: (f) => f.posture?.failing,
  },
  {
    cloudWatch: 'PostureChecksUnknown',
    prometheus: 'consul_gitops_posture_checks_unknown',
    help: 'Production-checklist checks the token could not read at the last scheduled run (never counted as passing).',
    unit: 'Count',
    type: 'gauge',
    labels: [],
    value: (f) => f.posture?.unknown,
  },
];
