// The Envoy source's sample history as kept in Consul KV: one compact value per sidecar instance
// (delta-encoded times and counters, short metric keys), pruned to the window and bounded in bytes
// well under Consul's 512 KiB value limit (agent/structs: kv MaxKVSize default 512 KiB).
import { TRAFFIC_METRICS, type Sample, type TrafficMetric } from '../../core/advisor/model.ts';

/** One scrape of one sidecar: whatever metrics it had (absent = not in the answer). */
export interface Scrape {
  t: number;
  values: Partial<Record<TrafficMetric, number>>;
}

const CODE: Record<TrafficMetric, string> = {
  permissiveConnections: 'pc',
  permissiveRxBytes: 'pr',
  permissiveTxBytes: 'pt',
  mtlsHandshakes: 'mh',
  mtlsHttpRequests: 'mq',
  mtlsRxBytes: 'mr',
  uptime: 'up',
  passthroughConnections: 'po',
};

interface Encoded {
  v: 1;
  /** First time, then deltas (ms). */
  t: number[];
  /** Per metric: first present value, then deltas from the previous present value; null = absent. */
  m: Partial<Record<string, Array<number | null>>>;
}

export function encodeHistory(scrapes: readonly Scrape[]): string {
  const enc: Encoded = { v: 1, t: [], m: {} };
  let prevT = 0;
  for (const s of scrapes) {
    enc.t.push(s.t - prevT);
    prevT = s.t;
  }
  for (const metric of TRAFFIC_METRICS) {
    if (!scrapes.some((s) => s.values[metric] !== undefined)) continue;
    let prev = 0;
    enc.m[CODE[metric]] = scrapes.map((s) => {
      const v = s.values[metric];
      if (v === undefined) return null;
      const d = v - prev;
      prev = v;
      return d;
    });
  }
  return JSON.stringify(enc);
}

/** Undefined when the value is not a history this code wrote (then it is started afresh). */
export function decodeHistory(text: string): Scrape[] | undefined {
  let enc: Encoded;
  try {
    enc = JSON.parse(text) as Encoded;
  } catch {
    return undefined;
  }
  if (enc?.v !== 1 || !Array.isArray(enc.t) || typeof enc.m !== 'object' || enc.m === null) return undefined;
  const scrapes: Scrape[] = [];
  let t = 0;
  for (const d of enc.t) {
    if (typeof d !== 'number') return undefined;
    t += d;
    scrapes.push({ t, values: {} });
  }
  for (const metric of TRAFFIC_METRICS) {
    const list = enc.m[CODE[metric]];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length !== scrapes.length) return undefined;
    let v = 0;
    list.forEach((d, i) => {
      if (d === null || typeof d !== 'number') return;
      v += d;
      scrapes[i].values[metric] = v;
    });
  }
  return scrapes;
}

/**
 * Appends, sorts, drops scrapes before `keepFrom`, and drops the oldest until the encoding fits
 * `maxBytes` (the window then starts later than asked: the decision sees the missing coverage).
 */
export function boundedHistory(old: readonly Scrape[], added: readonly Scrape[], keepFrom: number, maxBytes: number): { scrapes: Scrape[]; text: string } {
  const byTime = new Map<number, Scrape>();
  for (const s of [...old, ...added]) if (s.t >= keepFrom) byTime.set(s.t, s);
  let scrapes = [...byTime.values()].sort((a, b) => a.t - b.t);
  let text = encodeHistory(scrapes);
  while (Buffer.byteLength(text) > maxBytes && scrapes.length > 0) {
    scrapes = scrapes.slice(Math.max(1, Math.floor(scrapes.length / 10)));
    text = encodeHistory(scrapes);
  }
  return { scrapes, text };
}

/** Per-metric sample lists, in time order, within [start, end]. */
export function toMetrics(scrapes: readonly Scrape[], start: number, end: number): Partial<Record<TrafficMetric, Sample[]>> {
  const out: Partial<Record<TrafficMetric, Sample[]>> = {};
  for (const s of scrapes) {
    if (s.t < start || s.t > end) continue;
    for (const [metric, v] of Object.entries(s.values) as [TrafficMetric, number][]) {
      (out[metric] ??= []).push({ t: s.t, v });
    }
  }
  return out;
}
