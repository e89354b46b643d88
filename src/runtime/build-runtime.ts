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
import { tokenFileOrigin, caCertOrigin, readLimitsOf, type Target } from '../config/targets.ts';
import type { ReconcileTargets, TargetRun } from '../app/run-reconcile-event.ts';
import { consulPostureSource } from '../adapters/consul/posture-source.ts';
import { consulConnectCatalog } from '../adapters/consul/connect-catalog.ts';
import { runtimeSettings, type RuntimeSettings } from './settings.ts';
import { createTrafficSource, type TrafficSourceFactory } from './traffic-source.ts';
import { outsideTargetRead } from '../adapters/consul/outside-namespaces.ts';
import { GitHubPostureIssue, GitHubProposalPullRequests } from '../adapters/github/proposal-pull-requests.ts';
import { parsePromDuration } from '../core/advisor/duration.ts';
import { DEFAULT_THRESHOLDS } from '../core/advisor/model.ts';
import type { PlanArchive } from '../app/plan-archive.ts';
import { planArchiveFromEnv } from '../adapters/plans/from-env.ts';
import { serverVersion } from '../adapters/consul/version-source.ts';
import { ConsulGitopsError } from '../errors.ts';
import type { ProcessIdentity } from '../app/target-lock.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface RuntimeOverrides {
  /** Extra GitHub client options (tests: no throttling, fast retries). */
  github?: Partial<GitHubClientOptions>;
  consul?: Partial<ConsulClientOptionsInput>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Builds the advisor's stats source (default: src/runtime/traffic-source.ts). */
  trafficSource?: TrafficSourceFactory;
  /** Where long pull-request plans are kept (`serve`: in memory); default from PLANS_BUCKET (plans/from-env.ts). */
  plans?: PlanArchive;
  /** The folder relative paths in TARGETS_CONFIG are read from (serve `--env-file`: that file's); default the working directory. */
  targetsConfigDir?: string;
  /** `serve`: this process, written into target leases so a restart on this host can break a dead one's. */
  holderProcess?: ProcessIdentity;
  /** Where the runtime's own notices go (the archive source's skip reasons); serve and the Lambda pass their log. */
  log?: (level: 'info', message: string, fields: object) => void;
  /** How long a run waits for another run's lease (tests; default: the use case's). */
  lockWaitMs?: number;
}

/** One target's run as the use case needs it (run-reconcile-event.ts), plus its Consul client. */
export interface TargetRuntime extends TargetRun {
  consul: ConsulClient;
}

export interface Runtime extends ReconcileTargets {
  settings: RuntimeSettings;
  targetNames(): string[];
  forTarget(name?: string): Promise<TargetRuntime>;
  close(): Promise<void>;
}

export function buildRuntime(env: Env, overrides: RuntimeOverrides = {}): Runtime {
  const settings = runtimeSettings(env, overrides.targetsConfigDir);
  const stored = (location: RuntimeSettings['consulTokenSecret']): SecretSource | undefined =>
    location ? secretSourceFor({ ...location, maxAgeSeconds: settings.secretMaxAgeSeconds }, env) : undefined;
  const consulToken = stored(settings.consulTokenSecret);
  const githubToken = stored(settings.githubTokenSecret);
  // The client, and the stored token it was built with: a rotated token (read again after the
  // secret's maxAge) builds a new client, without waiting for a cold start.
  let octokit: { token: string | undefined; client: Promise<Octokit> } | undefined;
  let source: GitHubTreeSource | undefined;
  const consuls = new Map<string, { token: string | undefined; client: ConsulClient }>();
  const plans = overrides.plans ?? planArchiveFromEnv(env);

  const github = async (): Promise<Octokit> => {
    const token = githubToken ? await githubToken.value() : undefined;
    if (octokit && octokit.token === token) return octokit.client;
    source = undefined; // its blob cache is keyed by content, but it holds the old client
    const client = (async () => {
      const fromEnv = token !== undefined ? { auth: { token } } : githubClientOptionsFromEnv({ ...env });
      return createGitHubClient({ ...fromEnv, ...(settings.githubApiUrl ? { baseUrl: settings.githubApiUrl } : {}), ...overrides.github });
    })();
    const built = { token, client };
    octokit = built;
    client.catch(() => {
      // Not kept: a transient failure (App token) must not break the warm container for good.
      if (octokit === built) octokit = undefined;
    });
    return client;
  };

  const consulFor = async (t: Target): Promise<ConsulClient> => {
    const stored = consulToken ? await consulToken.value() : undefined;
    const cached = consuls.get(t.name);
    if (cached && cached.token === stored) return cached.client;
    // A rotated token: the old client's open connections close in the background.
    if (cached) void cached.client.close().catch(() => undefined);
    const c = t.consul;
    const token = stored ?? (c.tokenEnv ? env[c.tokenEnv] : undefined);
    const fromEnv = optionsFromEnv(env);
    const client = new ConsulClient({
      ...fromEnv,
      ...(c.address ? { address: c.address } : {}),
      ...(c.datacenter ? { datacenter: c.datacenter } : {}),
      ...(c.partition ? { partition: c.partition } : {}),
      ...(c.namespace ? { namespace: c.namespace } : {}),
      ...(t.namespaces ? { managedNamespaces: t.namespaces } : {}),
      ...(token ? { token } : {}),
      // Already absolute (runtimeSettings): read from the same file whatever the working directory later is.
      ...(c.tokenFile ? { tokenFile: c.tokenFile, tokenFileFrom: tokenFileOrigin(t, 'TARGETS_CONFIG') } : {}),
      // On top of the environment's TLS settings (client certificate, verify), as the CLI does.
      ...(c.caCert || c.tlsServerName
        ? {
            tls: {
              ...fromEnv.tls,
              ...(c.caCert ? { caFile: c.caCert, caFileFrom: caCertOrigin(t, 'TARGETS_CONFIG') } : {}),
              ...(c.tlsServerName ? { serverName: c.tlsServerName } : {}),
            },
          }
        : {}),
      ...overrides.consul,
    });
    consuls.set(t.name, { token: stored, client });
    return client;
  };

  /** Where `consulFor` took the target's token from (the same order it reads them in), for a status naming it. */
  const tokenOrigin = (t: Target): string => {
    if (t.consul.tokenFile) return `tokenFile of target ${t.name}`;
    if (env.CONSUL_HTTP_TOKEN_FILE) return 'CONSUL_HTTP_TOKEN_FILE';
    if (settings.consulTokenSecret?.secretId) return 'CONSUL_TOKEN_SECRET_ARN';
    if (settings.consulTokenSecret?.parameterName) return 'CONSUL_TOKEN_SECRET_PARAMETER';
    if (t.consul.tokenEnv && env[t.consul.tokenEnv]) return `tokenEnv ${t.consul.tokenEnv}`;
    return 'CONSUL_HTTP_TOKEN';
  };

  const advisorFor = (t: Target, consul: ConsulClient, octo: Octokit, src: GitHubTreeSource, stateKeyPrefix: string): TargetRuntime['advisor'] => {
    const a = t.advisor!;
    const state = new ConsulKvStateStore(consul);
    const window = parsePromDuration(a.window, 'advisor.window');
    const maxGap = parsePromDuration(a.maxGap, 'advisor.maxGap');
    // One read of the rest of the partition per run (forTarget builds these for one run): the lockdown gate and the dashboard share it.
    const outside = outsideTargetRead(consul);
    return {
      settings: {
        target: t.name,
        dir: t.dir,
        stateKeyPrefix,
        thresholds: { ...DEFAULT_THRESHOLDS, ...(window.ok ? { windowMs: window.ms } : {}), ...(maxGap.ok ? { maxGapMs: maxGap.ms } : {}) },
        expectNoInboundTraffic: a.expectNoInboundTraffic,
        grouping: a.grouping,
        labels: a.labels,
        ...(t.crdNamespaces ? { crdNamespaces: t.crdNamespaces } : {}),
        apply: { prune: t.prune, massDelete: t.massDelete },
      },
      deps: {
        source: src,
        entries: new ConsulConfigEntryStore(consul),
        state,
        // Every namespace the target manages, as `advise` reads it.
        catalog: consulConnectCatalog(consul),
        traffic: (overrides.trafficSource ?? createTrafficSource)({
          config: a.stats,
          consul,
          state,
          stateKeyPrefix,
          target: t.name,
          env,
          server: true,
          ...(overrides.log ? { warn: (line: string) => overrides.log!('info', `advisor: ${line}`, { target: t.name }) } : {}),
        }),
        github: async (repo) => ({ pulls: await GitHubProposalPullRequests.forDefaultBranch(octo, repo), dashboard: new GitHubPostureIssue(octo, repo) }),
        now: overrides.now ?? (() => new Date()),
        posture: consulPostureSource(consul, outside),
        outside: { outsideTarget: outside },
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
      source ??= new GitHubTreeSource(octo, {
        // consul-gitops.yaml's `limits:` (the CLI's --max-file-size has no counterpart here).
        limits: readLimitsOf(settings.targets),
        ...(overrides.log ? { onArchiveSkipped: (skip) => overrides.log!('info', 'Repository archive not used: files read one request each', skip) } : {}),
      });
      const stateKeyPrefix = settings.targets.stateKeyPrefix;
      const advisor = t.advisor ? advisorFor(t, consul, octo, source, stateKeyPrefix) : undefined;
      return {
        consul,
        ...(advisor ? { advisor } : {}),
        target: {
          name: t.name,
          dir: t.dir,
          prune: t.prune,
          selfHeal: t.selfHeal,
          driftMode: t.driftMode,
          massDelete: t.massDelete,
          stateKeyPrefix: settings.targets.stateKeyPrefix,
          ...(t.consulVersion ? { consulVersion: t.consulVersion } : {}),
          ...(t.crdNamespaces ? { crdNamespaces: t.crdNamespaces } : {}),
        },
        deps: {
          source,
          store: new ConsulConfigEntryStore(consul),
          state: new ConsulKvStateStore(consul),
          reporter: new GitHubReporter(octo, { target: t.name }),
          pulls: new GitHubMergedPullRequests(octo),
          webUrl: githubWebUrl(settings.githubApiUrl),
          ...(plans ? { plans } : {}),
          consulVersion: { serverVersion: () => serverVersion(consul) },
          consulTokenFrom: tokenOrigin(t),
          now: overrides.now ?? (() => new Date()),
          sleep: overrides.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
          holder: `${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? (overrides.holderProcess ? `serve@${overrides.holderProcess.host}/pid-${process.pid}` : `pid-${process.pid}`)}/${randomUUID().slice(0, 8)}`,
          ...(overrides.holderProcess ? { holderProcess: overrides.holderProcess } : {}),
          ...(overrides.lockWaitMs !== undefined ? { lockWaitMs: overrides.lockWaitMs } : {}),
          ...(t.driftMode === 'propose'
            ? { driftPullRequests: (repo: { owner: string; repo: string }) => GitHubProposalPullRequests.forDefaultBranch(octo, repo) }
            : {}),
        },
      };
    },
    async close() {
      await Promise.all([...consuls.values()].map((c) => c.client.close()));
      consuls.clear();
    },
  };
}
