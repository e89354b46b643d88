// The dev server decodes a PUT body without positions (decode/api-body.ts: parseJson with
// `positions: false`): the same entry, the same given paths and the same 400 text as the decode
// with positions, on random entries of every kind and on the same bodies cut short.
import { describe, expect, it } from 'vitest';
import { decodeApiBody } from '../../../src/decode/api-body.ts';
import { decodeDocument } from '../../../src/decode/decode-entry.ts';
import { parseJson } from '../../../src/formats/json.ts';
import { CONSUL_CE_KINDS } from '../../../src/model/registry.ts';
import { entryOf } from '../../support/random-entries.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/** What decodeApiBody gives, from the parse with positions: the entry, the given paths, or the failure. */
function withPositions(body: string): unknown {
  if (body.trim() === '') return { ok: false };
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, syntax: `Request decoding failed: ${parsed.problems[0].message}` };
  const doc = parsed.documents[0];
  const outcome = decodeDocument(doc, 'request body', 'json');
  return outcome.ok ? { ok: true, entry: outcome.decoded.entry, given: [...outcome.decoded.fieldPositions.keys()] } : { ok: false };
}

/** decodeApiBody's answer in that shape: a syntax error's text, or only that the decode failed (its texts do not come from the parse). */
function shape(body: string, syntax: boolean): unknown {
  const d = decodeApiBody(body);
  if (!d.ok) return syntax ? { ok: false, syntax: d.message } : { ok: false };
  return { ok: true, entry: d.entry, given: [...d.given.keys()] };
}

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x), 2);

describe('PUT body decoded without positions', () => {
  it('gives the entry, the given paths and the syntax errors the decode with positions gives', () => {
    const r = seededRandom(22);
    let bodies = 0;
    let decoded = 0;
    for (const kind of CONSUL_CE_KINDS)
      for (let i = 0; i < 30; i++) {
        const body = json(entryOf(r, kind));
        for (const b of [body, body.slice(0, Math.floor(r() * body.length))]) {
          const expected = withPositions(b) as { ok: boolean; syntax?: string };
          if (expected.ok) decoded++;
          expect(shape(b, expected.syntax !== undefined), b).toEqual(expected);
          bodies++;
        }
      }
    expect(bodies).toBeGreaterThan(1000);
    expect(decoded).toBeGreaterThan(200);
  });
});
