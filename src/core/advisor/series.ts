// series: one raw counter series measured against the evidence window in a single pass: its
// reset-aware growth, its edges and its gaps. This is the decision's hot loop (5,000 services x
// 7 days of 1-minute samples), so it allocates nothing per sample.
import type { Sample, SampleColumns } from './model.ts';

export interface ScanWindow {
  start: number;
  end: number;
  /** How far outside the window a sample still counts as presence at the edge (never as growth). */
  edgeToleranceMs: number;
}

/** Equal buckets over the window that growth is added into (the evidence's timeline). */
export interface Buckets {
  start: number;
  widthMs: number;
  counts: Float64Array;
}

export interface SeriesScan {
  /** Earliest and latest sample within the window widened by the edge tolerance: presence. */
  presentFrom?: number;
  presentTo?: number;
  /** Longest time between two consecutive samples within the widened window, and when it ended. */
  longestGapMs: number;
  longestGapEndsAt?: number;
  /** First and last sample inside the window proper. */
  firstAt?: number;
  first?: number;
  lastAt?: number;
  last?: number;
  /**
   * Growth between consecutive samples inside the window: every positive delta, and after a
   * reset the new value (the new process counted it after the previous sample). The first
   * inside sample's own value is not included: whether it was counted inside the window is
   * for the caller to judge (it needs the process's uptime).
   */
  increase: number;
  lastRiseAt?: number;
  /** Resets between inside samples: a drop, or a restart that uptime showed in between. */
  resets: number;
  /** The last sample before the window start, within the edge tolerance. */
  beforeAt?: number;
  before?: number;
}

/** A series ready to scan: strictly increasing finite times, finite values. */
export interface OrderedSeries {
  t: Float64Array;
  v: Float64Array;
}

/**
 * The series sorted by time with one sample per timestamp (the highest value: a duplicate must
 * not look like a reset followed by phantom growth) and non-finite values dropped (a staleness
 * marker is no measurement). Always a copy; see scanSeriesOf for the fast path.
 */
export function orderedSeries(series: readonly Sample[] | SampleColumns): OrderedSeries {
  if (Array.isArray(series)) return fromPairs(series as readonly Sample[]);
  const { t, v } = series as SampleColumns;
  return fromPairs(Array.from(t.subarray(0, Math.min(t.length, v.length)), (x, i) => ({ t: x, v: v[i] })));
}

function isOrdered(t: Float64Array, v: Float64Array): boolean {
  if (t.length !== v.length) return false;
  let prev = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const x = t[i];
    if (!(x > prev) || v[i] - v[i] !== 0) return false; // v - v is NaN for NaN and +-Infinity
    prev = x;
  }
  return true;
}

/** Scans the series as given when it is in order, else its ordered copy. */
export function scanSeriesOf(series: readonly Sample[] | SampleColumns, window: ScanWindow, restartsSeenAt: readonly number[], buckets?: Buckets): SeriesScan {
  if (!Array.isArray(series)) {
    // scanSeries gives up before it adds anything to the buckets, so nothing needs undoing.
    const scan = scanSeries(series as SampleColumns, window, restartsSeenAt, buckets);
    if (scan) return scan;
  }
  return scanSeries(orderedSeries(series), window, restartsSeenAt, buckets)!;
}

/** For series read once (uptime): in order as given, or an ordered copy. */
export function inOrder(series: readonly Sample[] | SampleColumns): OrderedSeries {
  if (!Array.isArray(series)) {
    const { t, v } = series as SampleColumns;
    if (isOrdered(t, v)) return { t, v };
  }
  return orderedSeries(series);
}

function fromPairs(samples: readonly Sample[]): OrderedSeries {
  let ordered = true;
  let prev = -Infinity;
  for (let i = 0; i < samples.length && ordered; i++) {
    const s = samples[i];
    ordered = s.t > prev && Number.isFinite(s.t) && Number.isFinite(s.v);
    prev = s.t;
  }
  const kept = ordered ? samples : samples.filter((s) => Number.isFinite(s.t) && Number.isFinite(s.v)).sort((a, b) => a.t - b.t || b.v - a.v);
  const t = new Float64Array(kept.length);
  const v = new Float64Array(kept.length);
  let n = 0;
  for (const s of kept) {
    if (n > 0 && t[n - 1] === s.t) continue;
    t[n] = s.t;
    v[n] = s.v;
    n++;
  }
  return n === kept.length ? { t, v } : { t: t.subarray(0, n), v: v.subarray(0, n) };
}

/**
 * Scans a series. `restartsSeenAt`: sorted times of the uptime samples that first showed a new
 * Envoy process, so a reset is seen even when the new process counted past the old value before
 * its first scrape. Returns undefined when the series turns out not to be in order (or holds a
 * non-finite value): the caller then scans orderedSeries(series) instead. One tight pass over the
 * samples that matter, found by binary search (order, gaps and growth in chunks of one timeline
 * bucket), so a 7-day series costs a few nanoseconds per sample.
 */
export function scanSeries(series: OrderedSeries, window: ScanWindow, restartsSeenAt: readonly number[], buckets?: Buckets): SeriesScan | undefined {
  const ts = series.t;
  const vs = series.v;
  const n = ts.length;
  if (vs.length !== n) return undefined;
  const { start, end } = window;
  const iLo = lowerBound(ts, start - window.edgeToleranceMs, 0, n);
  const iS = lowerBound(ts, start, iLo, n);
  const iE = upperBound(ts, end, iS, n);
  const iHi = upperBound(ts, end + window.edgeToleranceMs, iE, n);
  // Outside the widened window only the order matters (the binary searches rely on it).
  for (let i = 1; i <= iLo && i < n; i++) if (!(ts[i] > ts[i - 1])) return undefined;
  for (let i = Math.max(1, iHi); i < n; i++) if (!(ts[i] > ts[i - 1])) return undefined;

  const scan: SeriesScan = { longestGapMs: 0, increase: 0, resets: 0 };
  if (iLo >= iHi) return scan;
  // The edges (within the tolerance, outside the window): order, finite values, gaps.
  let gap = 0;
  let gapEnd = Number.NaN;
  if (vs[iLo] - vs[iLo] !== 0) return undefined; // NaN and +-Infinity give NaN
  for (let i = iLo + 1; i < iHi; i++) {
    if (i === iS + 1 && iE > iS) i = iE; // the inside is checked while measuring growth below
    if (i >= iHi) break;
    const d = ts[i] - ts[i - 1];
    if (!(d > 0) || vs[i] - vs[i] !== 0) return undefined;
    if (d > gap) {
      gap = d;
      gapEnd = ts[i];
    }
  }
  if (iS > iLo) {
    scan.beforeAt = ts[iS - 1];
    scan.before = vs[iS - 1];
  }

  // Inside the window: growth between consecutive samples, one timeline bucket at a time, into
  // local buckets first so that a series found out of order leaves the caller's buckets untouched.
  let r = 0;
  let lastReset = iS;
  const nextReset = (): number => {
    while (r < restartsSeenAt.length) {
      const j = lowerBound(ts, restartsSeenAt[r++], iS, iE);
      if (j > lastReset && j < iE) return (lastReset = j);
    }
    return n + 1;
  };
  let resetAt = nextReset();
  const counts = buckets ? new Float64Array(buckets.counts.length) : undefined;
  const lastBucket = counts ? counts.length - 1 : 0;
  let increase = 0;
  let resets = 0;
  let lastRise = -1;
  let i = iS + 1;
  while (i < iE) {
    let stop = iE;
    let bucket = -1;
    if (counts) {
      bucket = Math.min(lastBucket, Math.floor((ts[i] - buckets!.start) / buckets!.widthMs));
      if (bucket < lastBucket) stop = Math.max(i + 1, lowerBound(ts, buckets!.start + (bucket + 1) * buckets!.widthMs, i, iE));
    }
    let chunk = 0;
    for (; i < stop; i++) {
      const dt = ts[i] - ts[i - 1];
      const v = vs[i];
      const d = v - vs[i - 1];
      if (!(dt > 0) || v - v !== 0) return undefined;
      if (dt > gap) {
        gap = dt;
        gapEnd = ts[i];
      }
      if (i === resetAt) {
        resets++;
        resetAt = nextReset();
        if (v > 0) {
          chunk += v;
          lastRise = i;
        }
      } else if (d > 0) {
        chunk += d;
        lastRise = i;
      } else if (d < 0) {
        resets++;
        if (v > 0) {
          chunk += v;
          lastRise = i;
        }
      }
    }
    increase += chunk;
    if (counts && chunk > 0) counts[bucket] += chunk;
  }
  if (counts) for (let b = 0; b < counts.length; b++) buckets!.counts[b] += counts[b];
  scan.presentFrom = ts[iLo];
  scan.presentTo = ts[iHi - 1];
  scan.longestGapMs = gap;
  if (gapEnd === gapEnd) scan.longestGapEndsAt = gapEnd;
  if (iS < iE) {
    scan.firstAt = ts[iS];
    scan.first = vs[iS];
    scan.lastAt = ts[iE - 1];
    scan.last = vs[iE - 1];
  }
  scan.increase = increase;
  scan.resets = resets;
  if (lastRise >= 0) scan.lastRiseAt = ts[lastRise];
  return scan;
}

/** First index in [from, to) whose time is >= x (`to` when none). */
function lowerBound(ts: Float64Array, x: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose time is > x (`to` when none). */
function upperBound(ts: Float64Array, x: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds `amount` to the bucket holding time `t` (growth judged outside the scan). */
export function addToBucket(buckets: Buckets | undefined, t: number, amount: number): void {
  if (!buckets || amount <= 0) return;
  const b = Math.min(buckets.counts.length - 1, Math.max(0, Math.floor((t - buckets.start) / buckets.widthMs)));
  buckets.counts[b] += amount;
}
