// The one place the advise command gets its stats source from: `--stats prometheus=URL|envoy`, or
// the target's `advisor.stats`, turned into a TrafficSampleSource.
import type { ConsulClient } from '../adapters/consul/client.ts';
import type { StateStore } from '../core/ports.ts';
import type { TrafficSampleSource } from '../core/advisor/model.ts';

export interface TrafficSourceRequest {
  /** The `--stats` flag as given, when given (it wins over the config). */
  flag?: string;
  /** The target's `advisor.stats`, unvalidated until the stats sources' schema is wired here. */
  config?: unknown;
  consul: ConsulClient;
  state: StateStore;
  stateKeyPrefix: string;
  target: string;
  env: Readonly<Record<string, string | undefined>>;
}

export type TrafficSourceFactory = (request: TrafficSourceRequest) => TrafficSampleSource;

/**
 * Wired at merge to src/adapters/stats/create-source.ts:
 *   const config = request.flag ? parseStatsFlag(request.flag) : StatsConfigSchema.parse(request.config);
 *   return createTrafficSampleSource(config, { consul, state, stateKeyPrefix, target, env });
 */
export const createTrafficSource: TrafficSourceFactory = () => {
  throw new Error('the stats sources are not wired into this build yet (src/runtime/traffic-source.ts)');
};
