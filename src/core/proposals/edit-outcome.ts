// The vocabulary of one field edit: which API field to set to what, and the text edit (or the
// reason there is none) a format's editor returns for it.
import type { TextEdit } from './source-text.ts';

/** Set the API field at `path` (`['TransparentProxy', 'MeshDestinationsOnly']`) to `value`. */
export interface FieldSet {
  path: readonly string[];
  value: string | boolean;
}

export type EditOutcome = { ok: true; edit: TextEdit } | { ok: false; reason: string };

export const noEdit = (reason: string): EditOutcome => ({ ok: false, reason });

/** The value as the formats write it: `"strict"`, `false`. */
export function literal(value: string | boolean, quote = '"'): string {
  return typeof value === 'boolean' ? String(value) : `${quote}${value}${quote}`;
}
