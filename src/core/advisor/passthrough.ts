// judgePassthrough: did any sidecar send traffic outside the mesh (the passthrough cluster,
// `original-destination`) inside the window? The gate on `TransparentProxy.MeshDestinationsOnly`.
// Same rules as the strict decision: a missing series, a problem, or samples not covering the
// window is "unknown", never "none": setting the flag on a guess cuts callers off the internet.
// NOTE (proposals-pr): written here with the signature the advise-wiring branch announced; its
// version replaces this file at merge if it lands first.
import type { AdvisorThresholds, EvidenceWindow, Sample, ServiceRef, ServiceSamples } from './model.ts';

export interface OutsideMeshTraffic {
  service: ServiceRef;
  /** Connections through the passthrough cluster inside the window, restarts accounted for. */
  connections: number;
  lastSeenAt?: number;
}

export type PassthroughJudgement =
  | { kind: 'none' }
  | { kind: 'outside'; services: OutsideMeshTraffic[] }
  /** Why it cannot be told: a service or instance without data, or a problem the source reported. */
  | { kind: 'unknown'; reasons: string[] };

/** Reset-aware growth of a counter inside the window, and when it last rose. */
function growth(series: readonly Sample[], w: EvidenceWindow): { increase: number; lastRiseAt?: number } {
  const inside = series.filter((s) => s.t >= w.start && s.t <= w.end);
  let increase = 0;
  let lastRiseAt: number | undefined;
  for (let i = 1; i < inside.length; i++) {
    const prev = inside[i - 1]!.v;
    const cur = inside[i]!.v;
    // A drop is a new Envoy process: its whole value is new traffic (Prometheus' increase() does the same).
    const d = cur >= prev ? cur - prev : cur;
    if (d > 0) {
      increase += d;
      lastRiseAt = inside[i]!.t;
    }
  }
  return lastRiseAt === undefined ? { increase } : { increase, lastRiseAt };
}

/** Samples cover the window: first and last within two scrape intervals of its ends, no gap over maxGap. */
function coverageProblem(series: readonly Sample[], w: EvidenceWindow, scrapeMs: number, maxGapMs: number): string | undefined {
  const inside = series.filter((s) => s.t >= w.start && s.t <= w.end);
  if (inside.length === 0) return 'no sample inside the window';
  const tolerance = 2 * scrapeMs;
  if (inside[0]!.t - w.start > tolerance) return 'samples start after the window begins';
  if (w.end - inside[inside.length - 1]!.t > tolerance) return 'samples stop before the window ends';
  for (let i = 1; i < inside.length; i++) if (inside[i]!.t - inside[i - 1]!.t > maxGapMs) return 'a gap longer than the tolerated one';
  return undefined;
}

export function judgePassthrough(samples: readonly ServiceSamples[], window: EvidenceWindow, thresholds: AdvisorThresholds): PassthroughJudgement {
  const unknown: string[] = [];
  const outside: OutsideMeshTraffic[] = [];
  for (const s of samples) {
    const name = s.service.name;
    if (s.problems.length) unknown.push(`${name}: ${s.problems[0]}`);
    if (s.instances.length === 0) unknown.push(`${name}: no sidecar returned samples`);
    let connections = 0;
    let lastSeenAt: number | undefined;
    for (const i of s.instances) {
      const series = i.metrics.passthroughConnections;
      if (!series) {
        unknown.push(`${name}: instance ${i.instance} has no passthrough series`);
        continue;
      }
      const gap = coverageProblem(series, window, s.scrapeIntervalMs ?? thresholds.defaultScrapeIntervalMs, thresholds.maxGapMs);
      if (gap) unknown.push(`${name}: instance ${i.instance}: ${gap}`);
      const g = growth(series, window);
      connections += g.increase;
      if (g.lastRiseAt !== undefined) lastSeenAt = Math.max(lastSeenAt ?? 0, g.lastRiseAt);
    }
    if (connections > 0) outside.push(lastSeenAt === undefined ? { service: s.service, connections } : { service: s.service, connections, lastSeenAt });
  }
  // Traffic seen is a fact even when other data is missing; absence is only "none" with full data.
  if (outside.length) return { kind: 'outside', services: outside };
  if (unknown.length) return { kind: 'unknown', reasons: unknown };
  return { kind: 'none' };
}
