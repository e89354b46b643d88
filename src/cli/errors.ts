// How a command ends on an error: `error: …` on stderr as before, and with --json also one object on
// stdout, `{"error":{"code":…,"message":…}}`, so a script decides by the code (src/errors.ts), never
// by the wording.
import { isConsulError, type ConsulError } from '../adapters/consul/errors.ts';
import { errorJson, TargetsFailedError } from '../errors.ts';
import { escapeControl } from '../model/errors.ts';
import type { CliIo } from './io.ts';

export interface FailOptions {
  /** Print the JSON object on stdout too. */
  json: boolean;
  /** The stderr text, when it says more than the error's message (lines already escaped). */
  text?: string;
  /** Structured details for the JSON object (e.g. every file error). */
  details?: readonly unknown[];
}

/** Reports the error and returns exit code 1. */
export function failWith(io: CliIo, error: unknown, options: FailOptions): number {
  const body = errorJson(error);
  // A message may quote a path, a Consul answer or a key: each of its lines is escaped, so none rewrites the terminal.
  io.stderr.write(`${options.text ?? `error: ${body.message.split('\n').map(escapeControl).join('\n')}`}\n`);
  for (const c of consulErrorsIn(error)) io.stderr.write(`  ${failedRequest(c)}\n`);
  if (options.json) io.stdout.write(`${JSON.stringify({ error: { ...body, ...(options.details ? { errors: options.details } : {}) } })}\n`);
  return 1;
}

/** `--json` given before any `--` terminator. */
export function wantsJson(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--json') return true;
  }
  return false;
}

/** The Consul errors behind `error`: itself, or each target's of several (TargetsFailedError). */
function consulErrorsIn(error: unknown): ConsulError[] {
  if (isConsulError(error)) return [error];
  if (error instanceof TargetsFailedError) return error.errors.filter(isConsulError);
  return [];
}

/**
 * `request: GET /v1/config/service-defaults: 500`: Consul's text alone does not say which read or
 * write failed. The token travels only in a header (adapters/consul/errors.ts); a `token` query
 * parameter is blanked all the same, should one ever be added to a path.
 */
function failedRequest(e: ConsulError): string {
  const status = e.status === undefined ? (e.transportCode ?? 'no response') : String(e.status);
  const path = e.path.replace(/([?&]token=)[^&]*/gi, '$1…');
  return `request: ${escapeControl(`${e.method} ${path}`)}: ${escapeControl(status)}${e.attempts > 1 ? ` (after ${e.attempts} attempts)` : ''}`;
}
