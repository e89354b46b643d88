// Generators of Prometheus text for the parser's property tests: damaged real scrapes, and lines
// assembled from the format's tricky parts (both repeated, so that every parse cache is hit).
import fc from 'fast-check';
import { envoyFixture } from './fixtures.ts';

export const merged = envoyFixture('consul-dataplane-merged-metrics.prom.txt').split('\n');
const seeds = [envoyFixture('web-http-permissive.prom.txt'), merged.slice(0, 120).join('\n'), merged.slice(860, 1060).join('\n')];

/** Insert, delete or replace a few characters, then sometimes repeat the result (caches warm). */
export const damaged = fc
  .record({
    seed: fc.constantFrom(...seeds),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        del: fc.nat({ max: 6 }),
        insert: fc.oneof(
          fc.string({ maxLength: 4, unit: 'binary' }),
          fc.constantFrom('"', '\\', '{', '}', ',', '=', ' ', '\t', '\r\n', '\n', 'NaN', '+Inf', '1e3', '#', '\u00a0'),
        ),
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
export const piece = {
  name: fc.constantFrom('m', 'm_total', 'm_count', 'envoy_tcp_downstream_cx_total', 'h_bucket', 'h_count', 'h', '9bad', 'a.b', '', 'm{'),
  key: fc.constantFrom('a', 'envoy_tcp_prefix', 'le', '_x', '1a', '"quoted.name"', 'a-b', '__proto__', 'a'),
  value: fc.constantFrom('x', '', 'permissive_public_listener', 'x\\"y', 'back\\\\slash', 'two\\nlines', '{a=1, b}', 'unterminated', 'odd\\q', 'x"y'),
  number: fc.constantFrom(
    '0',
    '7',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '12345678901234567890',
    '99999999999999999999999',
    '00012',
    '1.5',
    '-2',
    '1e3',
    'NaN',
    '+Inf',
    '-inf',
    'Infinity',
    '0x10',
    '1_0',
    '',
  ),
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
export const built = fc
  .record({
    lines: fc.array(
      fc.oneof(
        line,
        fc.constantFrom(
          '# TYPE m counter',
          '# TYPE m gauge',
          '# TYPE h histogram',
          '# TYPE h summary',
          '# TYPE m_count gauge',
          '# HELP m a\\nb',
          '# HELP  h two spaces',
          '# HELP h{x odd',
          '# TYPE m bogus',
          '#',
          '',
        ),
      ),
      { maxLength: 12 },
    ),
    copies: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ lines, copies }) => Array.from({ length: copies }, () => lines.join('\n')).join('\r\n'));
