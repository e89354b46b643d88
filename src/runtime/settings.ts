// Settings of the long-running and serverless runtimes (reconcile, schedule, serve), read from the
// environment by the one definition of each variable (src/config/environment.ts).
import { parseTargetsFile, TargetsFileSchema, type TargetsFile } from '../config/targets.ts';
import {
  CONFIG_DIR,
  CONSUL_TOKEN_SECRET_ARN,
  CONSUL_TOKEN_SECRET_PARAMETER,
  DEFAULT_BRANCH,
  formatProblems,
  GITHUB_API_URL,
  GITHUB_REPOSITORY,
  GITHUB_TOKEN_SECRET_ARN,
  GITHUB_TOKEN_SECRET_PARAMETER,
  PRUNE,
  readEnvironment,
  SECRETS_MAX_AGE,
  SELF_HEAL,
  splitRepository,
  STATE_PREFIX,
  TARGETS_CONFIG,
  type Env,
} from '../config/environment.ts';
import { ConsulGitopsError } from '../errors.ts';

/** What the reconcile runtime reads from its environment (besides Consul's and GitHub's own variables). */
export const RUNTIME_VARIABLES = {
  repository: GITHUB_REPOSITORY,
  defaultBranch: DEFAULT_BRANCH,
  configDir: CONFIG_DIR,
  targetsConfig: TARGETS_CONFIG,
  prune: PRUNE,
  selfHeal: SELF_HEAL,
  statePrefix: STATE_PREFIX,
  githubApiUrl: GITHUB_API_URL,
  consulTokenSecretArn: CONSUL_TOKEN_SECRET_ARN,
  consulTokenParameter: CONSUL_TOKEN_SECRET_PARAMETER,
  githubTokenSecretArn: GITHUB_TOKEN_SECRET_ARN,
  githubTokenParameter: GITHUB_TOKEN_SECRET_PARAMETER,
  secretMaxAge: SECRETS_MAX_AGE,
};

export interface StoredSecret {
  secretId?: string;
  parameterName?: string;
}

export interface RuntimeSettings {
  repository?: { owner: string; repo: string };
  defaultBranch: string;
  targets: TargetsFile;
  githubApiUrl?: string;
  /** Present when the token lives in Secrets Manager or SSM. */
  consulTokenSecret?: StoredSecret;
  githubTokenSecret?: StoredSecret;
  /** Seconds a stored secret is served from memory. */
  secretMaxAgeSeconds: number;
}

export class RuntimeConfigError extends ConsulGitopsError {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    // Variable names and what they expect only: configuration values are not echoed.
    super('config', `invalid configuration: ${formatProblems(problems)}`);
    this.name = 'RuntimeConfigError';
  }
}

/**
 * `relativeTo`: the folder a relative tokenFile or caCert in TARGETS_CONFIG is read from (serve
 * `--env-file`: that file's folder); default the working directory at start, made absolute once.
 */
export function runtimeSettings(env: Env, relativeTo: string = process.cwd()): RuntimeSettings {
  const read = readEnvironment(env, RUNTIME_VARIABLES);
  if (!read.ok) throw new RuntimeConfigError(read.problems);
  const e = read.values;
  const targets = e.targetsConfig
    ? parseTargetsFile(e.targetsConfig, 'TARGETS_CONFIG', relativeTo, { consulAddress: env.CONSUL_HTTP_ADDR })
    : targetFromEnvironment(e.configDir, e.prune, e.selfHeal);
  if (e.statePrefix) targets.stateKeyPrefix = e.statePrefix;
  const stored = (secretId: string | undefined, parameterName: string | undefined): StoredSecret | undefined =>
    secretId || parameterName ? { ...(secretId ? { secretId } : {}), ...(parameterName ? { parameterName } : {}) } : undefined;
  const consulTokenSecret = stored(e.consulTokenSecretArn, e.consulTokenParameter);
  const githubTokenSecret = stored(e.githubTokenSecretArn, e.githubTokenParameter);
  return {
    ...(e.repository ? { repository: splitRepository(e.repository) } : {}),
    defaultBranch: e.defaultBranch,
    targets,
    ...(e.githubApiUrl ? { githubApiUrl: e.githubApiUrl } : {}),
    ...(consulTokenSecret ? { consulTokenSecret } : {}),
    ...(githubTokenSecret ? { githubTokenSecret } : {}),
    secretMaxAgeSeconds: e.secretMaxAge,
  };
}

/**
 * The one target of a deployment without TARGETS_CONFIG. CONFIG_DIR is a folder of the repository in
 * the spellings the webhook matches pushes with (route-event.ts configPrefix): `/config-entries` is
 * the repository's `config-entries`, `/` the whole repository. Then it is checked as a target's `dir`
 * is (no `..` leading out), and refused as a configuration error naming the variable: the schema's
 * own error was thrown before (code `internal`), and `/config-entries`, which the webhook accepts,
 * stopped every reconcile.
 */
function targetFromEnvironment(configDir: string, prune: boolean, selfHeal: boolean) {
  const dir = configDir.replace(/^\/+/, '') || '.';
  const parsed = TargetsFileSchema.safeParse({ targets: [{ name: 'default', dir, prune, selfHeal }] });
  if (!parsed.success) throw new RuntimeConfigError(parsed.error.issues.map((i) => ({ variable: 'CONFIG_DIR', message: i.message })));
  return parsed.data;
}
