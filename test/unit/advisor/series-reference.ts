// The readable reference for one series' scan (src/core/advisor/series.ts scanSeries): the rules
// written sample by sample over a cleaned copy, with no index, no chunking and no fast path, so
// the property tests can hold the optimized scan to it.
import type { Sample } from '../../../src/core/advisor/model.ts';
import type { ScanWindow, SeriesScan } from '../../../src/core/advisor/series.ts';

export interface ReferenceBuckets {
  start: number;
  widthMs: number;
  count: number;
}

export function referenceScan(
  raw: readonly Sample[],
  window: ScanWindow,
  restartsSeenAt: readonly number[],
  buckets?: ReferenceBuckets,
): { scan: SeriesScan; counts: number[] } {
  const counts = new Array<number>(buckets?.count ?? 0).fill(0);
  // Non-finite samples are no measurement; one sample per time, the highest value.
  const clean = raw.filter((s) => Number.isFinite(s.t) && Number.isFinite(s.v)).sort((a, b) => a.t - b.t || b.v - a.v);
  const s = clean.filter((x, i) => i === 0 || clean[i - 1].t !== x.t);
  const lo = window.start - window.edgeToleranceMs;
  const hi = window.end + window.edgeToleranceMs;
  const widened = s.filter((x) => x.t >= lo && x.t <= hi);
  const inside = s.filter((x) => x.t >= window.start && x.t <= window.end);
  const before = s.filter((x) => x.t >= lo && x.t < window.start).at(-1);
  const scan: SeriesScan = { longestGapMs: 0, increase: 0, resets: 0 };
  if (widened.length === 0) return { scan, counts };

  // Gaps: those touching the edges first, then the inside ones; a later gap wins only when longer.
  const gaps = widened
    .slice(1)
    .map((x, i) => ({ d: x.t - widened[i].t, end: x.t, inner: x.t > window.start && widened[i].t >= window.start && x.t <= window.end }));
  for (const g of [...gaps.filter((g) => !g.inner), ...gaps.filter((g) => g.inner)]) {
    if (g.d > scan.longestGapMs) {
      scan.longestGapMs = g.d;
      scan.longestGapEndsAt = g.end;
    }
  }
  scan.presentFrom = widened[0].t;
  scan.presentTo = widened.at(-1)!.t;
  if (before) {
    scan.beforeAt = before.t;
    scan.before = before.v;
  }
  if (inside.length === 0) return { scan, counts };
  scan.firstAt = inside[0].t;
  scan.first = inside[0].v;
  scan.lastAt = inside.at(-1)!.t;
  scan.last = inside.at(-1)!.v;

  // The samples at which uptime first showed a new process: for each restart time in order, the
  // first inside sample at or after it, when later than the previous one and not the first sample.
  const processStarts = new Set<number>();
  let lastStart = 0;
  for (const r of restartsSeenAt) {
    const j = inside.findIndex((x) => x.t >= r);
    if (j > lastStart) {
      processStarts.add(j);
      lastStart = j;
    }
  }
  for (let i = 1; i < inside.length; i++) {
    const v = inside[i].v;
    const d = v - inside[i - 1].v;
    let growth = 0;
    if (processStarts.has(i)) {
      scan.resets++;
      growth = Math.max(0, v);
    } else if (d > 0) growth = d;
    else if (d < 0) {
      scan.resets++;
      growth = Math.max(0, v);
    }
    if (growth > 0) {
      scan.increase += growth;
      scan.lastRiseAt = inside[i].t;
      if (buckets) counts[Math.min(buckets.count - 1, Math.floor((inside[i].t - buckets.start) / buckets.widthMs))] += growth;
    }
  }
  return { scan, counts };
}
