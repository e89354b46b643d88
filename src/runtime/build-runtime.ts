// The composition root shared by the reconcile and schedule functions and `serve`: settings and
// secrets in, adapters and use-case dependencies per target out. Built once per container or
// process and reused while warm (the GitHub blob cache lives as long as it does).
import { randomUUID } from 'node:crypto';
import { ConsulClient } from '../adapters/consul/client.ts';
import { optionsFromEnv, type ConsulClientOptionsInput } from '../adapters/consul/options.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { GitHubTreeSource } from '../adapters/github/contents-source.ts';
import { createGitHubClient, githubWebUrl, githubClientOptionsFromEnv, type GitHubClientOptions, type Octokit } from '../adapters/github/octokit.ts';
import { GitHubReporter } from '../adapters/github/reporter.ts';
import { GitHubMergedPullRequests } from '../adapters/github/merged-pull-requests.ts';
import { secretSourceFor, type SecretSource } from '../adapters/secrets/secret-source.ts';
import type { Target } from '../config/targets.ts';
import type { ReconcileTarget } from '../app/reconcile-commit.ts';
import type { DriftDeps } from '../app/detect-drift.ts';
import { consulPostureSource } from '../adapters/consul/posture-source.ts';
import { runtimeSettings, type RuntimeSettings } from './settings.ts';
import { createTrafficSource, type TrafficSourceFactory } from './traffic-source.ts';
import { GitHubPostureIssue, GitHubProposalPullRequests } from '../adapters/github/proposal-pull-requests.ts';
import type { AdvisorRunDeps, AdvisorRunSettings } from '../app/proposals/advise-and-propose.ts';
import { parsePromDuration } from '../core/advisor/duration.ts';
import { DEFAULT_THRESHOLDS } from '../core/advisor/model.ts';
import { ConsulGitopsError } from '../errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface RuntimeOverrides {
  /** Extra GitHub client options (tests: no throttling, fast retries). */
  github?: Partial<GitHubClientOptions>;
  consul?: Partial<ConsulClientOptionsInput>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof globalThis.fetch;
  /** Builds the advisor's stats source (default: src/runtime/traffic-source.ts). */
  trafficSource?: TrafficSourceFactory;
}

export interface TargetRuntime {
  target: ReconcileTarget & { selfHeal: boolean; driftMode: 'report' | 'propose' };
  deps: DriftDeps;
  consul: ConsulClient;
  /** Present when the target has an `advisor` section: the schedule runs it after the drift check. */
  advisor?: { deps: AdvisorRunDeps; settings: AdvisorRunSettings };
}

export interface Runtime {
  settings: RuntimeSettings;
  targetNames(): string[];
  forTarget(name?: string): Promise<TargetRuntime>;
  close(): Promise<void>;
}

export function buildRuntime(env: Env, overrides: RuntimeOverrides = {}): Runtime {
  const settings = runtimeSettings(env);
  const consulToken: SecretSource | undefined =
    env.CONSUL_TOKEN_SECRET_ARN || env.CONSUL_TOKEN_SECRET_PARAMETER
      ? secretSourceFor({ secretId: env.CONSUL_TOKEN_SECRET_ARN, parameterName: env.CONSUL_TOKEN_SECRET_PARAMETER }, env, overrides.fetch)
      : undefined;
  const githubToken: SecretSource | undefined =
    env.GITHUB_TOKEN_SECRET_ARN || env.GITHUB_TOKEN_SECRET_PARAMETER
      ? secretSourceFor({ secretId: env.GITHUB_TOKEN_SECRET_ARN, parameterName: env.GITHUB_TOKEN_SECRET_PARAMETER }, env, overrides.fetch)
      : undefined;
  let octokit: Promise<Octokit> | undefined;
  let source: GitHubTreeSource | undefined;
  const consuls = new Map<string, ConsulClient>();

  const github = async (): Promise<Octokit> => {
    octokit ??= (async () => {
      const fromEnv = githubToken ? { auth: { token: await githubToken.value() } } : githubClientOptionsFromEnv({ ...env });
      return createGitHubClient({ ...fromEnv, ...(settings.githubApiUrl ? { baseUrl: settings.githubApiUrl } : {}), ...overrides.github });
    })().catch((error: unknown) => {
      // Not kept: a transient failure (secret store, App token) must not break the warm container for good.
      octokit = undefined;
      throw error;
    });
    return octokit;
  };

  const consulFor = async (t: Target): Promise<ConsulClient> => {
    let client = consuls.get(t.name);
    if (client) return client;
    const c = t.consul;
    const token = consulToken ? await consulToken.value() : c.tokenEnv ? env[c.tokenEnv] : undefined;
    const fromEnv = optionsFromEnv(env);
    client = new ConsulClient({
      ...fromEnv,
      ...(c.address ? { address: c.address } : {}),
      ...(c.datacenter ? { datacenter: c.datacenter } : {}),
      ...(c.partition ? { partition: c.partition } : {}),
      ...(c.namespace ? { namespace: c.namespace } : {}),
      ...(token ? { token } : {}),
      ...(c.tokenFile ? { tokenFile: c.tokenFile } : {}),
      // On top of the environment's TLS settings (client certificate, verify), as the CLI does.
      ...(c.caCert || c.tlsServerName
        ? { tls: { ...fromEnv.tls, ...(c.caCert ? { caFile: c.caCert } : {}), ...(c.tlsServerName ? { serverName: c.tlsServerName } : {}) } }
        : {}),
      ...overrides.consul,
    });
    consuls.set(t.name, client);
    return client;
  };

  const advisorFor = (t: Target, consul: ConsulClient, octo: Octokit, src: GitHubTreeSource, stateKeyPrefix: string): TargetRuntime['advisor'] => {
    const a = t.advisor!;
    const state = new ConsulKvStateStore(consul);
    const window = parsePromDuration(a.window, 'advisor.window');
    const maxGap = parsePromDuration(a.maxGap, 'advisor.maxGap');
    const namespace = consul.options.namespace || 'default';
    const partition = consul.options.partition || 'default';
    return {
      settings: {
        target: t.name,
        dir: t.dir,
        stateKeyPrefix,
        thresholds: { ...DEFAULT_THRESHOLDS, ...(window.ok ? { windowMs: window.ms } : {}), ...(maxGap.ok ? { maxGapMs: maxGap.ms } : {}) },
        expectNoInboundTraffic: a.expectNoInboundTraffic,
        grouping: a.grouping,
        labels: a.labels,
      },
      deps: {
        source: src,
        entries: new ConsulConfigEntryStore(consul),
        state,
        // The catalog in the client's own namespace and partition, as `advise` reads it.
        catalog: { connectEnabledServices: async () => (await consul.connectEnabledServices()).map((name) => ({ name, namespace, partition })) },
        traffic: (overrides.trafficSource ?? createTrafficSource)({ config: a.stats, consul, state, stateKeyPrefix, target: t.name, env }),
        github: async (repo) => ({ pulls: await GitHubProposalPullRequests.forDefaultBranch(octo, repo), dashboard: new GitHubPostureIssue(octo, repo) }),
        now: overrides.now ?? (() => new Date()),
        posture: consulPostureSource(consul),
      },
    };
  };

  return {
    settings,
    targetNames: () => settings.targets.targets.map((t) => t.name),
    async forTarget(name) {
      const t = name ? settings.targets.targets.find((x) => x.name === name) : settings.targets.targets[0];
      if (!t) throw new ConsulGitopsError('config', `unknown target "${name}" (configured: ${settings.targets.targets.map((x) => x.name).join(', ')})`);
      const consul = await consulFor(t);
      const octo = await github();
      source ??= new GitHubTreeSource(octo);
      const stateKeyPrefix = settings.targets.stateKeyPrefix;
      const advisor = t.advisor ? advisorFor(t, consul, octo, source, stateKeyPrefix) : undefined;
      return {
        consul,
        ...(advisor ? { advisor } : {}),
        target: { name: t.name, dir: t.dir, prune: t.prune, selfHeal: t.selfHeal, driftMode: t.driftMode, massDelete: t.massDelete, stateKeyPrefix: settings.targets.stateKeyPrefix, ...(t.consulVersion ? { consulVersion: t.consulVersion } : {}) },
        deps: {
          source,
          store: new ConsulConfigEntryStore(consul),
          state: new ConsulKvStateStore(consul),
          reporter: new GitHubReporter(octo, { target: t.name }),
          pulls: new GitHubMergedPullRequests(octo),
          webUrl: githubWebUrl(settings.githubApiUrl),
          now: overrides.now ?? (() => new Date()),
          sleep: overrides.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
          holder: `${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? `pid-${process.pid}`}/${randomUUID().slice(0, 8)}`,
          ...(t.driftMode === 'propose' ? { driftPullRequests: (repo: { owner: string; repo: string }) => GitHubProposalPullRequests.forDefaultBranch(octo, repo) } : {}),
        },
      };
    },
    async close() {
      await Promise.all([...consuls.values()].map((c) => c.close()));
      consuls.clear();
    },
  };
}
