// The optimized scan (typed columns, shared time index, chunked hot loop, last rise found
// afterwards) against the readable reference on random series: disordered, duplicated, with
// drops, restarts, NaN and infinities, samples outside the window and timelines cut in buckets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/core/advisor/model.ts';
import { scanSeriesOf, TimeIndexCache, type Buckets, type ScanWindow } from '../../../src/core/advisor/series.ts';
import { referenceScan } from './series-reference.ts';

const STEP = 10;
const WINDOW: ScanWindow = { start: 1_000, end: 1_420, edgeToleranceMs: 2 * STEP };
const BUCKETS = 7;
const WIDTH = (WINDOW.end - WINDOW.start) / BUCKETS;

const valueArb = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -3) },
);
/** Times on the scrape grid from before the window to after it, sometimes off the grid. */
const timeArb = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -8, max: 50 }).map((k) => WINDOW.start + k * STEP) },
  { weight: 1, arbitrary: fc.integer({ min: WINDOW.start - 100, max: WINDOW.end + 100 }) },
);
const seriesArb = fc.record({
  /** A counter: a walk that mostly rises, sometimes drops (a reset). */
  steps: fc.array(fc.record({ rise: fc.integer({ min: 0, max: 5 }), drop: fc.boolean(), odd: fc.option(valueArb, { freq: 8 }) }), { maxLength: 60 }),
  firstAt: fc.integer({ min: -8, max: 20 }),
  gapsAt: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }),
  extra: fc.array(fc.record({ t: timeArb, v: valueArb }), { maxLength: 4 }),
  shuffle: fc.boolean(),
  restarts: fc.array(timeArb, { maxLength: 3 }),
});

type SeriesGenome = typeof seriesArb extends fc.Arbitrary<infer R> ? R : never;

function samplesOf(g: SeriesGenome): Sample[] {
  const out: Sample[] = [];
  let v = 0;
  g.steps.forEach((s, i) => {
    v = s.drop ? s.rise : v + s.rise;
    if (g.gapsAt.includes(i)) return;
    out.push({ t: WINDOW.start + (g.firstAt + i) * STEP, v: s.odd ?? v });
  });
  out.push(...g.extra);
  if (g.shuffle) out.sort((a, b) => ((a.t * 7919) % 13) - ((b.t * 7919) % 13));
  return out;
}

const columns = (s: readonly Sample[]) => ({ t: Float64Array.from(s, (x) => x.t), v: Float64Array.from(s, (x) => x.v) });
const buckets = (): Buckets => ({ start: WINDOW.start, widthMs: WIDTH, counts: new Float64Array(BUCKETS) });
/** Fields the reference leaves out are undefined in the optimized scan (one shape for all scans). */
const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe('scanSeriesOf equals the readable reference', { timeout: 120_000 }, () => {
  it('on random series, as sample objects and as columns, with and without a shared time index and a timeline', () => {
    fc.assert(
      fc.property(seriesArb, (g) => {
        const samples = samplesOf(g);
        const restarts = [...g.restarts].sort((a, b) => a - b);
        const want = referenceScan(samples, WINDOW, restarts, { start: WINDOW.start, widthMs: WIDTH, count: BUCKETS });
        for (const input of [samples, columns(samples)]) {
          for (const times of [undefined, new TimeIndexCache(WINDOW)]) {
            const b = buckets();
            const got = scanSeriesOf(input, WINDOW, restarts, b, times);
            expect(defined(got)).toEqual(defined(want.scan));
            expect(Array.from(b.counts)).toEqual(want.counts);
            expect(defined(scanSeriesOf(input, WINDOW, restarts, undefined, times))).toEqual(defined(want.scan));
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('huge but finite counters are growth, not a reason to fail (their sum past the largest double is Infinity)', () => {
    const t = [1_000, 1_010, 1_020, 1_030];
    const v = [0, 1.7e308, 0, 1.7e308];
    for (const input of [{ t: Float64Array.from(t), v: Float64Array.from(v) }, t.map((x, i) => ({ t: x, v: v[i] }))]) {
      const got = scanSeriesOf(input, WINDOW, []);
      expect(got.increase).toBe(Number.POSITIVE_INFINITY);
      expect(got.lastRiseAt).toBe(1_030);
      expect(got.resets).toBe(1);
    }
  });
});
