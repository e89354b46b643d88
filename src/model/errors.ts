// Errors are values: every problem found in a config-entry tree carries where it is and what to do.
// They are rendered once, at the edge (CLI, PR comment), never thrown across the core.

export type ConfigEntryErrorKind =
  | 'syntax' // the file is not valid HCL / JSON / YAML
  | 'decode' // unknown key, wrong type, unknown kind: what `consul config write` refuses
  | 'validate' // Consul's server would refuse the entry (name rules, allowed values, …)
  | 'graph' // a rule across entries (duplicates, permissive mesh gate, L7 protocol)
  | 'io'; // the file could not be read

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
  const where = `${e.file}:${e.line}:${e.column}`;
  const field = e.field ? ` ${e.field}:` : '';
  return `${where}:${field} ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`;
}

export function compareErrors(a: ConfigEntryError, b: ConfigEntryError): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}
