// The one escaping of text for a terminal or a CI log: every line the CLI and the reports print about
// a name, a file or a message from Consul goes through escapeControl, so no such value can move the
// cursor, recolour, forge lines or show its characters in another order.

/**
 * Control characters (C0, DEL, C1, the Unicode line/paragraph separators, and the bidirectional
 * marks, embeddings, overrides and isolates) as `\u001b` escapes, so a name or value cannot move the
 * cursor, recolour, forge lines or show its characters in another order (`evil\u202egnp.hcl` reads
 * as `evilphp.hcl`) in a terminal or CI log. Newlines and tabs are escaped too: one value, one line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
