// instance-evidence: one sidecar instance's raw samples turned into its evidence (reset-aware
// growth per counter, restarts, edges, gaps) and into the doubts that forbid trusting it.
import type { CounterGrowth, InstanceEvidence, InstanceSamples, TrafficMetric } from './model.ts';
import { addToBucket, scanSeriesOf, type Buckets, type ScanWindow, type SeriesScan, type TimeIndexCache } from './series.ts';
import { processTimes, processTimesOf, type ProcessTimes } from './uptime.ts';
import { count, duration, instant } from './human.ts';

export const PERMISSIVE_METRICS = ['permissiveConnections', 'permissiveRxBytes', 'permissiveTxBytes'] as const;
const MTLS_METRICS = ['mtlsHandshakes', 'mtlsHttpRequests', 'mtlsRxBytes'] as const;

/** The metrics in the user's words. */
export const METRIC_WORDS: Record<TrafficMetric, string> = {
  permissiveConnections: 'plaintext connections',
  permissiveRxBytes: 'plaintext bytes received',
  permissiveTxBytes: 'plaintext bytes sent',
  mtlsHandshakes: 'mTLS handshakes',
  mtlsHttpRequests: 'mTLS HTTP requests',
  mtlsRxBytes: 'mTLS bytes received',
  uptime: 'Envoy uptime',
  passthroughConnections: 'passthrough connections',
};

export interface InstanceContext {
  window: ScanWindow;
  /** The scrape interval: how far an uptime sample may be from a counter sample it explains. */
  scrapeIntervalMs: number;
  permissiveTimeline: Buckets;
  mtlsTimeline: Buckets;
  /** Which mTLS counter the timeline draws: handshakes, or HTTP requests without handshake series. */
  mtlsTimelineMetric: 'mtlsHandshakes' | 'mtlsHttpRequests';
  /** Time columns indexed once for this decision (series of one scrape share theirs). */
  times?: TimeIndexCache;
}

export interface InstanceJudgement {
  evidence: InstanceEvidence;
  /** Some permissive series exists for this instance. */
  hasPermissiveSeries: boolean;
  /** When all permissive counters were known (presence within the edge tolerance), for coverage. */
  presentFrom?: number;
  presentTo?: number;
  longestGapEndsAt?: number;
  /** Why this instance's data cannot prove the absence of plaintext, in the user's words. */
  doubts: string[];
}

export function judgeInstance(instance: InstanceSamples, ctx: InstanceContext): InstanceJudgement {
  const seriesOf = (metric: TrafficMetric) => instance.columns?.[metric] ?? instance.metrics[metric];
  const uptime = seriesOf('uptime');
  const processes = uptime ? processTimesOf(uptime) : processTimes(undefined);
  const doubts: string[] = [];
  const evidence: InstanceEvidence = {
    instance: instance.instance,
    restarts: 0,
    longestGapMs: 0,
    permissive: {},
    mtls: {},
  };
  let resets = 0;
  let presentFrom = -Infinity;
  let presentTo = Infinity;
  let longestGapEndsAt: number | undefined;
  let permissiveSeries = 0;
  let lateFirst: { at: number; why: 'no-uptime' | 'seen-late' } | undefined;
  const lateValues: string[] = [];

  const measure = (metric: TrafficMetric, plaintext: boolean): { growth: CounterGrowth; scan: SeriesScan } | undefined => {
    const raw = seriesOf(metric);
    if (!raw) return undefined;
    const buckets = metric === 'permissiveConnections' ? ctx.permissiveTimeline : metric === ctx.mtlsTimelineMetric ? ctx.mtlsTimeline : undefined;
    const scan = scanSeriesOf(raw, ctx.window, processes.restartsSeenAt, buckets, ctx.times);
    resets = Math.max(resets, scan.resets);
    const growth: CounterGrowth = { increase: scan.increase };
    if (scan.first !== undefined) growth.first = scan.first;
    if (scan.last !== undefined) growth.last = scan.last;
    if (scan.lastRiseAt !== undefined) growth.lastRiseAt = scan.lastRiseAt;
    const firstValue = judgeFirstValue(scan, processes, ctx);
    if (firstValue === 'inside' && scan.first! > 0) {
      growth.increase += scan.first!;
      growth.lastRiseAt = Math.max(growth.lastRiseAt ?? -Infinity, scan.firstAt!);
      addToBucket(buckets, scan.firstAt!, scan.first!);
    } else if ((firstValue === 'no-uptime' || firstValue === 'seen-late') && plaintext && scan.first! > 0) {
      lateFirst = { at: scan.firstAt!, why: firstValue };
      lateValues.push(`${METRIC_WORDS[metric]} already at ${count(scan.first!)}`);
    }
    return { growth, scan };
  };

  for (const metric of PERMISSIVE_METRICS) {
    const m = measure(metric, true);
    if (!m) continue;
    permissiveSeries++;
    const key = metric === 'permissiveConnections' ? 'connections' : metric === 'permissiveRxBytes' ? 'rxBytes' : 'txBytes';
    evidence.permissive[key] = m.growth;
    presentFrom = Math.max(presentFrom, m.scan.presentFrom ?? Infinity);
    presentTo = Math.min(presentTo, m.scan.presentTo ?? -Infinity);
    if (m.scan.longestGapMs > evidence.longestGapMs) {
      evidence.longestGapMs = m.scan.longestGapMs;
      longestGapEndsAt = m.scan.longestGapEndsAt;
    }
  }
  for (const metric of MTLS_METRICS) {
    const m = measure(metric, false);
    if (!m) continue;
    const key = metric === 'mtlsHandshakes' ? 'handshakes' : metric === 'mtlsHttpRequests' ? 'httpRequests' : 'rxBytes';
    evidence.mtls[key] = m.growth;
  }

  if (lateFirst) {
    const why =
      lateFirst.why === 'no-uptime'
        ? "without Envoy's uptime it cannot be told whether they came inside the window"
        : 'its Envoy was already running before the window, so some of them may have come inside it';
    doubts.push(
      `instance ${instance.instance} first appeared ${duration(lateFirst.at - ctx.window.start)} into the window (${instant(lateFirst.at)}) ` +
        `with ${lateValues.join(', ')}; ${why}`,
    );
  }
  if (permissiveSeries > 0 && permissiveSeries < PERMISSIVE_METRICS.length) {
    const missing = PERMISSIVE_METRICS.filter((m) => !seriesOf(m)).map((m) => METRIC_WORDS[m]);
    doubts.push(`instance ${instance.instance} has no series for ${missing.join(' or ')}, so plaintext on it cannot be ruled out`);
  }
  const plaintextCounted = [evidence.permissive.connections, evidence.permissive.rxBytes, evidence.permissive.txBytes].some(
    (g) => (g?.first ?? 0) > 0 || (g?.last ?? 0) > 0,
  );
  if (!uptime && plaintextCounted && doubts.length === 0) {
    // A restart whose new process counted up to the old value before its first scrape leaves the
    // counter flat; only uptime shows the new process, and all its counts are then inside the window.
    doubts.push(
      `instance ${instance.instance} has no Envoy uptime series, so a restart that left its non-zero plaintext counters looking flat cannot be ruled out`,
    );
  }
  if (permissiveSeries === 0) {
    doubts.push(`instance ${instance.instance} has no permissive listener series, so plaintext on it cannot be ruled out`);
  }
  evidence.restarts = uptime ? processes.restartsSeenAt.filter((t) => t > ctx.window.start && t <= ctx.window.end).length : resets;
  const known = Number.isFinite(presentFrom) && Number.isFinite(presentTo) && presentFrom <= presentTo;
  if (known) {
    evidence.firstSampleAt = presentFrom;
    evidence.lastSampleAt = presentTo;
  }
  return {
    evidence,
    hasPermissiveSeries: permissiveSeries > 0,
    ...(known ? { presentFrom, presentTo } : {}),
    ...(longestGapEndsAt !== undefined ? { longestGapEndsAt } : {}),
    doubts,
  };
}

/**
 * Was the first sample's value in the window counted inside it? Yes when its process started
 * inside the window (uptime says so) or after the last sample before the window (the counter
 * dropped); no when that process was already running at the window start and sampled within the
 * edge tolerance (or just before the window). A process first sampled later than that mixes
 * traffic from before and inside the window; and without uptime or a sample before the window,
 * when the process started cannot be told at all, however early the first sample.
 */
function judgeFirstValue(scan: SeriesScan, processes: ProcessTimes, ctx: InstanceContext): FirstValue {
  if (scan.firstAt === undefined || scan.first === undefined) return 'none';
  if (scan.before !== undefined && scan.first < scan.before) return 'inside';
  const started = processes.startedAt(scan.firstAt, ctx.scrapeIntervalMs);
  if (started !== undefined && started >= ctx.window.start) return 'inside';
  if (scan.before !== undefined) return 'before';
  const atStart = scan.firstAt - ctx.window.start <= ctx.window.edgeToleranceMs;
  if (started === undefined) return atStart ? 'no-uptime-at-start' : 'no-uptime';
  return atStart ? 'before' : 'seen-late';
}

/** `no-uptime-at-start`: see the instance-wide doubt about flat counters without uptime. */
type FirstValue = 'inside' | 'before' | 'no-uptime' | 'no-uptime-at-start' | 'seen-late' | 'none';
