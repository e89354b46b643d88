// The in-place Prometheus text parser (names, label names, values and label sets recognized
// without copying, integers summed digit by digit) against the readable reference it replaced:
// the same samples, HELP texts and issues (line numbers, reasons, excerpts) on damaged scrapes,
// on lines built from the format's tricky parts, and on repeated scrapes where every cache is hit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../src/stats/prometheus-text.ts';
import { parsePrometheusText as referenceParse } from './prometheus-text-reference.ts';
import { built, damaged, merged } from './prometheus-text-arbitraries.ts';

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

  it("on lines built from the format's tricky parts", () => {
    fc.assert(fc.property(built, expectSameAsReference), { numRuns: 2000 });
  });

  it('on the whole real merged scrape, twice', () => {
    expectSameAsReference(`${merged.join('\n')}\n${merged.join('\n')}`);
  });
});
