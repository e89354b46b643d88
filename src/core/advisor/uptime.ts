// uptime: Envoy's `server.uptime` gauge read as process lifetimes: when each process started, and
// at which samples a new one had appeared. consul-dataplane runs Envoy with --disable-hot-restart
// (consul-dataplane pkg/envoy/proxy.go), so a new process always starts its counters at 0.
import type { Sample, SampleColumns } from './model.ts';
import { inOrder, type OrderedSeries } from './series.ts';

/**
 * A process's start estimate (sample time minus uptime) wobbles by Envoy's stats flush interval
 * (5 s by default) and scrape jitter; a later estimate by more than this is a new process.
 */
const START_JITTER_MS = 30_000;

export interface ProcessTimes {
  /** Times of the samples that first showed a new process (sorted). */
  restartsSeenAt: number[];
  /** Start of the process running at `t`, from the uptime sample nearest to `t` within `withinMs`. */
  startedAt(t: number, withinMs: number): number | undefined;
}

const NONE: OrderedSeries = { t: new Float64Array(0), v: new Float64Array(0) };

export function processTimes(uptime: OrderedSeries | undefined): ProcessTimes {
  const { t: ts, v: vs } = uptime ?? NONE;
  return withStarts(ts, vs, restartsIn(ts, vs, false)!);
}

/**
 * The process lifetimes of a raw uptime series: columns in order are read in place, in the same
 * pass that checks their order; anything else through its ordered copy (series.ts inOrder).
 */
export function processTimesOf(raw: readonly Sample[] | SampleColumns): ProcessTimes {
  if (!Array.isArray(raw)) {
    const { t, v } = raw as SampleColumns;
    const restarts = t.length === v.length ? restartsIn(t, v, true) : undefined;
    if (restarts) return withStarts(t, v, restarts);
  }
  return processTimes(inOrder(raw));
}

/**
 * The samples that first showed a new process; undefined when `check` finds them out of order or
 * non-finite. A small leaf over typed arrays (the decision reads 10,000 uptime samples per
 * instance): every test that can fail shares one rarely taken branch, sorted out inside it.
 */
function restartsIn(ts: Float64Array, vs: Float64Array, check: boolean): number[] | undefined {
  const restartsSeenAt: number[] = [];
  const n = ts.length;
  if (n === 0) return restartsSeenAt;
  let prevT = ts[0];
  let prevUp = vs[0];
  if (check && (!(prevT > -Infinity) || prevUp - prevUp !== 0)) return undefined; // v - v is NaN for NaN and +-Infinity
  let prevStart = prevT - prevUp * 1000;
  for (let i = 1; i < n; i++) {
    const t = ts[i];
    const v = vs[i];
    const started = t - v * 1000;
    // One comparison chain for the common sample: in order, finite, same process.
    if (!(t > prevT) || !(v >= prevUp) || !(started <= prevStart + START_JITTER_MS)) {
      if (check && (!(t > prevT) || v - v !== 0)) return undefined;
      if (v < prevUp || started > prevStart + START_JITTER_MS) restartsSeenAt.push(t);
    }
    prevT = t;
    prevStart = started;
    prevUp = v;
  }
  return restartsSeenAt;
}

function withStarts(ts: Float64Array, vs: Float64Array, restartsSeenAt: number[]): ProcessTimes {
  return {
    restartsSeenAt,
    startedAt(t, withinMs) {
      if (ts.length === 0) return undefined;
      let lo = 0;
      let hi = ts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ts[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      let best = lo;
      if (lo > 0 && Math.abs(ts[lo - 1] - t) <= Math.abs(ts[lo] - t)) best = lo - 1;
      return Math.abs(ts[best] - t) <= withinMs ? ts[best] - vs[best] * 1000 : undefined;
    },
  };
}
