// `serve` configuration: the environment (optionally completed by an --env-file), validated with zod
// once at start so a misconfigured server fails before it listens. Error messages name variables
// and say what is expected; they quote a value only where it is an address, never a secret.
import { z } from 'zod';
import { baseUrlOf, optionsFromEnv } from '../adapters/consul/options.ts';
import { githubClientOptionsFromEnv } from '../adapters/github/octokit.ts';
import { parseGoDuration } from '../decode/duration.ts';
import { runtimeSettings, type RuntimeSettings } from '../runtime/settings.ts';
import { ConsulGitopsError } from '../errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SCHEDULE_INTERVAL = '15m';
export const DEFAULT_STOP_TIMEOUT = '30s';
/** Two of GitHub's largest deliveries (25 MB) at once. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

const blank = (v: unknown) => (v === '' ? undefined : v);

/** A Go duration (`15m`, `1h30m`, `90s`, `0`) → milliseconds; negative durations are refused, and zero too when `positive`. */
const duration = (fallback: string, positive = false) =>
  z.preprocess(
    blank,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const ns = parseGoDuration(text.trim());
        if (ns === undefined || ns < 0 || (positive && ns < 1e6)) {
          ctx.addIssue({ code: 'custom', message: positive ? 'expected a duration of at least 1ms, such as 10s or 500ms' : 'expected a duration such as 15m, 1h30m, 90s or 0' });
          return z.NEVER;
        }
        return Math.round(ns / 1e6);
      }),
  );

export const ServeEnv = z.object({
  /** The secret shared with the GitHub webhook; every delivery's signature is checked against it. */
  GITHUB_WEBHOOK_SECRET: z.preprocess(blank, z.string({ error: 'required (the webhook secret shared with GitHub)' }).min(1)),
  /** How often every target is checked for drift; `0` turns the schedule off. */
  SCHEDULE_INTERVAL: duration(DEFAULT_SCHEDULE_INTERVAL),
  /** How long a stop (SIGINT/SIGTERM) waits for running reconciles. */
  STOP_TIMEOUT: duration(DEFAULT_STOP_TIMEOUT),
  /** How many webhook delivery ids are remembered for redelivery dedupe. */
  DELIVERY_MEMORY: z.preprocess(blank, z.coerce.number().int().positive().default(1000)),
  GITHUB_REPOSITORY: z.preprocess(blank, z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name').optional()),
  GITHUB_API_URL: z.preprocess(blank, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional()),
  CONSUL_HTTP_ADDR: z.preprocess(blank, z.string().min(1).optional()),
  DEFAULT_BRANCH: z.preprocess(blank, z.string().min(1).default('main')),
  // HTTP limits: what one client, or many, can make the server hold.
  /** Bytes of webhook bodies held in memory at once across all connections; past it, 503 + Retry-After. */
  MAX_BUFFERED_BYTES: z.preprocess(blank, z.coerce.number().int().positive().default(DEFAULT_MAX_BUFFERED_BYTES)),
  /** Open connections at once; more are closed as they arrive (Node's server.maxConnections). */
  MAX_CONNECTIONS: z.preprocess(blank, z.coerce.number().int().positive().default(256)),
  /** Time for a client to send the request line and headers (Node's server.headersTimeout). */
  HEADERS_TIMEOUT: duration('10s', true),
  /** Time for the whole request, headers and body (Node's server.requestTimeout). */
  REQUEST_TIMEOUT: duration('60s', true),
  /** Longest pause between two pieces of a body. */
  BODY_IDLE_TIMEOUT: duration('10s', true),
  CONFIG_DIR: z.preprocess(blank, z.string().min(1).default('config-entries')),
  /** The least severe level logged: debug, info (default), warn or error. */
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined),
    z.enum(['debug', 'info', 'warn', 'error'], { error: 'expected debug, info, warn or error' }).default('info'),
  ),
});

export interface ServeSettings {
  webhookSecret: string;
  /** 0: no schedule. */
  scheduleIntervalMs: number;
  stopTimeoutMs: number;
  deliveryMemory: number;
  http: HttpLimits;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** What `routeWebhook` needs besides the secret. */
  route: { branch: string; configDir: string; repository?: string };
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
  const parsed = ServeEnv.safeParse(env);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);

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
    // One problem per variable: ServeEnv may already have named it.
    const named = new Set(problems.map((p) => p.split(':')[0]));
    for (const p of (error as Error).message.replace(/^invalid configuration: /, '').split('; ')) if (!named.has(p.split(':')[0])) problems.push(p);
  }

  if (runtime) problems.push(...consulAddressProblems(env, runtime));
  // Node refuses a server whose headers may take longer than the whole request.
  if (parsed.success && parsed.data.HEADERS_TIMEOUT > parsed.data.REQUEST_TIMEOUT) problems.push('HEADERS_TIMEOUT: must not be longer than REQUEST_TIMEOUT');

  if (problems.length > 0 || !parsed.success || !runtime) throw new ServeConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    webhookSecret: e.GITHUB_WEBHOOK_SECRET,
    scheduleIntervalMs: e.SCHEDULE_INTERVAL,
    stopTimeoutMs: e.STOP_TIMEOUT,
    deliveryMemory: e.DELIVERY_MEMORY,
    logLevel: e.LOG_LEVEL,
    http: {
      maxBufferedBytes: e.MAX_BUFFERED_BYTES,
      maxConnections: e.MAX_CONNECTIONS,
      headersTimeoutMs: e.HEADERS_TIMEOUT,
      requestTimeoutMs: e.REQUEST_TIMEOUT,
      bodyIdleTimeoutMs: e.BODY_IDLE_TIMEOUT,
    },
    route: { branch: e.DEFAULT_BRANCH, configDir: e.CONFIG_DIR, ...(e.GITHUB_REPOSITORY ? { repository: e.GITHUB_REPOSITORY } : {}) },
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
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new EnvFileError(`${name} line ${i + 1}: expected KEY=VALUE`);
    const key = m[1]!;
    let value = m[2]!;
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
