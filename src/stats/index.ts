// stats: parsers for Envoy's three /stats formats and the per-sidecar traffic snapshot the
// strict-mode advisor reads; pure functions, no I/O.
export type { ParseIssue } from './parse-issue.ts';
export { parseEnvoyStatsText, type EnvoyStat, type EnvoyHistogram, type EnvoyHistogramPoint, type EnvoyStatsParseResult } from './envoy-text.ts';
export { parseEnvoyStatsJson } from './envoy-json.ts';
export { parsePrometheusText, type PromSample, type PromMetricType, type PrometheusParseResult, type PrometheusParseOptions } from './prometheus-text.ts';
export {
  snapshotFromEnvoyStats,
  snapshotFromPrometheus,
  readsPromStat,
  PERMISSIVE_STAT_PREFIX,
  PUBLIC_STAT_PREFIX,
  DEFAULT_PUBLIC_LISTENER_PORT,
  type SidecarTrafficSnapshot,
  type SnapshotOptions,
  type PromSnapshotOptions,
} from './permissive-counters.ts';
