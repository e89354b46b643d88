// The JSON reader's literals (true, false, null) are matched one by one, each node made only once
// it matches (src/formats/json.ts). Near misses give the answers recorded from the reader before
// that change, and generated JSON reads as JSON.parse reads it, literals in every place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/formats/json.ts';
import type { RawNode } from '../../../src/formats/raw.ts';

const valueOf = (n: RawNode): unknown =>
  n.type === 'object'
    ? Object.fromEntries(n.entries.map((e) => [e.key, valueOf(e.value)]))
    : n.type === 'list'
      ? n.items.map(valueOf)
      : n.type === 'null'
        ? null
        : n.value;

describe('JSON literals', () => {
  it('answer near misses as before: the message and the place', () => {
    const recorded: [string, string, number, number][] = [
      ['tru', 'unexpected "t": expected a JSON value', 1, 1],
      ['nul', 'unexpected "n": expected a JSON value', 1, 1],
      ['falsey', 'unexpected "y" after the JSON value', 1, 6],
      ['truex', 'unexpected "x" after the JSON value', 1, 5],
      ['{"a": nulll}', 'unexpected "l": expected "," or "}"', 1, 11],
      [' \n  fals', 'unexpected "f": expected a JSON value', 2, 3],
      ['True', 'unexpected "T": expected a JSON value', 1, 1],
    ];
    for (const [text, message, line, column] of recorded) expect(parseJson(text)).toEqual({ ok: false, problems: [{ message, pos: { line, column } }] });
    expect(parseJson('{"a":[null, true ,false]}')).toEqual({
      ok: true,
      documents: [
        {
          type: 'object',
          pos: { line: 1, column: 1 },
          entries: [
            {
              key: 'a',
              keyPos: { line: 1, column: 2 },
              value: {
                type: 'list',
                pos: { line: 1, column: 6 },
                items: [
                  { type: 'null', pos: { line: 1, column: 7 } },
                  { type: 'bool', value: true, pos: { line: 1, column: 13 } },
                  { type: 'bool', value: false, pos: { line: 1, column: 19 } },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('read generated JSON as JSON.parse does', () => {
    const leaf = fc.oneof(fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 }), fc.integer({ min: -1000, max: 1000 }));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.nat(4), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const parsed = parseJson(text);
        expect(parsed.ok && valueOf(parsed.documents[0])).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });
});
