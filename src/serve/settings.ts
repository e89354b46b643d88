// `serve` configuration: the environment (optionally completed by an --env-file), validated with zod
// once at start so a misconfigured server fails before it listens. Error messages name variables
// and say what is expected; they never quote a value (several of these are secrets).
import { z } from 'zod';
import { githubClientOptionsFromEnv } from '../adapters/github/octokit.ts';
import { parseGoDuration } from '../decode/duration.ts';
import { runtimeSettings, type RuntimeSettings } from '../runtime/settings.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SCHEDULE_INTERVAL = '15m';
export const DEFAULT_STOP_TIMEOUT = '30s';

const blank = (v: unknown) => (v === '' ? undefined : v);

/** A Go duration (`15m`, `1h30m`, `90s`, `0`) → milliseconds; negative durations are refused. */
const duration = (fallback: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const ns = parseGoDuration(text.trim());
        if (ns === undefined || ns < 0) {
          ctx.addIssue({ code: 'custom', message: 'expected a duration such as 15m, 1h30m, 90s or 0' });
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
  GITHUB_API_URL: z.preprocess(blank, z.url({ error: 'expected an http(s) URL' }).optional()),
  CONSUL_HTTP_ADDR: z.preprocess(blank, z.string().min(1).optional()),
  DEFAULT_BRANCH: z.preprocess(blank, z.string().min(1).default('main')),
  CONFIG_DIR: z.preprocess(blank, z.string().min(1).default('config-entries')),
});

export interface ServeSettings {
  webhookSecret: string;
  /** 0: no schedule. */
  scheduleIntervalMs: number;
  stopTimeoutMs: number;
  deliveryMemory: number;
  /** What `routeWebhook` needs besides the secret. */
  route: { branch: string; configDir: string; repository?: string };
  runtime: RuntimeSettings;
}

export class ServeConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid serve configuration: ${problems.join('; ')}`);
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

  if (problems.length > 0 || !parsed.success || !runtime) throw new ServeConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    webhookSecret: e.GITHUB_WEBHOOK_SECRET,
    scheduleIntervalMs: e.SCHEDULE_INTERVAL,
    stopTimeoutMs: e.STOP_TIMEOUT,
    deliveryMemory: e.DELIVERY_MEMORY,
    route: { branch: e.DEFAULT_BRANCH, configDir: e.CONFIG_DIR, ...(e.GITHUB_REPOSITORY ? { repository: e.GITHUB_REPOSITORY } : {}) },
    runtime,
  };
}

/** Values worth keeping out of logs: every variable whose name says it holds a credential. */
export function secretValues(env: Env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v && v.length >= 6 && /TOKEN|SECRET|PRIVATE_KEY|PASSWORD|CREDENTIAL/i.test(k))
    .map(([, v]) => v!);
}

export class EnvFileError extends Error {
  constructor(message: string) {
    super(message);
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
