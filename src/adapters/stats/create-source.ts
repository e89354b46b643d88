// Picks and builds a target's TrafficSampleSource: from `--stats prometheus=URL|envoy` or from the
// `advisor.stats` section of consul-gitops.yaml (StatsConfigSchema, wired in src/config/targets.ts).
import type { TrafficSampleSource } from '../../core/advisor/model.ts';
import type { StateStore } from '../../app/ports/config-entry-store.ts';
import { EnvoyStatsSchema, PrometheusStatsSchema, StatsConfigSchema, type StatsConfig } from './config.ts';
import { EnvoyTrafficSource, type SidecarDirectory } from './envoy-source.ts';
import type { CredentialsProvider } from './prometheus-auth.ts';
import { PrometheusTrafficSource } from './prometheus-source.ts';
import { ConsulGitopsError } from '../../errors.ts';

export { StatsConfigSchema, type StatsConfig } from './config.ts';

export interface StatsSourceDeps {
  /** A ConsulClient (only its sidecar listing is used: by the envoy source to scrape, by Prometheus's to check coverage). */
  consul: SidecarDirectory;
  state: StateStore;
  stateKeyPrefix: string;
  target: string;
  env: Record<string, string | undefined>;
  /** Tests and callers with their own AWS chain. */
  awsCredentials?: CredentialsProvider;
  /** Envoy source: loopback among the default sidecar networks (the CLI: yes; serve and Lambda: no). */
  loopbackByDefault?: boolean;
  /** Notices for the user (credentials in the Prometheus URL that others supersede); the CLI writes them to stderr. */
  warn?: (line: string) => void;
}

/**
 * `--stats prometheus=URL` or `--stats envoy`, on top of the target's configured section: the flag
 * chooses the source and the URL, the file keeps supplying auth, names and limits.
 */
export function parseStatsFlag(flag: string, configured?: StatsConfig): StatsConfig {
  const text = flag.trim();
  if (text === 'envoy') {
    return { envoy: configured && 'envoy' in configured ? configured.envoy : EnvoyStatsSchema.parse({}) };
  }
  const m = /^prometheus=(.+)$/.exec(text);
  if (m) {
    const base = configured && 'prometheus' in configured ? configured.prometheus : undefined;
    const parsed = PrometheusStatsSchema.safeParse({ ...(base ?? {}), url: m[1] });
    if (!parsed.success) throw new ConsulGitopsError('usage', `--stats prometheus=${withoutUserinfo(m[1])}: the URL must be http:// or https://`);
    return { prometheus: parsed.data };
  }
  throw new ConsulGitopsError('usage', `--stats ${withoutUserinfo(text)}: expected "prometheus=URL" or "envoy"`);
}

export function createTrafficSampleSource(config: StatsConfig, deps: StatsSourceDeps): TrafficSampleSource {
  const checked = StatsConfigSchema.parse(config);
  if ('prometheus' in checked) {
    return new PrometheusTrafficSource(checked.prometheus, {
      env: deps.env,
      sidecars: deps.consul,
      ...(deps.awsCredentials ? { awsCredentials: deps.awsCredentials } : {}),
      ...(deps.warn ? { warn: deps.warn } : {}),
    });
  }
  return new EnvoyTrafficSource(checked.envoy, {
    consul: deps.consul,
    state: deps.state,
    stateKeyPrefix: deps.stateKeyPrefix,
    target: deps.target,
    ...(deps.loopbackByDefault === false ? { loopbackByDefault: false } : {}),
  });
}

/**
 * A refused flag as text with everything between the scheme's `//` and the last `@` shown as `…`: the
 * flag was refused, so its password never joined the known secrets. Up to the last `@`, not the URL
 * syntax's first `/`: a careless password holding `/`, `#` or `@` unencoded is what made it no URL.
 */
function withoutUserinfo(text: string): string {
  return text.replace(/^(.*?:\/\/)?.*@/s, (_, scheme: string | undefined) => `${scheme ?? ''}…@`);
}
