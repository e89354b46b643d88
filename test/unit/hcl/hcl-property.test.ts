import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { parseHcl } from '../../../src/formats/hcl/parse-hcl.ts';
import type { ParseResult } from '../../../src/formats/raw.ts';
import { MixedKindsError, oracleParse, toGoShape } from './hcl-oracle.ts';
import { handWritten } from './hcl-corpus.ts';

const vectors = (JSON.parse(readFileSync(new URL('../../fixtures/consul-decode-vectors.json', import.meta.url), 'utf8')) as { format: string; input: string }[])
  .filter((v) => v.format === 'hcl')
  .map((v) => v.input);
const corpus = [...vectors, ...Object.values(handWritten)].filter((t) => t.length > 0);

function checkResult(text: string, r: ParseResult): void {
  if (r.ok) {
    expect(r.documents).toHaveLength(1);
    expect(r.documents[0].type).toBe('object');
    return;
  }
  expect(r.problems.length).toBeGreaterThanOrEqual(1);
  const lines = text.split('\n').length;
  for (const p of r.problems) {
    expect(typeof p.message).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
    expect(Number.isInteger(p.pos.line) && p.pos.line >= 1 && p.pos.line <= lines).toBe(true);
    expect(Number.isInteger(p.pos.column) && p.pos.column >= 1).toBe(true);
  }
}

const hclChars = fc.constantFrom(...'abc019 \n\t\r"\\{}[]=,#/*<-.+xe$\'“”‘’😀é\u00a0'.split(''), '<<EOF\n', 'EOF\n', '${', '0x', 'true');

describe('parseHcl properties', () => {
  it('never throws on random strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.array(hclChars, { maxLength: 80 }).map((a) => a.join('')),
        ),
        (s) => {
          checkResult(s, parseHcl(s));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated valid files, and agrees with the oracle on accept/reject', () => {
    const mutation = fc.record({
      doc: fc.constantFrom(...corpus),
      ops: fc.array(fc.record({ kind: fc.constantFrom('insert', 'delete', 'replace'), at: fc.nat(), ch: hclChars }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(mutation, ({ doc, ops }) => {
        let s = doc;
        for (const op of ops) {
          const i = op.at % (s.length + 1);
          if (op.kind === 'insert') s = s.slice(0, i) + op.ch + s.slice(i);
          else if (op.kind === 'delete') s = s.slice(0, i) + s.slice(i + 1);
          else s = s.slice(0, i) + op.ch + s.slice(i + 1);
        }
        const r = parseHcl(s);
        checkResult(s, r);
      }),
      { numRuns: 300 },
    );
  });

  it('generated valid documents parse like the oracle', { timeout: 120_000 }, () => {
    const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/).filter((s) => s !== 'true' && s !== 'false');
    const strChar = fc.constantFrom('a', 'Z', ' ', '/', '*', 'é', '😀', '\\"', '\\\\', '\\n', '\\t', '\\u00e9', '#', '{', '}', '[', '=');
    const str = fc.array(strChar, { maxLength: 8 }).map((a) => `"${a.join('')}"`);
    const int = fc.integer({ min: -2147483648, max: 2147483647 }).map(String);
    const float = fc
      .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      .map((d) => (Number.isInteger(d) ? `${d}.5` : String(d)))
      .filter((t) => !/[eE]/.test(t) || /e[+-]?\d/.test(t));
    const scalar = fc.oneof(
      str,
      int,
      float,
      fc.constantFrom('true', 'false'),
      fc.constantFrom('<<EOF\nhello\n  world\nEOF\n', '<<-EOT\n    a\n      b\n    EOT\n'),
    );
    const sep = fc.constantFrom('\n', ' ', ', ', '\n# c\n', ' /* c */ ', ' // c\n');
    const key = fc.oneof(
      ident,
      str.filter((s) => s.length > 2),
    );
    const { body } = fc.letrec<{ body: string; value: string; list: string; obj: string }>((tie) => ({
      body: fc
        .array(
          fc.tuple(
            fc.oneof(
              { depthSize: 'small', maxDepth: 4, depthIdentifier: 'hcl' },
              fc.tuple(key, tie('value')).map(([k, v]) => `${k} = ${v}`),
              fc.tuple(key, fc.array(str, { maxLength: 2 }), tie('obj')).map(([k, ks, o]) => `${[k, ...ks].join(' ')} ${o}`),
            ),
            sep,
          ),
          { maxLength: 5 },
        )
        .map((items) => items.map(([i, s]) => (i.endsWith('\n') ? i + '\n' : i + s)).join('')),
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true, maxDepth: 4, depthIdentifier: 'hcl' }, scalar, tie('list'), tie('obj')),
      list: fc
        .tuple(fc.array(fc.oneof({ depthSize: 'small', maxDepth: 4, depthIdentifier: 'hcl' }, scalar, tie('obj'), tie('list')), { maxLength: 4 }), fc.boolean())
        .map(([xs, trailing]) => `[${xs.map((x) => (x.endsWith('\n') ? x : x + ' ')).join(',\n')}${trailing && xs.length ? ',' : ''}]`),
      obj: tie('body').map((b) => `{\n${b}\n}`),
    }));
    fc.assert(
      fc.property(body, (doc) => {
        const ours = parseHcl(doc);
        const theirs = oracleParse(doc);
        if (!theirs.ok) {
          // mixing value kinds under a repeated key is a decode error in HCL1, not a syntax error
          const syntax =
            /^unable to parse JSON: At \d+:\d+: /.test(theirs.error) &&
            !/unknown slice type|unknown type|root[.[]|must have string keys|cannot decode/.test(theirs.error);
          if (!syntax) {
            if (ours.ok) expect(() => toGoShape(ours.documents[0])).toThrow(MixedKindsError);
            return;
          }
          expect(ours.ok, `${theirs.error}\n${doc}`).toBe(false);
          return;
        }
        if (!ours.ok) throw new Error(`${JSON.stringify(ours.problems)}\n${doc}`);
        let shape: unknown;
        try {
          shape = toGoShape(ours.documents[0]);
        } catch (e) {
          if (e instanceof MixedKindsError) return; // oracle quirk territory (e.g. bool then "true")
          throw e;
        }
        expect(shape).toEqual(theirs.value);
      }),
      { numRuns: 300 },
    );
  });
});
