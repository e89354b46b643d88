// The one family of consul-gitops exceptions: every error this code throws is a ConsulGitopsError
// with a stable `code`, so the edges (CLI exit and `--json`, the Lambda handlers' results, serve's
// answers) decide by code or class, never by reading message text. Problems in config-entry files
// are not exceptions: they are ConfigEntryError values (model/errors.ts), collected and reported together.

/**
 * Every code, with what it means. Codes are part of the CLI's `--json` output and of the reconcile
 * function's result: renaming one is a breaking change.
 */
export const ERROR_CODES = {
  // Refusals: consul-gitops decided not to change Consul, and says why.
  'invalid-entries': 'config-entry files do not parse, decode or validate; nothing was planned or applied',
  'mass-delete': 'the plan deletes more managed entries than the mass-delete guard allows (--allow-mass-delete)',
  'stale-commit': 'the commit is older than the last one applied, or its time cannot be ordered',
  'target-busy': 'another run holds the target lock and did not finish in time',
  'apply-cancelled': 'the person asked at the terminal did not answer yes',
  'saved-plan-unreadable': 'the saved plan file cannot be read',
  'saved-plan-format': 'the file is not a consul-gitops saved plan, or the plan was refused when it was made',
  'saved-plan-version': 'the saved plan was written in another format version',
  'saved-plan-integrity': 'the saved plan was edited after `plan --out` wrote it',
  'saved-plan-target': 'the saved plan was made for another target',
  'saved-plan-age': 'the saved plan is older than --max-plan-age',
  'saved-plan-changed': 'Consul changed since the saved plan was made',
  'field-loss': 'an update would remove fields the live entry has and consul-gitops does not know; not written without --allow-field-loss',
  'adopt-required': 'an entry consul-gitops does not manage differs from its file; not written without --adopt',
  'targets-failed': "the runs of several targets threw; the error's `errors` holds each target's own error, with its code",
  // Wrong input to consul-gitops itself.
  usage: 'a command-line flag or argument is wrong',
  config: 'configuration is invalid: consul-gitops.yaml, the environment, an env file, Consul or GitHub client settings, an ACL policy file',
  // The world outside did not answer as needed.
  consul: 'Consul answered with an error or could not be reached (ConsulError.kind says which)',
  github: 'GitHub answered with an error or could not be reached (GitHubError.kind says which)',
  'stats-unavailable': 'no traffic statistics could be read at all',
  'secret-unavailable': 'a secret could not be read',
  'state-conflict': "the reconciler's record in Consul KV kept changing under check-and-set",
  'state-unreadable': 'a key consul-gitops keeps in Consul KV holds a value it did not write (the error names the key and what to do)',
  git: 'a local git command failed',
  'no-changes': 'a proposed change is already what the base branch holds',
  'base-changed': "a proposal's file on the base branch is no longer the one the proposal was made from",
  'response-too-large': 'a response was larger than the limit set for it',
  'plan-archive': "a full plan could not be kept or read for its link (S3, or serve's memory store)",
  // Thrown and caught inside one module (parsers, the dev server's request handling): never seen by a user as such.
  syntax: 'a parser met text it cannot read; turned into a ConfigEntryError value before it leaves the parser',
  'dev-server': "the embedded dev server answers a request with Consul's HTTP status and text",
  internal: 'control flow inside one module, or a bug',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

// eslint-disable-next-line no-restricted-syntax -- the family's root: the one class that extends Error.
export class ConsulGitopsError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    // The subclass's own name (`TargetBusyError`) in stack traces and logs.
    this.name = new.target.name;
  }
}

/** One target's failed run, as the reconcile use case summarises it (src/app/run-reconcile-event.ts). */
export interface FailedTarget {
  target: string;
  summary: string;
  code?: ErrorCode;
  error?: unknown;
}

/**
 * Several targets' runs threw: one error of the family that keeps each target's own error, so a log
 * line or an alarm still reads every target's code (`targets`), and code that walks errors finds the
 * originals in `errors` (AggregateError's property name) and the first in `cause`.
 */
export class TargetsFailedError extends ConsulGitopsError {
  readonly errors: unknown[];
  readonly targets: { target: string; code: ErrorCode; message: string }[];

  constructor(failed: readonly FailedTarget[]) {
    super(
      'targets-failed',
      `reconcile failed for targets ${failed.map((r) => r.target).join(', ')}: ${failed.map((r) => `${r.target}: ${r.summary}`).join('; ')}`,
      {
        cause: failed[0]?.error,
      },
    );
    this.errors = failed.map((r) => r.error);
    this.targets = failed.map((r) => ({ target: r.target, code: r.code ?? errorCode(r.error), message: r.summary }));
  }
}

/** The code of anything thrown: ours carry one; parseArgs' errors are usage errors; anything else is a bug. */
export function errorCode(e: unknown): ErrorCode {
  if (e instanceof ConsulGitopsError) return e.code;
  // Node's util.parseArgs throws TypeErrors with codes ERR_PARSE_ARGS_* naming the bad flag.
  if (typeof (e as { code?: unknown } | null)?.code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS')) return 'usage';
  return 'internal';
}

/** `{ code, message }` for JSON outputs. */
export function errorJson(e: unknown): { code: ErrorCode; message: string } {
  return { code: errorCode(e), message: e instanceof Error ? e.message : String(e) };
}
