// The one place the advise command gets its stats source from: `--stats prometheus=URL|envoy`, or
// the target's `advisor.stats` (already validated by src/config/targets.ts), turned into a
// TrafficSampleSource with the target's Consul client, KV history and environment.
import type { ConsulClient } from '../adapters/consul/client.ts';
import { createTrafficSampleSource, parseStatsFlag, type StatsConfig } from '../adapters/stats/create-source.ts';
import type { StateStore } from '../app/ports/config-entry-store.ts';
import type { TrafficSampleSource } from '../core/advisor/model.ts';
import { ConsulGitopsError } from '../errors.ts';

export interface TrafficSourceRequest {
  /** The `--stats` flag as given, when given (it wins over the config's choice of source). */
  flag?: string;
  /** The target's `advisor.stats`, validated by StatsConfigSchema when consul-gitops.yaml was read. */
  config?: StatsConfig;
  consul: ConsulClient;
  state: StateStore;
  stateKeyPrefix: string;
  target: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Whether the advisor runs on a server (serve, Lambda): there loopback is left out of the default
   * sidecar networks, since its own host is what a hostile registration would point it at.
   */
  server?: boolean;
  /** Where notices for the user go (the CLI: stderr, as `warning: …`; serve and Lambda: their log). */
  warn?: (line: string) => void;
}

export type TrafficSourceFactory = (request: TrafficSourceRequest) => TrafficSampleSource;

export const createTrafficSource: TrafficSourceFactory = (request) => {
  // The flag chooses the source and the URL; the file keeps supplying auth, names and limits.
  const config = request.flag !== undefined ? parseStatsFlag(request.flag, request.config) : request.config;
  if (!config)
    throw new ConsulGitopsError(
      'usage',
      '--stats: say where samples come from: --stats prometheus=URL or --stats envoy (or advisor.stats in consul-gitops.yaml)',
    );
  return createTrafficSampleSource(config, {
    consul: request.consul,
    state: request.state,
    stateKeyPrefix: request.stateKeyPrefix,
    target: request.target,
    env: { ...request.env },
    ...(request.server ? { loopbackByDefault: false } : {}),
    ...(request.warn ? { warn: request.warn } : {}),
  });
};
