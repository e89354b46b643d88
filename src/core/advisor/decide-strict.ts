// PLACEHOLDER (branch advise-app): a simple, conservative stand-in for the real decision, which
// another branch builds at this path with the same signature and replaces this file at merge.
// It exists only so the advise use case and command can be exercised end to end.
import type { AdvisorThresholds, CounterGrowth, EvidenceWindow, InstanceEvidence, JudgedService, Sample, ServiceSamples, ServiceVerdict, Verdict } from './model.ts';

export interface DecideInput {
  judged: JudgedService;
  samples: ServiceSamples | undefined;
  window: EvidenceWindow;
  thresholds: AdvisorThresholds;
}

function growth(series: Sample[] | undefined, w: EvidenceWindow): CounterGrowth | undefined {
  if (!series) return undefined;
  const inside = series.filter((s) => s.t >= w.start && s.t <= w.end);
  const g: CounterGrowth = { increase: 0 };
  if (inside.length === 0) return g;
  g.first = inside[0]!.v;
  g.last = inside[inside.length - 1]!.v;
  for (let i = 1; i < inside.length; i++) {
    const prev = inside[i - 1]!.v;
    const cur = inside[i]!;
    const rise = cur.v >= prev ? cur.v - prev : cur.v; // a drop is a restart: the new process counts from 0
    if (rise > 0) {
      g.increase += rise;
      g.lastRiseAt = cur.t;
    }
  }
  return g;
}

function instanceEvidence(inst: ServiceSamples['instances'][number], w: EvidenceWindow): InstanceEvidence {
  const times = [...new Set(Object.values(inst.metrics).flatMap((s) => (s ?? []).map((x) => x.t)))].filter((t) => t >= w.start && t <= w.end).sort((a, b) => a - b);
  let longestGapMs = 0;
  for (let i = 1; i < times.length; i++) longestGapMs = Math.max(longestGapMs, times[i]! - times[i - 1]!);
  const conn = inst.metrics.permissiveConnections?.filter((s) => s.t >= w.start && s.t <= w.end) ?? [];
  let restarts = 0;
  for (let i = 1; i < conn.length; i++) if (conn[i]!.v < conn[i - 1]!.v) restarts++;
  const e: InstanceEvidence = {
    instance: inst.instance,
    restarts,
    longestGapMs,
    permissive: { connections: growth(inst.metrics.permissiveConnections, w), rxBytes: growth(inst.metrics.permissiveRxBytes, w), txBytes: growth(inst.metrics.permissiveTxBytes, w) },
    mtls: { handshakes: growth(inst.metrics.mtlsHandshakes, w), httpRequests: growth(inst.metrics.mtlsHttpRequests, w), rxBytes: growth(inst.metrics.mtlsRxBytes, w) },
  };
  if (times.length) {
    e.firstSampleAt = times[0];
    e.lastSampleAt = times[times.length - 1];
  }
  return e;
}

const sum = (xs: InstanceEvidence[], f: (e: InstanceEvidence) => CounterGrowth | undefined) => xs.reduce((n, e) => n + (f(e)?.increase ?? 0), 0);

export function decideStrict(input: DecideInput): ServiceVerdict {
  const { judged, samples, window: w, thresholds } = input;
  const instances = (samples?.instances ?? []).map((i) => instanceEvidence(i, w));
  const lastSeen = Math.max(-Infinity, ...instances.flatMap((e) => [e.permissive.connections?.lastRiseAt, e.permissive.rxBytes?.lastRiseAt].filter((t): t is number => t !== undefined)));
  const evidence: ServiceVerdict['evidence'] = {
    window: w,
    instances,
    permissive: { connections: sum(instances, (e) => e.permissive.connections), rxBytes: sum(instances, (e) => e.permissive.rxBytes), txBytes: sum(instances, (e) => e.permissive.txBytes), ...(lastSeen > -Infinity ? { lastSeenAt: lastSeen } : {}) },
    mtls: { handshakes: sum(instances, (e) => e.mtls.handshakes), httpRequests: sum(instances, (e) => e.mtls.httpRequests), rxBytes: sum(instances, (e) => e.mtls.rxBytes) },
    restarts: instances.reduce((n, e) => n + e.restarts, 0),
    sources: samples?.sources ?? [],
    problems: samples?.problems ?? [],
    timeline: [],
    blindSpot: 'traffic in the last scrape interval before an Envoy process stopped is not seen',
  };
  const verdict = (v: Verdict, ...reasons: string[]): ServiceVerdict => ({ service: judged.service, verdict: v, reasons, evidence, origin: judged.origin });
  if (!samples || samples.instances.length === 0) return verdict('insufficient-data', 'no samples for any instance of this service');
  if (samples.problems.length) return verdict('insufficient-data', ...samples.problems);
  if (samples.instances.some((i) => !i.metrics.permissiveConnections)) return verdict('insufficient-data', 'no permissive-listener series: the permissive chain is not visible');
  if (evidence.permissive.connections + evidence.permissive.rxBytes + evidence.permissive.txBytes > 0) return verdict('still-receiving-plaintext', `${evidence.permissive.connections} plaintext connections inside the window`);
  const tolerance = 2 * (samples.scrapeIntervalMs ?? thresholds.defaultScrapeIntervalMs);
  const first = Math.min(...instances.map((e) => e.firstSampleAt ?? Infinity));
  const last = Math.max(...instances.map((e) => e.lastSampleAt ?? -Infinity));
  if (first > w.start + tolerance || last < w.end - tolerance) return verdict('insufficient-data', 'the samples do not cover the whole window');
  if (instances.some((e) => e.longestGapMs > thresholds.maxGapMs)) return verdict('insufficient-data', 'a gap between samples is longer than the limit');
  if (!judged.expectsNoInboundTraffic && evidence.mtls.handshakes + evidence.mtls.httpRequests + evidence.mtls.rxBytes === 0) return verdict('no-mtls-traffic-yet', 'no mTLS traffic inside the window');
  if (judged.blockedBecause) return verdict('blocked', judged.blockedBecause);
  return verdict('ready-for-strict', 'no plaintext inside the window, and mTLS traffic flows');
}
