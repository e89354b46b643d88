// Every environment variable the Lambda functions, `serve` and the CLI's GitHub side read, each
// defined once (name, check, default, what it means); an entry point picks the ones it needs with
// readEnvironment. An empty variable counts as unset, as in a shell. Problems name the variable and
// what it expects, never its value (some hold secrets). A few variables that only tune what is
// observed (LOG_LEVEL) are lenient: a malformed value falls back to the default with a warning,
// so a typo cannot stop a function that would otherwise work.
// zod/mini: this module is in every Lambda bundle (full zod alone is ~440 KB minified).
import { isKvPrefix, KV_PREFIX_EXPECTED } from './kv-prefix.ts';
import * as z from 'zod/mini';
import { parseGoDuration } from '../decode/duration.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** One variable: `always` when it has a default or is required, so its value is never undefined. */
export interface Variable<T, Always extends boolean = boolean> {
  readonly name: string;
  /** One line for the documentation and `--help`. */
  readonly doc: string;
  /** Checks (and converts) the text; on failure, `expected` is the message. */
  readonly schema: z.ZodMiniType<T, string>;
  readonly expected: string;
  readonly fallback?: T;
  readonly required?: string;
  readonly always: Always;
  /** A malformed value means the fallback and a warning, not a refusal (never set on a secret: the warning quotes the value). */
  readonly lenient?: boolean;
}

function optional<T>(name: string, doc: string, schema: z.ZodMiniType<T, string>, expected: string): Variable<T, false> {
  return { name, doc, schema, expected, always: false };
}
function defaulted<T>(name: string, doc: string, schema: z.ZodMiniType<T, string>, expected: string, fallback: T): Variable<T, true> {
  return { name, doc, schema, expected, fallback, always: true };
}
function lenient<T>(name: string, doc: string, schema: z.ZodMiniType<T, string>, expected: string, fallback: T): Variable<T, true> {
  return { name, doc, schema, expected, fallback, always: true, lenient: true };
}
function required<T>(name: string, doc: string, schema: z.ZodMiniType<T, string>, expected: string, why: string): Variable<T, true> {
  return { name, doc, schema, expected, required: why, always: true };
}

const text = z.string();
const converted = <T>(accepts: (s: string) => boolean, convert: (s: string) => T): z.ZodMiniType<T, string> =>
  z.pipe(z.string().check(z.refine(accepts)), z.transform(convert));
const positiveInt = converted(
  (s) => /^\s*[1-9]\d*\s*$/.test(s),
  (s) => Number(s),
);
const goDurationMs = (minNs: number) =>
  converted(
    (s) => {
      const ns = parseGoDuration(s.trim());
      return ns !== undefined && ns >= minNs;
    },
    (s) => Math.round(parseGoDuration(s.trim())! / 1e6),
  );
const flag = converted(
  (s) => /^(1|0|true|false|yes|no|on|off)$/i.test(s),
  (s) => /^(1|true|yes|on)$/i.test(s),
);
const list = converted(
  () => true,
  (s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
);
const DURATION = 'expected a duration such as 15m, 1h30m, 90s or 0';
const SHORT_DURATION = 'expected a duration of at least 1ms, such as 10s or 500ms';

// GitHub: owner names are letters, digits and "-"; repository names add "_" and ".".
export const GITHUB_REPOSITORY = optional(
  'GITHUB_REPOSITORY',
  '`owner/name` of the repository holding the config entries; events from any other repository are ignored (required by the webhook, `serve` and the schedule)',
  text.check(z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/)),
  'expected owner/name',
);
export const DEFAULT_BRANCH = defaulted(
  'DEFAULT_BRANCH',
  'the branch whose pushes are applied and whose pull requests are planned',
  text,
  'expected a branch name',
  'main',
);
export const CONFIG_DIR = defaulted(
  'CONFIG_DIR',
  'the directory of config entries in the repository (one target without TARGETS_CONFIG)',
  text,
  'expected a directory',
  'config-entries',
);
export const GITHUB_API_URL = optional(
  'GITHUB_API_URL',
  'GitHub Enterprise Server API URL (default https://api.github.com)',
  text.check(z.regex(/^https?:\/\/[^\s/]+/i)),
  'expected an http(s) URL',
);
export const TARGET = optional('TARGET', 'the webhook: the target (Consul) its reconciles are for', text, 'expected a target name');
export const TARGETS = defaulted(
  'TARGETS',
  "comma-separated target names: one reconcile (webhook) or drift check (schedule) each, in parallel; empty: reconcile's own targets",
  list,
  'expected comma-separated names',
  [] as string[],
);
export const TARGETS_CONFIG = optional(
  'TARGETS_CONFIG',
  'a whole consul-gitops.yaml (YAML or JSON text) for several targets; else one target from CONFIG_DIR and CONSUL_*',
  text,
  'expected YAML or JSON',
);
export const PRUNE = defaulted(
  'PRUNE',
  'the one target deletes the entries it owns when their file goes (with the mass-deletion guard)',
  flag,
  'a boolean: true or false',
  true,
);
export const SELF_HEAL = defaulted(
  'SELF_HEAL',
  "the one target's drift checks put Consul back as Git says, not only report",
  flag,
  'a boolean: true or false',
  false,
);
export const STATE_PREFIX = optional(
  'STATE_PREFIX',
  "Consul KV prefix of the reconciler's state (default consul-gitops/state)",
  text.check(z.refine(isKvPrefix)),
  `expected ${KV_PREFIX_EXPECTED}`,
);
export const RECONCILE_FUNCTION_NAME = required(
  'RECONCILE_FUNCTION_NAME',
  'the reconcile Lambda the webhook and the schedule invoke',
  text,
  'expected a function name',
  "the reconcile function's name",
);
export const WEBHOOK_SECRET_ARN = optional(
  'WEBHOOK_SECRET_ARN',
  'Secrets Manager secret (name or ARN) holding the webhook secret',
  text,
  'expected a secret name or ARN',
);
export const WEBHOOK_SECRET_PARAMETER = optional(
  'WEBHOOK_SECRET_PARAMETER',
  'SSM parameter (SecureString) holding the webhook secret',
  text,
  'expected a parameter name',
);
export const GITHUB_WEBHOOK_SECRET = optional(
  'GITHUB_WEBHOOK_SECRET',
  'the webhook secret itself, when neither WEBHOOK_SECRET_ARN nor WEBHOOK_SECRET_PARAMETER is set',
  text,
  'expected the webhook secret',
);
export const CONSUL_TOKEN_SECRET_ARN = optional(
  'CONSUL_TOKEN_SECRET_ARN',
  'Secrets Manager secret holding the Consul ACL token',
  text,
  'expected a secret name or ARN',
);
export const CONSUL_TOKEN_SECRET_PARAMETER = optional(
  'CONSUL_TOKEN_SECRET_PARAMETER',
  'SSM parameter holding the Consul ACL token',
  text,
  'expected a parameter name',
);
export const GITHUB_TOKEN_SECRET_ARN = optional(
  'GITHUB_TOKEN_SECRET_ARN',
  'Secrets Manager secret holding the GitHub token',
  text,
  'expected a secret name or ARN',
);
export const GITHUB_TOKEN_SECRET_PARAMETER = optional(
  'GITHUB_TOKEN_SECRET_PARAMETER',
  'SSM parameter holding the GitHub token',
  text,
  'expected a parameter name',
);
export const SECRETS_MAX_AGE = defaulted(
  'POWERTOOLS_PARAMETERS_MAX_AGE',
  'seconds a secret read from Secrets Manager or SSM is kept before it is read again (a rotation shows within this time)',
  converted(
    (s) => /^\s*\d+\s*$/.test(s),
    (s) => Number(s),
  ),
  'expected a whole number of seconds',
  300,
);
/**
 * Where the webhook secret is, for the webhook function and `serve` alike: Secrets Manager, else
 * SSM, else the variable itself (src/adapters/secrets/webhook-secret.ts picks).
 */
export const WEBHOOK_SECRET_VARIABLES = {
  webhookSecretArn: WEBHOOK_SECRET_ARN,
  webhookSecretParameter: WEBHOOK_SECRET_PARAMETER,
  webhookSecret: GITHUB_WEBHOOK_SECRET,
  secretMaxAge: SECRETS_MAX_AGE,
};

export const DELIVERY_MEMORY = defaulted(
  'DELIVERY_MEMORY',
  'how many webhook delivery ids are remembered, so a redelivery does no work twice',
  positiveInt,
  'expected a positive whole number',
  1000,
);
// Lenient: a Lambda must not fail every invocation over a typo here, and `serve` behaves the same
// (Powertools Logger itself falls back to INFO silently; we say so in one WARN line).
export const LOG_LEVEL = lenient(
  'LOG_LEVEL',
  'the least severe level logged: debug, info, warn or error (anything else: info, with a warning)',
  converted(
    (s) => /^(debug|info|warn|error)$/i.test(s),
    (s) => s.toLowerCase() as 'debug' | 'info' | 'warn' | 'error',
  ),
  'expected debug, info, warn or error',
  'info' as const,
);
export const CONSUL_HTTP_ADDR = optional('CONSUL_HTTP_ADDR', "the Consul address, as Consul's CLI reads it", text, 'expected a Consul address');
export const SCHEDULE_INTERVAL = defaulted(
  'SCHEDULE_INTERVAL',
  'serve: how often every target is checked for drift; 0 turns the schedule off',
  goDurationMs(0),
  DURATION,
  15 * 60_000,
);
export const STOP_TIMEOUT = defaulted(
  'STOP_TIMEOUT',
  'serve: how long a stop (SIGINT/SIGTERM) waits for running reconciles',
  goDurationMs(0),
  DURATION,
  30_000,
);
/** Two of GitHub's largest deliveries (25 MB) at once. */
export const MAX_BUFFERED_BYTES = defaulted(
  'MAX_BUFFERED_BYTES',
  'serve: bytes of webhook bodies held at once across all connections; past it, 503 + Retry-After',
  positiveInt,
  'expected a positive whole number of bytes',
  64 * 1024 * 1024,
);
export const MAX_CONNECTIONS = defaulted(
  'MAX_CONNECTIONS',
  'serve: open connections at once; more are closed as they arrive',
  positiveInt,
  'expected a positive whole number',
  256,
);
export const HEADERS_TIMEOUT = defaulted(
  'HEADERS_TIMEOUT',
  'serve: time for a client to send the request line and headers',
  goDurationMs(1e6),
  SHORT_DURATION,
  10_000,
);
export const REQUEST_TIMEOUT = defaulted('REQUEST_TIMEOUT', 'serve: time for the whole request, headers and body', goDurationMs(1e6), SHORT_DURATION, 60_000);
export const BODY_IDLE_TIMEOUT = defaulted('BODY_IDLE_TIMEOUT', 'serve: longest pause between two pieces of a body', goDurationMs(1e6), SHORT_DURATION, 10_000);

/**
 * GITHUB_REPOSITORY where deliveries are accepted (the webhook function, `serve`): required, so they
 * fail closed. An organisation webhook signs every repository's pushes with the one secret, and
 * without a repository to compare, another repository's push to a branch of the same name was applied.
 */
export const WEBHOOK_REPOSITORY = requiredHere(
  GITHUB_REPOSITORY,
  "the repository whose pushes are applied and whose pull requests are planned: a webhook signs every repository's deliveries with the same secret, so any other repository's are ignored",
);

/** The same variable, required by an entry point that cannot work without it (`why` says what it is for). */
export function requiredHere<T>(v: Variable<T, boolean>, why: string): Variable<T, true> {
  return { ...v, required: why, always: true };
}

/** Every variable, for documentation and the test that entry points agree. */
export const VARIABLES: readonly Variable<unknown>[] = [
  GITHUB_REPOSITORY,
  DEFAULT_BRANCH,
  CONFIG_DIR,
  GITHUB_API_URL,
  TARGET,
  TARGETS,
  TARGETS_CONFIG,
  PRUNE,
  SELF_HEAL,
  STATE_PREFIX,
  RECONCILE_FUNCTION_NAME,
  WEBHOOK_SECRET_ARN,
  WEBHOOK_SECRET_PARAMETER,
  GITHUB_WEBHOOK_SECRET,
  CONSUL_TOKEN_SECRET_ARN,
  CONSUL_TOKEN_SECRET_PARAMETER,
  GITHUB_TOKEN_SECRET_ARN,
  GITHUB_TOKEN_SECRET_PARAMETER,
  SECRETS_MAX_AGE,
  DELIVERY_MEMORY,
  LOG_LEVEL,
  CONSUL_HTTP_ADDR,
  SCHEDULE_INTERVAL,
  STOP_TIMEOUT,
  MAX_BUFFERED_BYTES,
  MAX_CONNECTIONS,
  HEADERS_TIMEOUT,
  REQUEST_TIMEOUT,
  BODY_IDLE_TIMEOUT,
] as Variable<unknown>[];

/** A variable that is missing or malformed: its name and what it expects, never its value. */
export interface EnvProblem {
  variable: string;
  message: string;
}

/** A lenient variable whose value was malformed: what was given, and the value used instead. */
export interface EnvWarning {
  variable: string;
  /** The text given, cut to 40 characters. */
  given: string;
  expected: string;
  used: unknown;
}

type ValueOf<V> = V extends Variable<infer T, infer Always> ? (Always extends true ? T : T | undefined) : never;
export type EnvValues<S extends Record<string, Variable<unknown, boolean>>> = { [K in keyof S]: ValueOf<S[K]> };

/**
 * Read the variables an entry point needs, each by its one definition.
 *
 * @example
 * const read = readEnvironment(process.env, { branch: DEFAULT_BRANCH, repository: GITHUB_REPOSITORY });
 * if (!read.ok) throw new Error(`invalid configuration: ${formatProblems(read.problems)}`);
 */
export function readEnvironment<S extends Record<string, Variable<unknown, boolean>>>(
  env: Env,
  variables: S,
): { ok: true; values: EnvValues<S>; warnings: EnvWarning[] } | { ok: false; problems: EnvProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: EnvProblem[] = [];
  const warnings: EnvWarning[] = [];
  for (const [key, v] of Object.entries(variables)) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') {
      if (v.required !== undefined) problems.push({ variable: v.name, message: `required (${v.required})` });
      else values[key] = v.fallback;
      continue;
    }
    const parsed = v.schema.safeParse(raw);
    if (parsed.success) values[key] = parsed.data;
    else if (v.lenient) {
      values[key] = v.fallback;
      warnings.push({ variable: v.name, given: raw.slice(0, 40), expected: v.expected, used: v.fallback });
    } else problems.push({ variable: v.name, message: v.expected });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values: values as EnvValues<S>, warnings };
}

/** `LOG_LEVEL "loud" is not valid (expected …); using info` */
export function formatWarning(w: EnvWarning): string {
  return `${w.variable} ${JSON.stringify(w.given)} is not valid (${w.expected}); using ${String(w.used)}`;
}

/** `NAME: what it expects; …` */
export function formatProblems(problems: readonly EnvProblem[]): string {
  return problems.map((p) => `${p.variable}: ${p.message}`).join('; ');
}

/** `owner/name` → its parts (GITHUB_REPOSITORY has been checked). */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo] = repository.split('/') as [string, string];
  return { owner, repo };
}
