// The port a run's figures are published through, and the figures: declared here by the use cases,
// implemented by src/adapters/metrics (CloudWatch embedded metrics, Prometheus text).

export type RunMode = 'apply' | 'plan' | 'drift';

export interface RunFigures {
  target: string;
  mode: RunMode;
  /** The outcome's kind (`applied`, `drift`, `in-sync`, …) or `error` when the run threw. */
  outcome: string;
  /** False for every outcome that needs a person: a failed write, drift, an invalid tree, an error. */
  ok: boolean;
  durationMs: number;
  /** Present when the run wrote to Consul (apply, self-heal). */
  writes?: { applied: number; conflicts: number; failed: number };
  /** Present after a drift check: entries that differ from the branch (to create, update or delete). */
  driftedEntries?: number;
  /** Present when the advisor ran: the walk to strict. */
  advisor?: { permissiveServices: number; readyForStrict: number };
  /** Present when the scheduled run also audited the posture (a target with an advisor section). */
  posture?: { failing: number; unknown: number; warnings: number };
}

/** Declared by the use case, implemented by src/adapters/metrics. Never throws: metrics must not fail a run. */
export interface MetricsRecorder {
  record(figures: RunFigures): void;
}
