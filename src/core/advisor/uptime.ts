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

/** The samples that first showed a new process; undefined when `check` finds them out of order or non-finite. */
function restartsIn(ts: Float64Array, vs: Float64Array, check: boolean): number[] | undefined {
  const restartsSeenAt: number[] = [];
  let prevStart = Number.NaN;
  let prevUp = Number.NaN;
  let prevT = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const v = vs[i];
    if (check && (!(t > prevT) || v - v !== 0)) return undefined; // v - v is NaN for NaN and +-Infinity
    prevT = t;
    const started = t - v * 1000;
    if (prevUp === prevUp && (v < prevUp || started > prevStart + START_JITTER_MS)) restartsSeenAt.push(t);
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
