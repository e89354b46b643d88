// series: one raw counter series measured against the evidence window in a single pass: its
// reset-aware growth, its edges and its gaps. This is the decision's hot loop (5,000 services x
// 7 days of 1-minute samples), so it allocates nothing per sample.
import type { Sample } from './model.ts';

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

/**
 * Samples sorted by time with one sample per timestamp (the highest value: a duplicate must not
 * look like a reset followed by phantom growth) and non-finite values dropped (a staleness
 * marker is no measurement). Returns the input itself when it already is so.
 */
export function orderedSamples(samples: readonly Sample[]): readonly Sample[] {
  let ordered = true;
  let prev = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (!(s.t > prev) || !Number.isFinite(s.v) || !Number.isFinite(s.t)) {
      ordered = false;
      break;
    }
    prev = s.t;
  }
  if (ordered) return samples;
  const sorted = samples.filter((s) => Number.isFinite(s.t) && Number.isFinite(s.v)).sort((a, b) => a.t - b.t || b.v - a.v);
  const out: Sample[] = [];
  for (const s of sorted) if (out.length === 0 || out[out.length - 1].t !== s.t) out.push({ t: s.t, v: s.v });
  return out;
}

/**
 * Scans ordered samples (see orderedSamples). `restartsSeenAt`: sorted times of the uptime samples
 * that first showed a new Envoy process, so a reset is seen even when the new process counted
 * past the old value before its first scrape.
 */
export function scanSeries(samples: readonly Sample[], window: ScanWindow, restartsSeenAt: readonly number[], buckets?: Buckets): SeriesScan {
  const lo = window.start - window.edgeToleranceMs;
  const hi = window.end + window.edgeToleranceMs;
  const { start, end } = window;
  const scan: SeriesScan = { longestGapMs: 0, increase: 0, resets: 0 };
  let prevT = Number.NaN; // previous sample within [lo, hi]
  let insidePrevT = Number.NaN;
  let insidePrevV = 0;
  let r = 0;
  const bucketCounts = buckets?.counts;
  const bucketStart = buckets?.start ?? 0;
  const bucketWidth = buckets?.widthMs ?? 1;
  const lastBucket = bucketCounts ? bucketCounts.length - 1 : 0;
  let increase = 0;
  let resets = 0;
  let lastRiseAt = Number.NaN;
  let longestGap = 0;
  let gapEnd = Number.NaN;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const t = s.t;
    if (t < lo) continue;
    if (t > hi) break;
    if (prevT === prevT) {
      if (t - prevT > longestGap) {
        longestGap = t - prevT;
        gapEnd = t;
      }
    } else {
      scan.presentFrom = t;
    }
    prevT = t;
    const v = s.v;
    if (t < start) {
      scan.beforeAt = t;
      scan.before = v;
      continue;
    }
    if (t > end) continue;
    if (insidePrevT !== insidePrevT) {
      scan.firstAt = t;
      scan.first = v;
    } else {
      let reset = v < insidePrevV;
      while (r < restartsSeenAt.length && restartsSeenAt[r] <= insidePrevT) r++;
      if (r < restartsSeenAt.length && restartsSeenAt[r] <= t) reset = true;
      const rise = reset ? v : v - insidePrevV;
      if (reset) resets++;
      if (rise > 0) {
        increase += rise;
        lastRiseAt = t;
        if (bucketCounts) {
          let b = Math.floor((t - bucketStart) / bucketWidth);
          if (b > lastBucket) b = lastBucket;
          bucketCounts[b] += rise;
        }
      }
    }
    insidePrevT = t;
    insidePrevV = v;
  }
  if (prevT === prevT) scan.presentTo = prevT;
  if (insidePrevT === insidePrevT) {
    scan.lastAt = insidePrevT;
    scan.last = insidePrevV;
  }
  scan.increase = increase;
  scan.resets = resets;
  scan.longestGapMs = longestGap;
  if (gapEnd === gapEnd) scan.longestGapEndsAt = gapEnd;
  if (lastRiseAt === lastRiseAt) scan.lastRiseAt = lastRiseAt;
  return scan;
}

/** Adds `amount` to the bucket holding time `t` (growth judged outside the scan). */
export function addToBucket(buckets: Buckets | undefined, t: number, amount: number): void {
  if (!buckets || amount <= 0) return;
  const b = Math.min(buckets.counts.length - 1, Math.max(0, Math.floor((t - buckets.start) / buckets.widthMs)));
  buckets.counts[b] += amount;
}
