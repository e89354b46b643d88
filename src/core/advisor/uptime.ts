// uptime: Envoy's `server.uptime` gauge read as process lifetimes: when each process started, and
// at which samples a new one had appeared. consul-dataplane runs Envoy with --disable-hot-restart
// (consul-dataplane pkg/envoy/proxy.go), so a new process always starts its counters at 0.
import type { Sample } from './model.ts';

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

export function processTimes(uptime: readonly Sample[] | undefined): ProcessTimes {
  const samples = uptime ?? [];
  const restartsSeenAt: number[] = [];
  let prevStart = Number.NaN;
  let prevUp = Number.NaN;
  for (let i = 0; i < samples.length; i++) {
    const { t, v } = samples[i];
    const started = t - v * 1000;
    if (prevUp === prevUp && (v < prevUp || started > prevStart + START_JITTER_MS)) restartsSeenAt.push(t);
    prevStart = started;
    prevUp = v;
  }
  return {
    restartsSeenAt,
    startedAt(t, withinMs) {
      if (samples.length === 0) return undefined;
      let lo = 0;
      let hi = samples.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (samples[mid].t < t) lo = mid + 1;
        else hi = mid;
      }
      let best = lo;
      if (lo > 0 && Math.abs(samples[lo - 1].t - t) <= Math.abs(samples[lo].t - t)) best = lo - 1;
      const s = samples[best];
      return Math.abs(s.t - t) <= withinMs ? s.t - s.v * 1000 : undefined;
    },
  };
}
