// The server side of PUT /v1/config: a JSON body decoded the way Consul's HTTP handler does,
// failing with Consul's exact 400 texts. Used by the dev server, and by tests of decode fidelity.
import type { ApiEntry } from '../model/kind-definition.ts';
import { parseJson } from '../formats/json.ts';
import { decodeDocument, findKind } from './decode-entry.ts';

/**
 * `given`: the field paths the body names, empty objects included. Consul's mapstructure decode
 * makes `"UpstreamConfig": {}` a non-nil pointer, which Validate sees; `entry` drops it as a zero value.
 */
export type ApiBodyOutcome = { ok: true; entry: ApiEntry; given: ReadonlyMap<string, unknown> } | { ok: false; message: string };

/** go-multierror's format, which Consul uses for unknown keys. */
export function multiErrorText(errors: readonly string[]): string {
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}

function fail(m: string): ApiBodyOutcome {
  return { ok: false, message: `Request decoding failed: ${m}` };
}

/** The parser's options for a body: made once, as this runs on every write the dev server takes. */
const NO_POSITIONS = { positions: false } as const;

export function decodeApiBody(body: string): ApiBodyOutcome {
  // No positions: no answer of the server names one (its 400s are Go's texts), and `given` is read for its paths alone.
  const parsed = parseJson(body, NO_POSITIONS);
  // A blank body (Go's EOF) never parses; one that parses holds a value, so it is not blank:
  // the blank test (a trimmed copy) is left to the failures.
  if (!parsed.ok) return fail(body.trim() === '' ? 'EOF' : parsed.problems[0].message);
  const doc = parsed.documents[0];
  if (doc.type !== 'object') return fail('Payload does not contain a kind/Kind key at the top level');
  const kind = findKind(doc);
  if (kind.error) return fail(kind.error);
  // As ConfigApply: into interface{}, then DecodeConfigEntry's weak mapstructure, which takes a
  // []byte field's string as its raw bytes (never base64-decoded): any string is accepted.
  const outcome = decodeDocument(doc, 'request body', 'json');
  if (outcome.ok) return { ok: true, entry: outcome.decoded.entry, given: outcome.decoded.fieldPositions };
  if (outcome.errors.length === 1 && outcome.errors[0].field === 'Kind') return fail(outcome.errors[0].message);
  const unknownKeys = outcome.errors.filter((e) => e.code === 'unknown-field');
  if (unknownKeys.length) return fail(multiErrorText(unknownKeys.map((e) => e.message)));
  return fail(`1 error(s) decoding:\n\n${outcome.errors.map((e) => `* ${e.message}`).join('\n')}`);
}
