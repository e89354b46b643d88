// The in-place Prometheus text parser (names, label names, values and label sets recognized
// without copying, integers summed digit by digit) against the readable reference it replaced:
// the same samples, HELP texts and issues (line numbers, reasons, excerpts) on damaged scrapes,
// on lines built from the format's tricky parts, and on repeated scrapes where every cache is hit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../src/stats/prometheus-text.ts';
import { parsePrometheusText as referenceParse } from './prometheus-text-reference.ts';
import { envoyFixture } from './fixtures.ts';

const merged = envoyFixture('consul-dataplane-merged-metrics.prom.txt').split('\n');
const seeds = [envoyFixture('web-http-permissive.prom.txt'), merged.slice(0, 120).join('\n'), merged.slice(860, 1060).join('\n')];

/** Insert, delete or replace a few characters, then sometimes repeat the result (caches warm). */
const damaged = fc
  .record({
    seed: fc.constantFrom(...seeds),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        del: fc.nat({ max: 6 }),
        insert: fc.oneof(fc.string({ maxLength: 4, unit: 'binary' }), fc.constantFrom('"', '\\', '{', '}', ',', '=', ' ', '\t', '\r\n', '\n', 'NaN', '+Inf', '1e3', '#', '\u00a0')),
      }),
      { maxLength: 8 },
    ),
    copies: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ seed, edits, copies }) => {
    let text = seed;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(at + e.del);
    }
    return Array.from({ length: copies }, () => text).join('\n');
  });

/** Lines assembled from names, label sets and values the format allows or nearly allows. */
const piece = {
  name: fc.constantFrom('m', 'm_total', 'envoy_tcp_downstream_cx_total', 'h_bucket', '9bad', 'a.b', '', 'm{'),
  key: fc.constantFrom('a', 'envoy_tcp_prefix', 'le', '_x', '1a', '"quoted.name"', 'a-b', '__proto__', 'a'),
  value: fc.constantFrom('x', '', 'permissive_public_listener', 'x\\"y', 'back\\\\slash', 'two\\nlines', '{a=1, b}', 'unterminated', 'odd\\q', 'x"y'),
  number: fc.constantFrom('0', '7', '123456789012345', '1234567890123456', '9007199254740993', '12345678901234567890', '99999999999999999999999', '00012', '1.5', '-2', '1e3', 'NaN', '+Inf', '-inf', 'Infinity', '0x10', '1_0', ''),
  stamp: fc.constantFrom('', ' 1700000000000', ' -5', ' 1.5', ' 12 extra'),
  space: fc.constantFrom('', ' ', '  ', '\t'),
};
const line = fc
  .record({
    name: piece.name,
    labels: fc.option(fc.array(fc.record({ key: piece.key, value: piece.value, sp: piece.space, quote: fc.boolean() }), { maxLength: 4 }), { nil: undefined }),
    trailingComma: fc.boolean(),
    sp: piece.space,
    number: piece.number,
    stamp: piece.stamp,
  })
  .map(({ name, labels, trailingComma, sp, number, stamp }) => {
    const set = labels && `{${labels.map((l) => `${l.sp}${l.key}${l.sp}=${l.sp}${l.quote ? `"${l.value}"` : l.value}`).join(',')}${trailingComma ? ',' : ''}}`;
    return `${sp}${name}${set ?? ''}${sp || ' '}${number}${stamp}${sp}`;
  });
const built = fc
  .record({ lines: fc.array(fc.oneof(line, fc.constantFrom('# TYPE m counter', '# TYPE m gauge', '# TYPE h histogram', '# HELP m a\\nb', '# TYPE m bogus', '#', '')), { maxLength: 12 }), copies: fc.integer({ min: 1, max: 3 }) })
  .map(({ lines, copies }) => Array.from({ length: copies }, () => lines.join('\n')).join('\r\n'));

function expectSameAsReference(text: string): void {
  const got = parsePrometheusText(text);
  const want = referenceParse(text);
  expect(got.issues).toEqual(want.issues);
  expect(got.samples).toEqual(want.samples);
  expect([...got.help]).toEqual([...want.help]);
}

describe('parsePrometheusText equals the reference parser', () => {
  it('on damaged real scrapes, repeated so that every cache is hit', () => {
    fc.assert(fc.property(damaged, expectSameAsReference), { numRuns: 300 });
  });

  it('on lines built from the format\'s tricky parts', () => {
    fc.assert(fc.property(built, expectSameAsReference), { numRuns: 2000 });
  });

  it('on the whole real merged scrape, twice', () => {
    expectSameAsReference(`${merged.join('\n')}\n${merged.join('\n')}`);
  });
});
