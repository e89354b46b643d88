// An in-memory TrafficSampleSource with realistic sidecar traces: one-minute samples of Envoy's
// counters over a window, as Prometheus range queries or the sidecars' own endpoints return them.
import type { EvidenceWindow, InstanceSamples, Sample, ServiceRef, ServiceSamples, TrafficMetric, TrafficSampleSource } from '../../src/core/advisor/model.ts';
import { serviceKey } from '../../src/core/advisor/model.ts';

export const MINUTE = 60_000;

/** A counter sampled every minute from `from` to `to`; `at(t)` gives its value. */
export function series(from: number, to: number, at: (t: number) => number): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t <= to; t += MINUTE) out.push({ t, v: at(t) });
  return out;
}

export interface Trace {
  /** Plaintext connections per minute inside the window (0 = plaintext stopped before it). */
  plaintextPerMinute: number;
  /** mTLS handshakes per minute. */
  handshakesPerMinute: number;
}

/** One sidecar over the whole window: 40 old plaintext connections before it, then the trace. */
export function sidecar(instance: string, w: EvidenceWindow, trace: Trace): InstanceSamples {
  const minutes = (t: number) => Math.floor((t - w.start) / MINUTE);
  const m: Partial<Record<TrafficMetric, Sample[]>> = {
    permissiveConnections: series(w.start, w.end, (t) => 40 + trace.plaintextPerMinute * minutes(t)),
    permissiveRxBytes: series(w.start, w.end, (t) => 9_000 + 300 * trace.plaintextPerMinute * minutes(t)),
    permissiveTxBytes: series(w.start, w.end, (t) => 12_000 + 500 * trace.plaintextPerMinute * minutes(t)),
    mtlsHandshakes: series(w.start, w.end, (t) => 1_000 + trace.handshakesPerMinute * minutes(t)),
    uptime: series(w.start, w.end, (t) => 86_400 * 30 + (t - w.start) / 1000),
  };
  return { instance, metrics: m };
}

export interface TrafficDouble extends TrafficSampleSource {
  calls: { services: ServiceRef[]; window: EvidenceWindow }[];
}

/** Answers from `traces` (by service name); services it has no trace for get no instances. */
export function trafficDouble(traces: Record<string, Trace[]>): TrafficDouble {
  return trafficBy((service) => traces[service.name] ?? []);
}

/** Answers each service (name, namespace, partition) with one sidecar per trace `tracesOf` gives it. */
export function trafficBy(tracesOf: (service: ServiceRef) => Trace[]): TrafficDouble {
  const calls: TrafficDouble['calls'] = [];
  return {
    description: 'in-memory test sidecars',
    calls,
    async samples(services, window) {
      calls.push({ services: [...services], window });
      return services.map((service): ServiceSamples => ({
        service,
        instances: tracesOf(service).map((t, i) => sidecar(`${service.name}-${i}`, window, t)),
        sources: [`test://${serviceKey(service)}`],
        problems: [],
        scrapeIntervalMs: MINUTE,
      }));
    },
  };
}

/** The services a double was asked about, as `partition/namespace/name`. */
export const askedOf = (double: TrafficDouble): string[] => double.calls.flatMap((c) => c.services.map(serviceKey));
