// decide-strict: the strict-mode decision for one judged service, a pure function of its raw
// samples, the window and the thresholds. Missing, partial or doubtful data is never evidence:
// a wrong "go strict" is an outage for every caller still sending plaintext.
import type { AdvisorThresholds, EvidenceWindow, JudgedService, PermissiveTrafficEvidence, ServiceSamples, ServiceVerdict, Verdict } from './model.ts';
import { coverageGaps, type Presence } from './coverage.ts';
import { judgeInstance, type InstanceJudgement } from './instance-evidence.ts';
import { TimeIndexCache, type Buckets } from './series.ts';
import { bytes, count, countOf, duration, instant } from './human.ts';
import { expectNoInboundTrafficItem } from './service-scope.ts';

export interface DecideInput {
  judged: JudgedService;
  samples: ServiceSamples | undefined;
  window: EvidenceWindow;
  thresholds: AdvisorThresholds;
}

const TIMELINE_BUCKETS = 60;
export const NO_PERMISSIVE_SERIES = 'no permissive listener series: not in transparent-proxy mode, not scraped, or already strict in Consul';

export function decideStrict(input: DecideInput): ServiceVerdict {
  const { judged, samples, window, thresholds } = input;
  const scrapeIntervalMs = samples?.scrapeIntervalMs ?? thresholds.defaultScrapeIntervalMs;
  const edgeToleranceMs = 2 * scrapeIntervalMs;
  const span = window.end - window.start;
  const bucketCount = Math.max(1, Math.min(TIMELINE_BUCKETS, Math.floor(span)));
  const widthMs = Math.max(1, span) / bucketCount;
  const permissiveTimeline: Buckets = { start: window.start, widthMs, counts: new Float64Array(bucketCount) };
  const mtlsTimeline: Buckets = { start: window.start, widthMs, counts: new Float64Array(bucketCount) };
  const instances = samples?.instances ?? [];
  const mtlsTimelineMetric = instances.some((i) => i.columns?.mtlsHandshakes ?? i.metrics.mtlsHandshakes) ? 'mtlsHandshakes' : 'mtlsHttpRequests';
  const scanWindow = { start: window.start, end: window.end, edgeToleranceMs };
  const times = new TimeIndexCache(scanWindow);
  const judgements: InstanceJudgement[] = instances.map((i) =>
    judgeInstance(i, { window: scanWindow, scrapeIntervalMs, permissiveTimeline, mtlsTimeline, mtlsTimelineMetric, times }),
  );

  const evidence = totals(judgements, window, samples, permissiveTimeline, mtlsTimeline, scrapeIntervalMs);

  const plaintext = plaintextReasons(judgements, evidence);
  const insufficient = insufficientReasons(judgements, samples, window, thresholds, edgeToleranceMs);
  const mtlsUsed = evidence.mtls.handshakes + evidence.mtls.httpRequests + evidence.mtls.rxBytes > 0;
  const noMtls =
    judged.expectsNoInboundTraffic || mtlsUsed || instances.length === 0
      ? []
      : [
          `no mTLS use inside the window: no TLS handshakes, HTTP requests or mTLS bytes rose on any instance, so going strict would prove nothing ` +
            `(if it is not meant to receive any, add ${expectNoInboundTrafficItem(judged.service)} to advisor.expectNoInboundTraffic to skip this rule)`,
        ];
  const blocked = judged.blockedBecause ? [`blocked: ${judged.blockedBecause} (the traffic evidence alone would allow strict)`] : [];

  // Precedence: plaintext still flowing is the most useful thing to know, then missing data, then
  // the lack of mTLS use, then what blocks a proposal.
  const verdict: Verdict = plaintext.length
    ? 'still-receiving-plaintext'
    : insufficient.length
      ? 'insufficient-data'
      : noMtls.length
        ? 'no-mtls-traffic-yet'
        : blocked.length
          ? 'blocked'
          : 'ready-for-strict';
  const reasons = [...plaintext, ...insufficient, ...noMtls, ...blocked];
  if (verdict === 'ready-for-strict' || verdict === 'blocked') reasons.push(readySummary(evidence, window, judged));
  return {
    service: judged.service,
    verdict,
    reasons,
    evidence,
    origin: judged.origin,
    ...(judged.blockedBecause ? { blockedBecause: judged.blockedBecause } : {}),
  };
}

function totals(
  judgements: readonly InstanceJudgement[],
  window: EvidenceWindow,
  samples: ServiceSamples | undefined,
  permissiveTimeline: Buckets,
  mtlsTimeline: Buckets,
  scrapeIntervalMs: number,
): PermissiveTrafficEvidence {
  const permissive: PermissiveTrafficEvidence['permissive'] = { connections: 0, rxBytes: 0, txBytes: 0 };
  const mtls = { handshakes: 0, httpRequests: 0, rxBytes: 0 };
  let restarts = 0;
  for (const { evidence: e } of judgements) {
    permissive.connections += e.permissive.connections?.increase ?? 0;
    permissive.rxBytes += e.permissive.rxBytes?.increase ?? 0;
    permissive.txBytes += e.permissive.txBytes?.increase ?? 0;
    for (const g of [e.permissive.connections, e.permissive.rxBytes, e.permissive.txBytes]) {
      if (g && g.increase > 0 && g.lastRiseAt !== undefined) permissive.lastSeenAt = Math.max(permissive.lastSeenAt ?? -Infinity, g.lastRiseAt);
    }
    mtls.handshakes += e.mtls.handshakes?.increase ?? 0;
    mtls.httpRequests += e.mtls.httpRequests?.increase ?? 0;
    mtls.rxBytes += e.mtls.rxBytes?.increase ?? 0;
    restarts += e.restarts;
  }
  const timeline = Array.from(permissiveTimeline.counts, (n, i) => ({
    start: Math.round(window.start + i * permissiveTimeline.widthMs),
    permissiveConnections: n,
    mtlsConnections: mtlsTimeline.counts[i],
  }));
  return {
    window: { start: window.start, end: window.end },
    instances: judgements.map((j) => j.evidence),
    permissive,
    mtls,
    restarts,
    sources: [...(samples?.sources ?? [])],
    problems: [...(samples?.problems ?? [])],
    ...(samples?.datacenters ? { datacenters: samples.datacenters.map((d) => ({ ...d })) } : {}),
    timeline,
    blindSpot:
      `traffic in the last scrape interval (${duration(scrapeIntervalMs)}) before an Envoy process stopped is never seen, its counters die with it ` +
      `(${countOf(restarts, 'restart')} in this window); so is traffic between the window start and an already running instance's first sample ` +
      `(at most ${duration(2 * scrapeIntervalMs)})`,
  };
}

function plaintextReasons(judgements: readonly InstanceJudgement[], evidence: PermissiveTrafficEvidence): string[] {
  const rising = judgements
    .map((j) => j.evidence)
    .filter((e) => (e.permissive.connections?.increase ?? 0) + (e.permissive.rxBytes?.increase ?? 0) + (e.permissive.txBytes?.increase ?? 0) > 0);
  if (rising.length === 0) return [];
  const { connections, rxBytes, txBytes, lastSeenAt } = evidence.permissive;
  const summary =
    `still receiving plaintext: ${countOf(connections, 'connection')}, ${bytes(rxBytes)} received and ${bytes(txBytes)} sent ` +
    `on ${count(rising.length)} of ${countOf(judgements.length, 'instance')} inside the window; last seen ${instant(lastSeenAt ?? Number.NaN)}`;
  const lastRise = (e: (typeof rising)[number]) =>
    Math.max(e.permissive.connections?.lastRiseAt ?? -Infinity, e.permissive.rxBytes?.lastRiseAt ?? -Infinity, e.permissive.txBytes?.lastRiseAt ?? -Infinity);
  const perInstance = [...rising]
    .sort((a, b) => lastRise(b) - lastRise(a))
    .map(
      (e) =>
        `instance ${e.instance}: ${countOf(e.permissive.connections?.increase ?? 0, 'plaintext connection')}, ` +
        `${bytes(e.permissive.rxBytes?.increase ?? 0)} received, ${bytes(e.permissive.txBytes?.increase ?? 0)} sent; last seen ${instant(lastRise(e))}`,
    );
  return [summary, ...perInstance];
}

function insufficientReasons(
  judgements: readonly InstanceJudgement[],
  samples: ServiceSamples | undefined,
  window: EvidenceWindow,
  thresholds: AdvisorThresholds,
  edgeToleranceMs: number,
): string[] {
  if (!(window.end > window.start)) return [`the window is empty (${instant(window.start)} to ${instant(window.end)})`];
  if (!samples) return ['the stats source returned nothing for this service (unknown, not zero)'];
  const reasons = samples.problems.map((p) => `the stats source reported a problem: ${p}`);
  if (samples.instances.length === 0)
    return [...reasons, 'the stats source found no instance of this service (unknown, not zero: scaled to zero, not scraped, or wrong labels)'];
  if (!judgements.some((j) => j.hasPermissiveSeries)) return [...reasons, NO_PERMISSIVE_SERIES];
  const presences: Presence[] = [];
  for (const j of judgements) {
    if (j.presentFrom === undefined || j.presentTo === undefined) continue;
    presences.push({
      instance: j.evidence.instance,
      from: j.presentFrom,
      to: j.presentTo,
      longestGapMs: j.evidence.longestGapMs,
      ...(j.longestGapEndsAt !== undefined ? { longestGapEndsAt: j.longestGapEndsAt } : {}),
    });
  }
  reasons.push(
    ...coverageGaps(presences, {
      start: window.start,
      end: window.end,
      edgeToleranceMs,
      maxGapMs: thresholds.maxGapMs,
      requireOneInstanceSpanning: thresholds.requireOneInstanceSpanning ?? false,
    }),
  );
  for (const j of judgements) reasons.push(...j.doubts);
  return reasons;
}

function readySummary(evidence: PermissiveTrafficEvidence, window: EvidenceWindow, judged: JudgedService): string {
  const { handshakes, httpRequests, rxBytes } = evidence.mtls;
  const mtls =
    judged.expectsNoInboundTraffic && handshakes + httpRequests + rxBytes === 0
      ? 'no mTLS use either, as expected for a service marked as not expecting inbound traffic'
      : `mTLS in use: ${countOf(handshakes, 'TLS handshake')}, ${countOf(httpRequests, 'HTTP request')}, ${bytes(rxBytes)} received`;
  return (
    `no plaintext connections or bytes on ${countOf(evidence.instances.length, 'instance')} over ${duration(window.end - window.start)} ` +
    `(${instant(window.start)} to ${instant(window.end)}, ${countOf(evidence.restarts, 'restart')}); ${mtls}`
  );
}
