// Did any sidecar send traffic outside the mesh (the passthrough cluster, `original-destination`)
// inside the window? Decides whether the mesh lockdown may also set
// TransparentProxy.MeshDestinationsOnly = true. Pure; conservative like the strict decision: a
// missing series, a gap or a source problem is "unknown", never "no traffic".
import type { AdvisorThresholds, EvidenceWindow, Sample, ServiceRef, ServiceSamples } from './model.ts';

export interface OutsideMeshUse {
  service: ServiceRef;
  /** Connections through the passthrough cluster inside the window (restarts accounted for). */
  connections: number;
  /**
   * `connections` is an upper bound: a series first seen inside the window counts its whole first
   * value, and that Envoy's uptime does not show it started inside the window, so part of that
   * count may be from before it.
   */
  atMost?: true;
  lastSeenAt?: number;
}

export interface PassthroughJudgement {
  /** True only when every service's sidecars show no passthrough connection over the whole window. */
  meshDestinationsOnly: boolean;
  /** Services whose sidecars reached destinations outside the mesh inside the window. */
  outsideMesh: OutsideMeshUse[];
  /** Why the data cannot show the absence of passthrough traffic, in the user's words. */
  unknown: string[];
}

interface InstanceSpan {
  from: number;
  to: number;
}

export function judgePassthrough(samples: readonly ServiceSamples[], window: EvidenceWindow, thresholds: AdvisorThresholds): PassthroughJudgement {
  const outsideMesh: OutsideMeshUse[] = [];
  const unknown: string[] = [];
  if (samples.length === 0) unknown.push('no sidecar samples at all: passthrough traffic cannot be ruled out');
  for (const s of samples) {
    const name = s.service.name;
    const tolerance = 2 * (s.scrapeIntervalMs ?? thresholds.defaultScrapeIntervalMs);
    for (const p of s.problems) unknown.push(`${name}: ${p}`);
    const spans: InstanceSpan[] = [];
    let connections = 0;
    let atMost = false;
    let lastSeenAt: number | undefined;
    for (const inst of s.instances) {
      const series = (inst.metrics.passthroughConnections ?? []).filter((x) => x.t >= window.start && x.t <= window.end).sort((a, b) => a.t - b.t);
      if (series.length === 0) {
        unknown.push(`${name}: instance ${inst.instance} has no passthrough (original-destination) series inside the window`);
        continue;
      }
      const bornInside = series[0].t > window.start + tolerance;
      const g = growth(series, bornInside);
      connections += g.increase;
      if (bornInside && series[0].v > 0 && !startedInside(inst.metrics.uptime, series[0].t, window.start, tolerance)) atMost = true;
      if (g.lastRiseAt !== undefined) lastSeenAt = Math.max(lastSeenAt ?? -Infinity, g.lastRiseAt);
      const gap = longestGap(series);
      if (gap > thresholds.maxGapMs) unknown.push(`${name}: instance ${inst.instance} has a ${Math.round(gap / 1000)} s gap in its passthrough samples`);
      spans.push({ from: series[0].t, to: series[series.length - 1].t });
    }
    if (connections > 0)
      outsideMesh.push({ service: s.service, connections, ...(atMost ? { atMost: true as const } : {}), ...(lastSeenAt !== undefined ? { lastSeenAt } : {}) });
    unknown.push(...coverage(name, spans, window, tolerance, thresholds.maxGapMs));
  }
  return { meshDestinationsOnly: outsideMesh.length === 0 && unknown.length === 0, outsideMesh, unknown };
}

/**
 * Reset-aware growth (a drop is a new Envoy process counting from 0). A series first seen after
 * the window start may have counted its first value inside the window: it counts, conservatively.
 */
function growth(series: readonly Sample[], bornInside: boolean): { increase: number; lastRiseAt?: number } {
  let increase = bornInside ? series[0].v : 0;
  let lastRiseAt = bornInside && series[0].v > 0 ? series[0].t : undefined;
  for (let i = 1; i < series.length; i++) {
    const prev = series[i - 1].v;
    const cur = series[i];
    const rise = cur.v >= prev ? cur.v - prev : cur.v;
    if (rise > 0) {
      increase += rise;
      lastRiseAt = cur.t;
    }
  }
  return lastRiseAt !== undefined ? { increase, lastRiseAt } : { increase };
}

/**
 * Whether this Envoy started at or after the window start, by its `server.uptime` read with the
 * series' first sample (within `tolerance`): then everything its counters hold happened inside the window.
 */
function startedInside(uptime: readonly Sample[] | undefined, at: number, windowStart: number, tolerance: number): boolean {
  let best: Sample | undefined;
  for (const u of uptime ?? []) if (Math.abs(u.t - at) <= tolerance && (!best || Math.abs(u.t - at) < Math.abs(best.t - at))) best = u;
  return best !== undefined && best.t - best.v * 1000 >= windowStart;
}

function longestGap(series: readonly Sample[]): number {
  let gap = 0;
  for (let i = 1; i < series.length; i++) gap = Math.max(gap, series[i].t - series[i - 1].t);
  return gap;
}

/** The union of the instances' spans must reach both edges (within tolerance) without a hole over maxGap. */
function coverage(name: string, spans: readonly InstanceSpan[], window: EvidenceWindow, tolerance: number, maxGapMs: number): string[] {
  if (spans.length === 0) return [`${name}: no instance reported passthrough samples inside the window`];
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const out: string[] = [];
  if (sorted[0].from > window.start + tolerance)
    out.push(`${name}: passthrough samples start ${Math.round((sorted[0].from - window.start) / 1000)} s after the window start`);
  let reach = sorted[0].to;
  for (const s of sorted.slice(1)) {
    if (s.from - reach > maxGapMs) out.push(`${name}: no instance reported passthrough samples for ${Math.round((s.from - reach) / 1000)} s`);
    reach = Math.max(reach, s.to);
  }
  if (reach < window.end - tolerance) out.push(`${name}: passthrough samples end ${Math.round((window.end - reach) / 1000)} s before the window end`);
  return out;
}
