// `serve` configuration: the environment (optionally completed by an --env-file), read once at start
// by the one definition of each variable (src/config/environment.ts), so a misconfigured server fails
// before it listens. Error messages name variables and say what is expected; they quote a value only
// where it is an address, never a secret.
import { baseUrlOf, optionsFromEnv } from '../adapters/consul/options.ts';
import { githubClientOptionsFromEnv } from '../adapters/github/octokit.ts';
import {
  BODY_IDLE_TIMEOUT,
  CONFIG_DIR,
  CONSUL_HTTP_ADDR,
  DEFAULT_BRANCH,
  DELIVERY_MEMORY,
  GITHUB_API_URL,
  HEADERS_TIMEOUT,
  MAX_BUFFERED_BYTES,
  MAX_CONNECTIONS,
  readEnvironment,
  REQUEST_TIMEOUT,
  SCHEDULE_INTERVAL,
  STOP_TIMEOUT,
  WEBHOOK_REPOSITORY,
  WEBHOOK_SECRET_VARIABLES,
  type Env,
} from '../config/environment.ts';
import { webhookSecretConfigured, type WebhookSecretSettings } from '../adapters/secrets/webhook-secret.ts';
import { RuntimeConfigError, runtimeSettings, type RuntimeSettings } from '../runtime/settings.ts';
import { ConsulGitopsError } from '../errors.ts';

export type { Env };

/** What `serve` reads from its environment, besides the runtime's variables (runtime/settings.ts) and LOG_LEVEL (the logger's, runtime/logger.ts). */
export const SERVE_VARIABLES = {
  // As the webhook function: Secrets Manager, SSM or the variable itself; one of them is required.
  ...WEBHOOK_SECRET_VARIABLES,
  scheduleInterval: SCHEDULE_INTERVAL,
  stopTimeout: STOP_TIMEOUT,
  deliveryMemory: DELIVERY_MEMORY,
  repository: WEBHOOK_REPOSITORY,
  githubApiUrl: GITHUB_API_URL,
  consulAddress: CONSUL_HTTP_ADDR,
  branch: DEFAULT_BRANCH,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  maxConnections: MAX_CONNECTIONS,
  headersTimeout: HEADERS_TIMEOUT,
  requestTimeout: REQUEST_TIMEOUT,
  bodyIdleTimeout: BODY_IDLE_TIMEOUT,
  configDir: CONFIG_DIR,
};

export interface ServeSettings {
  /** Where the webhook secret is (never the value of a stored one: that is read at start). */
  webhookSecret: WebhookSecretSettings;
  /** 0: no schedule. */
  scheduleIntervalMs: number;
  stopTimeoutMs: number;
  deliveryMemory: number;
  http: HttpLimits;
  /** What `routeWebhook` needs besides the secret. */
  route: { branch: string; configDir: string; repository: string };
  runtime: RuntimeSettings;
}

export interface HttpLimits {
  maxBufferedBytes: number;
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  bodyIdleTimeoutMs: number;
}

export class ServeConfigError extends ConsulGitopsError {
  constructor(readonly problems: string[]) {
    super('config', `invalid serve configuration: ${problems.join('; ')}`);
    this.name = 'ServeConfigError';
  }
}

/** Validate everything `serve` reads from the environment; throws ServeConfigError listing every problem. */
export function serveSettings(env: Env): ServeSettings {
  const problems: string[] = [];
  const read = readEnvironment(env, SERVE_VARIABLES);
  if (!read.ok) for (const p of read.problems) problems.push(`${p.variable}: ${p.message}`);
  const secretAt = readEnvironment(env, WEBHOOK_SECRET_VARIABLES);
  if (secretAt.ok && !webhookSecretConfigured(secretAt.values))
    problems.push(
      'GITHUB_WEBHOOK_SECRET: required (the webhook secret shared with GitHub), unless WEBHOOK_SECRET_ARN (Secrets Manager) or WEBHOOK_SECRET_PARAMETER (SSM) names where it is',
    );

  // GitHub credentials: a token, App credentials, or (as in Lambda) a token held in a secret store.
  if (!env.GITHUB_TOKEN_SECRET_ARN && !env.GITHUB_TOKEN_SECRET_PARAMETER) {
    try {
      githubClientOptionsFromEnv({ ...env });
    } catch (error) {
      // GitHubConfigError messages name variables only.
      problems.push((error as Error).message);
    }
  }

  let runtime: RuntimeSettings | undefined;
  try {
    runtime = runtimeSettings(env);
  } catch (error) {
    if (!(error instanceof RuntimeConfigError)) throw error;
    // One problem per variable: both read the shared ones by the same definition.
    for (const p of error.problems) problems.push(`${p.variable}: ${p.message}`);
  }

  if (runtime) problems.push(...consulAddressProblems(env, runtime));
  // Node refuses a server whose headers may take longer than the whole request.
  if (read.ok && read.values.headersTimeout > read.values.requestTimeout) problems.push('HEADERS_TIMEOUT: must not be longer than REQUEST_TIMEOUT');

  if (problems.length > 0 || !read.ok || !runtime) throw new ServeConfigError([...new Set(problems)]);
  const e = read.values;
  return {
    webhookSecret: {
      webhookSecretArn: e.webhookSecretArn,
      webhookSecretParameter: e.webhookSecretParameter,
      webhookSecret: e.webhookSecret,
      secretMaxAge: e.secretMaxAge,
    },
    scheduleIntervalMs: e.scheduleInterval,
    stopTimeoutMs: e.stopTimeout,
    deliveryMemory: e.deliveryMemory,
    http: {
      maxBufferedBytes: e.maxBufferedBytes,
      maxConnections: e.maxConnections,
      headersTimeoutMs: e.headersTimeout,
      requestTimeoutMs: e.requestTimeout,
      bodyIdleTimeoutMs: e.bodyIdleTimeout,
    },
    route: { branch: e.branch, configDir: e.configDir, repository: e.repository },
    runtime,
  };
}

/**
 * Every target's Consul address, read now as the client will read it (options.ts `baseUrlOf`: a
 * scheme-less `host:port` is fine, as with Consul's CLI), so a typo fails at start rather than at
 * the first webhook. An address is shown unless it carries credentials (`user:pass@`).
 */
function consulAddressProblems(env: Env, runtime: RuntimeSettings): string[] {
  let https: boolean | undefined;
  try {
    https = optionsFromEnv(env).https;
  } catch (error) {
    // ConsulOptionsError: names the variable; the value is a boolean's spelling, not a secret.
    return [(error as Error).message];
  }
  const problems: string[] = [];
  runtime.targets.targets.forEach((target, i) => {
    const own = target.consul.address;
    const address = own ?? (env.CONSUL_HTTP_ADDR || undefined);
    if (address === undefined) return; // Consul's default, 127.0.0.1:8500
    try {
      baseUrlOf({ address, https: https ?? false });
    } catch {
      const name = own !== undefined ? `TARGETS_CONFIG targets[${i}].consul.address` : 'CONSUL_HTTP_ADDR';
      const shown = address.includes('@') ? '' : ` (got ${JSON.stringify(address)})`;
      problems.push(`${name}: expected a Consul address such as http://127.0.0.1:8500, https://consul.example.com:8501 or host:8500${shown}`);
    }
  });
  return [...new Set(problems)];
}

export { secretValues } from '../runtime/logger.ts';

export class EnvFileError extends ConsulGitopsError {
  constructor(message: string) {
    super('config', message);
    this.name = 'EnvFileError';
  }
}

/**
 * `KEY=VALUE` lines, as Docker's and Node's env files: blank lines and `#` comments skipped, an
 * optional `export ` prefix, values optionally in single quotes (literal) or double quotes (`\n`,
 * `\"`, `\\` escapes; may span lines, for PEM keys). Unquoted values are trimmed and lose a ` # comment`.
 * Errors give the line number only, never the line (it may hold a secret).
 */
export function parseEnvFile(text: string, name = 'env file'): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new EnvFileError(`${name} line ${i + 1}: expected KEY=VALUE`);
    const key = m[1];
    let value = m[2];
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      const start = i + 1;
      let body = value.slice(1);
      // Find the closing quote, continuing onto following lines when needed.
      for (;;) {
        const close = closingQuote(body, quote);
        if (close >= 0) {
          const rest = body.slice(close + 1).trim();
          if (rest !== '' && !rest.startsWith('#')) throw new EnvFileError(`${name} line ${i + 1}: unexpected text after the closing quote`);
          body = body.slice(0, close);
          break;
        }
        i++;
        if (i >= lines.length) throw new EnvFileError(`${name} line ${start}: unterminated ${quote === '"' ? 'double' : 'single'} quote`);
        body += `\n${lines[i]}`;
      }
      value = quote === '"' ? body.replace(/\\([n"\\])/g, (_, c: string) => (c === 'n' ? '\n' : c)) : body;
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[key] = value;
  }
  return out;
}

function closingQuote(text: string, quote: string): number {
  for (let j = 0; j < text.length; j++) {
    if (quote === '"' && text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] === quote) return j;
  }
  return -1;
}
