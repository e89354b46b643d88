// Errors are values: every problem found in a config-entry tree carries where it is and what to do.
// They are rendered once, at the edge (CLI, PR comment), never thrown across the core.
import { escapeControl } from './terminal-text.ts';

export type ConfigEntryErrorKind =
  | 'syntax' // the file is not valid HCL / JSON / YAML
  | 'decode' // unknown key, wrong type, unknown kind: what `consul config write` refuses
  | 'validate' // Consul's server would refuse the entry (name rules, allowed values, …)
  | 'graph' // a rule across entries (duplicates, permissive mesh gate, L7 protocol)
  | 'io'; // the file could not be read

/**
 * What a problem is, for code that decides by it (never by its message text). Only problems some
 * caller branches on have a code; the rest have none.
 * - `unknown-field`: a key the kind does not have, Consul's `invalid config key` (the dev server
 *   answers these as one go-multierror list, as agent/structs/config_entry_ce.go validateUnusedKeys does).
 * - `advanced-routing-protocol`: a router, splitter or resolver feature on a chain whose protocol is
 *   not L7 (graph-rules reports it from the service's own protocol, so the chain check skips it).
 */
export type ProblemCode = 'unknown-field' | 'advanced-routing-protocol';

export interface SourcePosition {
  line: number; // 1-based
  column: number; // 1-based
}

export interface ConfigEntryError {
  kind: ConfigEntryErrorKind;
  file: string;
  line: number;
  column: number;
  /** Field path in Consul's API form, e.g. `Sources[0].Action`; empty for file-level problems. */
  field: string;
  message: string;
  hint?: string;
  /** Set when some caller decides by what the problem is; `--json` outputs carry it. */
  code?: ProblemCode;
}

export function configEntryError(
  kind: ConfigEntryErrorKind,
  file: string,
  pos: SourcePosition | undefined,
  field: string,
  message: string,
  hint?: string,
): ConfigEntryError {
  const e: ConfigEntryError = { kind, file, line: pos?.line ?? 1, column: pos?.column ?? 1, field, message };
  if (hint) e.hint = hint;
  return e;
}

/** `file:line:col: field: message` followed by an indented hint, as compilers print. */
export function formatConfigEntryError(e: ConfigEntryError): string {
  const where = `${escapeControl(e.file)}:${e.line}:${e.column}`;
  // A field path holds keys from the file: each segment is cut like any quoted token.
  const field = e.field
    ? ` ${e.field
        .split('.')
        .map((seg) => quoteToken(seg).slice(1, -1))
        .join('.')}:`
    : '';
  return `${where}:${field} ${escapeControl(e.message)}${e.hint ? `\n  hint: ${escapeControl(e.hint)}` : ''}`;
}

/** Longest excerpt of a file an error message quotes: enough to recognise a token, too short to carry a file. */
export const MAX_QUOTED_CHARS = 40;

/**
 * The one way an error quotes text taken from a file: in double quotes, control characters escaped,
 * cut at MAX_QUOTED_CHARS with an ellipsis. Messages quote only the offending token, through this.
 */
export function quoteToken(text: string): string {
  const chars = [...text];
  const cut = chars.length > MAX_QUOTED_CHARS ? `${chars.slice(0, MAX_QUOTED_CHARS).join('')}…` : text;
  return `"${escapeControl(cut).replace(/"/g, '\\"')}"`;
}

// The terminal's one escaping lives in terminal-text.ts; errors re-export it for their many importers.
export { escapeControl };

export function compareErrors(a: ConfigEntryError, b: ConfigEntryError): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}
