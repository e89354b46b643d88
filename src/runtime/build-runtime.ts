// The composition root shared by the reconcile and schedule functions and `serve`: settings and
// secrets in, adapters and use-case dependencies per target out. Built once per container or
// process and reused while warm (the GitHub blob cache lives as long as it does).
import { randomUUID } from 'node:crypto';
import { ConsulClient } from '../adapters/consul/client.ts';
import { optionsFromEnv, type ConsulClientOptionsInput } from '../adapters/consul/options.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { GitHubTreeSource } from '../adapters/github/contents-source.ts';
import { createGitHubClient, githubClientOptionsFromEnv, type GitHubClientOptions, type Octokit } from '../adapters/github/octokit.ts';
import { GitHubReporter } from '../adapters/github/reporter.ts';
import { secretSourceFor, type SecretSource } from '../adapters/secrets/secret-source.ts';
import type { Target } from '../config/targets.ts';
import type { ReconcileDeps, ReconcileTarget } from '../app/reconcile-commit.ts';
import { runtimeSettings, type RuntimeSettings } from './settings.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface RuntimeOverrides {
  /** Extra GitHub client options (tests: no throttling, fast retries). */
  github?: Partial<GitHubClientOptions>;
  consul?: Partial<ConsulClientOptionsInput>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof globalThis.fetch;
}

export interface TargetRuntime {
  target: ReconcileTarget & { selfHeal: boolean };
  deps: ReconcileDeps;
  consul: ConsulClient;
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

  return {
    settings,
    targetNames: () => settings.targets.targets.map((t) => t.name),
    async forTarget(name) {
      const t = name ? settings.targets.targets.find((x) => x.name === name) : settings.targets.targets[0];
      if (!t) throw new Error(`unknown target "${name}" (configured: ${settings.targets.targets.map((x) => x.name).join(', ')})`);
      const consul = await consulFor(t);
      const octo = await github();
      source ??= new GitHubTreeSource(octo);
      return {
        consul,
        target: { name: t.name, dir: t.dir, prune: t.prune, selfHeal: t.selfHeal, massDelete: t.massDelete, stateKeyPrefix: settings.targets.stateKeyPrefix },
        deps: {
          source,
          store: new ConsulConfigEntryStore(consul),
          state: new ConsulKvStateStore(consul),
          reporter: new GitHubReporter(octo, { target: t.name }),
          now: overrides.now ?? (() => new Date()),
          sleep: overrides.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
          holder: `${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? `pid-${process.pid}`}/${randomUUID().slice(0, 8)}`,
        },
      };
    },
    async close() {
      await Promise.all([...consuls.values()].map((c) => c.close()));
      consuls.clear();
    },
  };
}
