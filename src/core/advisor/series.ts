// series: one raw counter series measured against the evidence window in a single pass: its
// reset-aware growth, its edges and its gaps. This is the decision's hot loop (5,000 services x
// 7 days of 1-minute samples), so it allocates nothing per sample and reads a shared time column once.
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
export function scanSeriesOf(
  series: readonly Sample[] | SampleColumns,
  window: ScanWindow,
  restartsSeenAt: readonly number[],
  buckets?: Buckets,
  times?: TimeIndexCache,
): SeriesScan {
  if (!Array.isArray(series)) {
    // scanSeries gives up before it adds anything to the buckets, so nothing needs undoing.
    const scan = scanSeries(series as SampleColumns, window, restartsSeenAt, buckets, times);
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
 * non-finite value): the caller then scans orderedSeries(series) instead. The time column is
 * indexed once (`times` shares it between the series of a scrape); the values are then read in
 * one tight pass, one timeline bucket at a time, so a 7-day series costs about a nanosecond per
 * sample.
 */
export function scanSeries(
  series: OrderedSeries,
  window: ScanWindow,
  restartsSeenAt: readonly number[],
  buckets?: Buckets,
  times?: TimeIndexCache,
): SeriesScan | undefined {
  const ts = series.t;
  const vs = series.v;
  const n = ts.length;
  if (vs.length !== n) return undefined;
  const index = times ? times.of(ts, buckets) : indexTimes(ts, window, buckets);
  if (!index) return undefined;
  const { iLo, iS, iE, iHi } = index;

  if (iLo >= iHi) return EMPTY_SCAN();
  // Values outside the window proper but within the tolerance must be finite too (NaN and
  // +-Infinity give NaN on v - v); the inside ones are checked while measuring growth below.
  for (let i = iLo; i < iHi; i++) {
    if (i === iS + 1 && iE > iS) i = iE;
    if (i >= iHi) break;
    if (vs[i] - vs[i] !== 0) return undefined;
  }

  // The samples at which uptime first showed a new process: for each restart time in order, the
  // first inside sample at or after it, when later than the previous one (and not the first).
  let starts = 0;
  for (let r = 0, lastStart = iS; r < restartsSeenAt.length; r++) {
    const j = lowerBound(ts, restartsSeenAt[r], iS, iE);
    if (j > lastStart && j < iE) {
      if (starts === scratch.starts.length) scratch.starts = grown(scratch.starts);
      scratch.starts[starts++] = lastStart = j;
    }
  }
  const processStarts = scratch.starts;

  // Inside the window: growth between consecutive samples, chunk by chunk. Each chunk's growth is
  // kept aside and added to the caller's buckets only at the end, so that a series found holding
  // a non-finite value leaves them untouched. Scratch space is shared between scans (they never
  // overlap): the decision runs 10 scans per instance and allocates nothing per scan.
  const { ends, bucket: bucketOf } = index;
  if (ends.length > scratch.chunks.length) scratch.chunks = new Float64Array(ends.length);
  const chunks = scratch.chunks;
  const run = scratch.run;
  let increase = 0;
  let resets = 0;
  /** The last chunk that grew: the last rise is found in it afterwards, not tracked per sample. */
  let risingChunk = -1;
  let nextStart = 0;
  let resetAt = starts > 0 ? processStarts[0] : n + 1;
  let i = iS + 1;
  for (let k = 0; k < ends.length; k++) {
    const stop = ends[k];
    let chunk = 0;
    while (i < stop) {
      // A run of samples up to the next restart uptime showed (see runGrowth).
      const runEnd = resetAt < stop ? resetAt : stop;
      if (i < runEnd) {
        if (!runGrowth(vs, i, runEnd, run)) return undefined;
        chunk += run[0];
        resets += run[1];
        i = runEnd;
      }
      if (i === resetAt && i < stop) {
        // The sample uptime showed a new process at: all its value was counted after the previous sample.
        const v = vs[i];
        if (v - v !== 0) return undefined;
        resets++;
        nextStart++;
        resetAt = nextStart < starts ? processStarts[nextStart] : n + 1;
        if (v > 0) chunk += v;
        i++;
      }
    }
    if (chunk > 0) risingChunk = k;
    increase += chunk;
    chunks[k] = chunk;
  }
  if (buckets) for (let k = 0; k < ends.length; k++) if (chunks[k] > 0) buckets.counts[bucketOf[k]] += chunks[k];
  const lastRise = risingChunk < 0 ? -1 : lastRiseIn(vs, risingChunk === 0 ? iS + 1 : ends[risingChunk - 1], ends[risingChunk], processStarts, starts);
  // One object literal with every field, absent ones undefined: every scan has the same shape,
  // so the code reading scans stays monomorphic (fields added one by one made a new hidden class
  // per combination and deoptimized the hot loop's function again and again).
  const inside = iS < iE;
  return {
    presentFrom: ts[iLo],
    presentTo: ts[iHi - 1],
    longestGapMs: index.gap,
    longestGapEndsAt: index.gapEnd === index.gapEnd ? index.gapEnd : undefined,
    firstAt: inside ? ts[iS] : undefined,
    first: inside ? vs[iS] : undefined,
    lastAt: inside ? ts[iE - 1] : undefined,
    last: inside ? vs[iE - 1] : undefined,
    increase,
    lastRiseAt: lastRise >= 0 ? ts[lastRise] : undefined,
    resets,
    beforeAt: iS > iLo ? ts[iS - 1] : undefined,
    before: iS > iLo ? vs[iS - 1] : undefined,
  };
}

/** A series with no sample within the widened window, in the same shape as every other scan. */
const EMPTY_SCAN = (): SeriesScan => ({
  presentFrom: undefined,
  presentTo: undefined,
  longestGapMs: 0,
  longestGapEndsAt: undefined,
  firstAt: undefined,
  first: undefined,
  lastAt: undefined,
  last: undefined,
  increase: 0,
  lastRiseAt: undefined,
  resets: 0,
  beforeAt: undefined,
  before: undefined,
});

/** Working space for scans, reused from one to the next (a scan never runs inside another). */
const scratch: { run: Float64Array; chunks: Float64Array; starts: Int32Array } = {
  run: new Float64Array(2),
  chunks: new Float64Array(64),
  starts: new Int32Array(16),
};

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The hot loop, kept a small leaf over a typed array so that it compiles the same wherever it is
 * called from: growth over the samples [from, to) of one process's run, each compared with the one
 * before it. Every positive delta counts; after a drop (a reset) the new value counts. Writes the
 * growth into out[0] and the drops into out[1] (the growth summed in sample order, as a reader
 * would add it up); false when a value is not finite. The common case (flat or rising) costs one
 * subtraction and one addition: NaN and -Infinity land in the rare branch, and +Infinity makes the
 * sum non-finite, checked once at the end.
 */
function runGrowth(vs: Float64Array, from: number, to: number, out: Float64Array): boolean {
  let sum = 0;
  let drops = 0;
  let prev = vs[from - 1];
  for (let i = from; i < to; i++) {
    const v = vs[i];
    const d = v - prev;
    prev = v;
    if (d >= 0) sum += d;
    else {
      if (d !== d || v - v !== 0) return false;
      drops++;
      if (v > 0) sum += v;
    }
  }
  if (sum - sum !== 0 && !finite(vs, from, to)) return false;
  out[0] = sum;
  out[1] = drops;
  return true;
}

/** Every value in [from, to) finite (a chunk summing to Infinity may just have overflowed). */
function finite(vs: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (vs[i] - vs[i] !== 0) return false;
  return true;
}

/**
 * The last sample in [from, to) that grew, by the scan's own rule (a rise; after a drop or at a
 * new process, a positive value); -1 when none did. Read backwards from the end of the one chunk
 * known to have grown, so it costs a few samples instead of a branch on every sample.
 */
function lastRiseIn(vs: Float64Array, from: number, to: number, processStarts: Int32Array, starts: number): number {
  let p = starts - 1;
  for (let j = to - 1; j >= from; j--) {
    while (p >= 0 && processStarts[p] > j) p--;
    const v = vs[j];
    if (p >= 0 && processStarts[p] === j) {
      if (v > 0) return j;
      continue;
    }
    const d = v - vs[j - 1];
    if (d > 0 || (d < 0 && v > 0)) return j;
  }
  return -1;
}

/**
 * What a time column says against one window, whatever values ride on it: where the window's
 * edges fall, the longest gap, and where each timeline bucket's samples end. The series of one
 * scrape share their time column, so this is worked out once per column (see TimeIndexCache)
 * and the per-series pass reads only the values. Undefined when the times are not strictly
 * increasing (the binary searches rely on order).
 */
export interface TimeIndex {
  iLo: number;
  iS: number;
  iE: number;
  iHi: number;
  gap: number;
  gapEnd: number;
  /** Inside-window samples [iS + 1, iE) cut at bucket edges: chunk k ends (exclusive) at ends[k], adds to bucket[k]. */
  ends: readonly number[];
  bucket: readonly number[];
}

function indexTimes(ts: Float64Array, window: ScanWindow, buckets: Buckets | undefined): TimeIndex | undefined {
  const edges = columnEdges(ts, window);
  return edges && withChunks(ts, edges, buckets);
}

/** The edges and the chunks in one object of one shape (no spread: this runs per decision). */
function withChunks(ts: Float64Array, edges: ColumnEdges, buckets: Buckets | undefined): TimeIndex {
  const { ends, bucket } = chunksOf(ts, edges, buckets);
  return { iLo: edges.iLo, iS: edges.iS, iE: edges.iE, iHi: edges.iHi, gap: edges.gap, gapEnd: edges.gapEnd, ends, bucket };
}

type ColumnEdges = Omit<TimeIndex, 'ends' | 'bucket'>;

/** One pass over the times: their order, and the longest gap within the widened window. */
function columnEdges(ts: Float64Array, window: ScanWindow): ColumnEdges | undefined {
  const n = ts.length;
  const { start, end } = window;
  // Binary searches first (on unordered times they find nonsense, but the pass below then fails).
  const iLo = lowerBound(ts, start - window.edgeToleranceMs, 0, n);
  const iS = lowerBound(ts, start, iLo, n);
  const iE = upperBound(ts, end, iS, n);
  const iHi = upperBound(ts, end + window.edgeToleranceMs, iE, n);
  if (!increasing(ts, 1, Math.min(iLo + 1, n)) || !increasing(ts, Math.max(1, iHi), n)) return undefined;
  // The gaps: the edges first, then the inside, a later gap winning only when longer (the order
  // the single-pass scan used, kept so that ties name the same gap).
  let gap = 0;
  let gapEnd = Number.NaN;
  for (let i = iLo + 1; i < iHi; i++) {
    if (i === iS + 1 && iE > iS) i = iE;
    if (i >= iHi) break;
    const d = ts[i] - ts[i - 1];
    if (!(d > 0)) return undefined;
    if (d > gap) {
      gap = d;
      gapEnd = ts[i];
    }
  }
  for (let i = iS + 1; i < iE; i++) {
    const d = ts[i] - ts[i - 1];
    if (!(d > 0)) return undefined;
    if (d > gap) {
      gap = d;
      gapEnd = ts[i];
    }
  }
  return { iLo, iS, iE, iHi, gap, gapEnd };
}

/** Every time in [from, to) later than the one before it. */
function increasing(ts: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!(ts[i] > ts[i - 1])) return false;
  return true;
}

/** The inside samples cut at the timeline's bucket edges (one chunk when nothing is drawn). */
function chunksOf(ts: Float64Array, { iS, iE }: ColumnEdges, buckets: Buckets | undefined): Pick<TimeIndex, 'ends' | 'bucket'> {
  const ends: number[] = [];
  const bucketOf: number[] = [];
  if (!buckets) {
    if (iS + 1 < iE) {
      ends.push(iE);
      bucketOf.push(-1);
    }
  } else {
    const lastBucket = buckets.counts.length - 1;
    let i = iS + 1;
    while (i < iE) {
      const bucket = Math.min(lastBucket, Math.floor((ts[i] - buckets.start) / buckets.widthMs));
      const stop = bucket < lastBucket ? Math.max(i + 1, lowerBound(ts, buckets.start + (bucket + 1) * buckets.widthMs, i, iE)) : iE;
      ends.push(stop);
      bucketOf.push(bucket);
      i = stop;
    }
  }
  return { ends, bucket: bucketOf };
}

/**
 * Time indexes for one decision: keyed by the time column itself and the bucket geometry, so
 * the series sharing a scrape's times (and instances sharing a query's step) index it once.
 * Meant to live for one decision over unchanging input, never across calls.
 */
export class TimeIndexCache {
  // A decision sees one or two time columns and two timelines: a short list searched by
  // identity costs less than maps (and this is built once per decision, 5,000 times a run).
  private readonly columns: Array<{ ts: Float64Array; edges: ColumnEdges | null; indexes: Array<{ buckets: Buckets | undefined; index: TimeIndex }> }> = [];
  constructor(private readonly window: ScanWindow) {}
  of(ts: Float64Array, buckets: Buckets | undefined): TimeIndex | undefined {
    let column = this.columns.find((c) => c.ts === ts);
    if (!column) this.columns.push((column = { ts, edges: columnEdges(ts, this.window) ?? null, indexes: [] }));
    const { edges, indexes } = column;
    if (edges === null) return undefined;
    for (const known of indexes) if (known.buckets === buckets) return known.index;
    const index = withChunks(ts, edges, buckets);
    indexes.push({ buckets, index });
    return index;
  }
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
