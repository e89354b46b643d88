// Builders for the advisor tests: sidecar instances sampled once a minute over a window, with
// counters given as functions of time so each test states only what it is about.
import type { InstanceSamples, JudgedService, Sample, ServiceSamples, TrafficMetric } from '../../../src/core/advisor/model.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/advisor/model.ts';

export const M = 60_000;
export const H = 60 * M;
export const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);
/** One day keeps the tables fast; the rules do not depend on the window's length. */
export const WINDOW = { start: T0, end: T0 + 24 * H };
export const THRESHOLDS = { ...DEFAULT_THRESHOLDS, windowMs: 24 * H };

export const JUDGED: JudgedService = {
  service: { name: 'orders', namespace: 'default', partition: 'default' },
  origin: { kind: 'service-defaults', file: 'config-entries/orders.hcl' },
};

type Counter = (t: number, started: number) => number;

export interface PodSpec {
  /** First and last sample times (default: the whole window). */
  from?: number;
  to?: number;
  step?: number;
  /** Envoy process start times (the last one before t runs at t); default one hour before `from`. */
  started?: number[];
  /** false: no uptime series. */
  uptime?: boolean;
  /** Counters as seen by the running process (given t and the process's start). Defaults: flat 5 for plaintext, rising handshakes. */
  conn?: (t: number, started: number) => number;
  rx?: (t: number, started: number) => number;
  tx?: (t: number, started: number) => number;
  handshakes?: ((t: number, started: number) => number) | null;
  http?: ((t: number, started: number) => number) | null;
  mtlsRx?: ((t: number, started: number) => number) | null;
  /** Sample times to leave out (scrape gaps). */
  skip?: (t: number) => boolean;
  omit?: TrafficMetric[];
}

export const flat =
  (n: number) =>
  (_t: number, started: number): number =>
    started < T0 ? n : 0;
/** Rises by one every minute of the process's life. */
export const perMinute = (t: number, started: number): number => Math.floor((t - started) / M);
/** Counter that is `before` until `at`, then `after` (same process). */
export const step =
  (at: number, before: number, after: number) =>
  (t: number): number =>
    t < at ? before : after;

export function pod(instance: string, spec: PodSpec = {}): InstanceSamples {
  const from = spec.from ?? WINDOW.start;
  const to = spec.to ?? WINDOW.end;
  const every = spec.step ?? M;
  const starts = spec.started ?? [from - H];
  const counters: Array<[TrafficMetric, Counter | null | undefined]> = [
    ['permissiveConnections', spec.conn ?? flat(5)],
    ['permissiveRxBytes', spec.rx ?? flat(500)],
    ['permissiveTxBytes', spec.tx ?? flat(900)],
    ['mtlsHandshakes', spec.handshakes === undefined ? perMinute : spec.handshakes],
    ['mtlsHttpRequests', spec.http ?? null],
    ['mtlsRxBytes', spec.mtlsRx ?? null],
  ];
  const metrics: InstanceSamples['metrics'] = {};
  for (const [metric, fn] of counters) {
    if (fn === null || spec.omit?.includes(metric)) continue;
    const samples: Sample[] = [];
    for (let t = from; t <= to; t += every) {
      if (spec.skip?.(t)) continue;
      const started = processAt(starts, t);
      samples.push({ t, v: fn!(t, started) });
    }
    metrics[metric] = samples;
  }
  if (spec.uptime !== false && !spec.omit?.includes('uptime')) {
    const samples: Sample[] = [];
    for (let t = from; t <= to; t += every) if (!spec.skip?.(t)) samples.push({ t, v: Math.floor((t - processAt(starts, t)) / 1000) });
    metrics.uptime = samples;
  }
  return { instance, metrics };
}

function processAt(starts: number[], t: number): number {
  let s = starts[0];
  for (const x of starts) if (x <= t) s = x;
  return s;
}

export function service(instances: InstanceSamples[], extra: Partial<ServiceSamples> = {}): ServiceSamples {
  return {
    service: JUDGED.service,
    instances,
    sources: ['envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener"}[1d]'],
    problems: [],
    scrapeIntervalMs: M,
    ...extra,
  };
}
