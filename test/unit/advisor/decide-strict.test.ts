// The strict-mode decision, rule by rule: each verdict, the precedence between them, restarts,
// series born inside the window, coverage, clock skew, and the evidence a reviewer reads.
import { describe, expect, it } from 'vitest';
import { decideStrict, NO_PERMISSIVE_SERIES } from '../../../src/core/advisor/decide-strict.ts';
import type { InstanceSamples, ServiceSamples } from '../../../src/core/advisor/model.ts';
import { flat, H, JUDGED, M, perMinute, pod, service, step, T0, THRESHOLDS, WINDOW } from './traces.ts';

const decide = (samples: ServiceSamples | undefined, judged = JUDGED, thresholds = THRESHOLDS) => decideStrict({ judged, samples, window: WINDOW, thresholds });

describe('ready-for-strict', () => {
  it('flat plaintext counters on every instance for the whole window, with mTLS handshakes rising', () => {
    const v = decide(service([pod('orders-a'), pod('orders-b')]));
    expect(v.verdict).toBe('ready-for-strict');
    expect(v.reasons[0]).toBe(
      'no plaintext connections or bytes on 2 instances over 1 day (2026-11-23 00:00:00 UTC to 2026-11-24 00:00:00 UTC, 0 restarts); mTLS in use: 2,880 TLS handshakes, 0 HTTP requests, 0 bytes received',
    );
    expect(v.service).toEqual(JUDGED.service);
    expect(v.origin).toEqual(JUDGED.origin);
  });

  it('fills every evidence field: instances with both ends, totals, sources, timeline, blind spot', () => {
    const v = decide(service([pod('orders-a'), pod('orders-b', { handshakes: null, http: perMinute })]));
    const [a] = v.evidence.instances;
    expect(a).toEqual({
      instance: 'orders-a',
      firstSampleAt: T0,
      lastSampleAt: T0 + 24 * H,
      restarts: 0,
      longestGapMs: M,
      permissive: {
        connections: { first: 5, last: 5, increase: 0 },
        rxBytes: { first: 500, last: 500, increase: 0 },
        txBytes: { first: 900, last: 900, increase: 0 },
      },
      mtls: { handshakes: { first: 60, last: 1500, increase: 1440, lastRiseAt: T0 + 24 * H } },
    });
    expect(v.evidence.permissive).toEqual({ connections: 0, rxBytes: 0, txBytes: 0 });
    expect(v.evidence.mtls).toEqual({ handshakes: 1440, httpRequests: 1440, rxBytes: 0 });
    expect(v.evidence.window).toEqual(WINDOW);
    expect(v.evidence.sources).toEqual(['envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener"}[1d]']);
    expect(v.evidence.timeline).toHaveLength(60);
    expect(v.evidence.timeline[1].start - v.evidence.timeline[0].start).toBe(24 * M);
    expect(v.evidence.timeline.reduce((n, b) => n + b.mtlsConnections, 0)).toBe(1440); // handshakes series exist: requests not drawn
    expect(v.evidence.blindSpot).toMatch(/last scrape interval \(1 min\) before an Envoy process stopped/);
  });

  it('mTLS use shown by HTTP requests only, or by mTLS bytes only, is enough', () => {
    expect(decide(service([pod('a', { handshakes: null, http: perMinute })])).verdict).toBe('ready-for-strict');
    expect(decide(service([pod('a', { handshakes: null, mtlsRx: perMinute })])).verdict).toBe('ready-for-strict');
  });
});

describe('still-receiving-plaintext', () => {
  it('new plaintext connections on one instance: says which, how many and when last seen', () => {
    const v = decide(service([pod('orders-a'), pod('orders-b', { conn: step(T0 + 3 * H + 7 * M, 5, 17) })]));
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.reasons[0]).toBe(
      'still receiving plaintext: 12 connections, 0 bytes received and 0 bytes sent on 1 of 2 instances inside the window; last seen 2026-11-23 03:07:00 UTC',
    );
    expect(v.reasons[1]).toBe('instance orders-b: 12 plaintext connections, 0 bytes received, 0 bytes sent; last seen 2026-11-23 03:07:00 UTC');
    expect(v.evidence.permissive).toEqual({ connections: 12, rxBytes: 0, txBytes: 0, lastSeenAt: T0 + 3 * H + 7 * M });
    expect(v.evidence.timeline[7].permissiveConnections).toBe(12); // 03:07 falls in the 8th 24-minute bucket
  });

  it('bytes only: a long-lived plaintext connection opened before the window', () => {
    const v = decide(service([pod('orders-a', { rx: (t) => 500 + Math.max(0, Math.floor((t - T0 - 20 * H) / M)) * 2048 })]));
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.reasons[0]).toContain('0 connections, 480 KiB received');
    expect(v.evidence.permissive.lastSeenAt).toBe(WINDOW.end);
  });

  it('beats every other verdict, and the other reasons follow the deciding one', () => {
    const v = decide(service([pod('a', { conn: step(T0 + H, 5, 6), handshakes: null })], { problems: ['Prometheus warning: sample limit reached'] }), {
      ...JUDGED,
      blockedBecause: 'the entry belongs to consul-k8s',
    });
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.reasons.slice(2)).toEqual([
      'the stats source reported a problem: Prometheus warning: sample limit reached',
      expect.stringMatching(/^no mTLS use inside the window/),
      'blocked: the entry belongs to consul-k8s (the traffic evidence alone would allow strict)',
    ]);
  });
});

describe('restarts', () => {
  it('a restart alone is not a refusal: counters back at 0 and flat', () => {
    const v = decide(service([pod('a', { started: [T0 - H, T0 + 10 * H] })]));
    expect(v.verdict).toBe('ready-for-strict');
    expect(v.evidence.instances[0].restarts).toBe(1);
    expect(v.evidence.restarts).toBe(1);
  });

  it('what the new process counted after the reset is plaintext inside the window', () => {
    const v = decide(service([pod('a', { started: [T0 - H, T0 + 10 * H], conn: (t, s) => (s < T0 ? 5 : t >= T0 + 10 * H + 5 * M ? 3 : 0) })]));
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.evidence.permissive.connections).toBe(3);
  });

  it('a restart seen only by uptime (the new process counted past the old value before its first scrape) counts the whole new value', () => {
    // Old process: 5. New process started 10 s before its first scrape and already counted 7.
    const restart = T0 + 10 * H - 10_000;
    const v = decide(service([pod('a', { started: [T0 - H, restart], conn: (_t, s) => (s < T0 ? 5 : 7) })]));
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.evidence.permissive.connections).toBe(7);
    expect(v.evidence.instances[0].restarts).toBe(1);
  });
});

describe('series born inside the window', () => {
  const handover = (conn: (t: number, s: number) => number, uptime = true): InstanceSamples[] => [
    pod('old', { to: T0 + 12 * H }),
    pod('new', { from: T0 + 12 * H - 5 * M, started: [T0 + 12 * H - 6 * M], conn, uptime }),
  ];

  it('a pod born inside the window with a non-zero counter at its first sample: plaintext inside the window', () => {
    const v = decide(service(handover(() => 2)));
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.reasons[1]).toBe('instance new: 2 plaintext connections, 0 bytes received, 0 bytes sent; last seen 2026-11-23 11:55:00 UTC');
  });

  it('without uptime it cannot be told when that counter was counted: not ready', () => {
    const v = decide(service(handover(() => 2, false)));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons[0]).toBe(
      "instance new first appeared 11 h 55 min into the window (2026-11-23 11:55:00 UTC) with plaintext connections already at 2; without Envoy's uptime it cannot be told whether they came inside the window",
    );
  });

  it('a pod running since before the window but first scraped late mixes both: not ready', () => {
    const v = decide(service([pod('old'), pod('late', { from: T0 + 6 * H, started: [T0 - 3 * H], conn: () => 4 })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons[0]).toMatch(/^instance late first appeared 6 h into the window .* its Envoy was already running before the window/);
  });

  it('rollout handover with zero counters on the new pods is ready (one instance need not span the window)', () => {
    expect(decide(service(handover(() => 0))).verdict).toBe('ready-for-strict');
  });

  it('requireOneInstanceSpanning refuses the same handover', () => {
    const v = decide(service(handover(() => 0)), JUDGED, { ...THRESHOLDS, requireOneInstanceSpanning: true });
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual(['no single instance reported for the whole window']);
  });
});

describe('insufficient-data: coverage', () => {
  it('data starting later than two scrape intervals after the window start', () => {
    const v = decide(service([pod('a', { from: T0 + 3 * M, started: [T0 - H] })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual([
      'the data starts at 2026-11-23 00:03:00 UTC, 3 min after the window start (2026-11-23 00:00:00 UTC)',
      'instance a first appeared 3 min into the window (2026-11-23 00:03:00 UTC) with plaintext connections already at 5, plaintext bytes received already at 500, plaintext bytes sent already at 900; its Envoy was already running before the window, so some of them may have come inside it',
    ]);
  });

  it('within two scrape intervals of either edge is covered', () => {
    expect(decide(service([pod('a', { from: T0 + 2 * M, to: WINDOW.end - 2 * M })])).verdict).toBe('ready-for-strict');
    expect(decide(service([pod('a', { from: T0 + 2 * M, to: WINDOW.end - 2 * M })], { scrapeIntervalMs: 30_000 })).verdict).toBe('insufficient-data');
  });

  it('data ending early (scaled to zero)', () => {
    const v = decide(service([pod('a', { to: T0 + 20 * H }), pod('b', { to: T0 + 20 * H })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual(['the data ends at 2026-11-23 20:00:00 UTC, 4 h before the window end (2026-11-24 00:00:00 UTC)']);
  });

  it('a gap longer than the limit on any instance, even when another instance covers it', () => {
    const v = decide(service([pod('a'), pod('b', { skip: (t) => t > T0 + 5 * H && t < T0 + 5 * H + 11 * M })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual([
      'instance b has a 11 min gap in its samples (from 2026-11-23 05:00:00 UTC to 2026-11-23 05:11:00 UTC), longer than the 10 min limit',
    ]);
    expect(v.evidence.instances[1].longestGapMs).toBe(11 * M);
  });

  it('a gap within the limit is fine', () => {
    expect(decide(service([pod('a', { skip: (t) => t > T0 + 5 * H && t < T0 + 5 * H + 10 * M })])).verdict).toBe('ready-for-strict');
  });

  it('a moment when no instance reported, between two pods', () => {
    const v = decide(service([pod('old', { to: T0 + 6 * H }), pod('new', { from: T0 + 7 * H, started: [T0 + 7 * H - M] })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual(['no instance reported for 1 h (from 2026-11-23 06:00:00 UTC to 2026-11-23 07:00:00 UTC), longer than the 10 min limit']);
  });

  it('an instance missing the plaintext byte series is unknown, not zero', () => {
    const v = decide(service([pod('a', { omit: ['permissiveRxBytes', 'permissiveTxBytes'] })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual(['instance a has no series for plaintext bytes received or plaintext bytes sent, so plaintext on it cannot be ruled out']);
  });
});

describe('insufficient-data: unknown is never zero', () => {
  it('no samples at all, no instances, or no permissive series', () => {
    expect(decide(undefined).reasons).toEqual(['the stats source returned nothing for this service (unknown, not zero)']);
    expect(decide(service([])).verdict).toBe('insufficient-data');
    const strictAlready = decide(service([pod('a', { omit: ['permissiveConnections', 'permissiveRxBytes', 'permissiveTxBytes'] })]));
    expect(strictAlready.verdict).toBe('insufficient-data');
    expect(strictAlready.reasons).toEqual([NO_PERMISSIVE_SERIES]);
    expect(NO_PERMISSIVE_SERIES).toBe('no permissive listener series: not in transparent-proxy mode, not scraped, or already strict in Consul');
  });

  it('any problem reported by the source, quoted, even when the samples look perfect', () => {
    const v = decide(service([pod('a')], { problems: ['sidecar 10.0.0.7:20200 could not be scraped: ECONNREFUSED'] }));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual(['the stats source reported a problem: sidecar 10.0.0.7:20200 could not be scraped: ECONNREFUSED']);
    expect(v.evidence.problems).toEqual(['sidecar 10.0.0.7:20200 could not be scraped: ECONNREFUSED']);
  });

  it('beats no-mtls-traffic-yet and blocked', () => {
    const v = decide(service([pod('a', { to: T0 + H, handshakes: null })]), { ...JUDGED, blockedBecause: 'x' });
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.map((r) => r.slice(0, 20))).toEqual(['the data ends at 202', 'no mTLS use inside t', 'blocked: x (the traf']);
  });
});

describe('no-mtls-traffic-yet and blocked', () => {
  it('plaintext flat but no handshakes, requests or mTLS bytes rose', () => {
    const v = decide(service([pod('a', { handshakes: flat(40) })]));
    expect(v.verdict).toBe('no-mtls-traffic-yet');
    expect(v.reasons[0]).toMatch(/^no mTLS use inside the window: no TLS handshakes, HTTP requests or mTLS bytes rose on any instance/);
  });

  it('skipped for a service marked as not expecting inbound traffic', () => {
    const v = decide(service([pod('a', { handshakes: flat(40) })]), { ...JUDGED, expectsNoInboundTraffic: true });
    expect(v.verdict).toBe('ready-for-strict');
    expect(v.reasons[0]).toMatch(/no mTLS use either, as expected/);
  });

  it('blocked when the evidence would allow strict, saying why', () => {
    const v = decide(service([pod('a')]), {
      ...JUDGED,
      blockedBecause: 'the mode is inherited from proxy-defaults global, which not-ready services rely on too',
    });
    expect(v.verdict).toBe('blocked');
    expect(v.reasons[0]).toBe(
      'blocked: the mode is inherited from proxy-defaults global, which not-ready services rely on too (the traffic evidence alone would allow strict)',
    );
    expect(v.reasons[1]).toMatch(/^no plaintext connections or bytes/);
  });

  it('blocked yields to no-mtls-traffic-yet', () => {
    expect(decide(service([pod('a', { handshakes: flat(40) })]), { ...JUDGED, blockedBecause: 'x' }).verdict).toBe('no-mtls-traffic-yet');
  });
});

describe('clock skew, disorder and duplicates', () => {
  it('growth just before the window start or just after its end is ignored; those samples still cover the edges', () => {
    const conn = (t: number) => (t < T0 ? 0 : t > WINDOW.end ? 9 : 5);
    const v = decide(service([pod('a', { from: T0 - 2 * M, to: WINDOW.end + M, conn })]));
    expect(v.verdict).toBe('ready-for-strict');
  });

  it('samples out of order give the same verdict and evidence as sorted ones', () => {
    const sorted = pod('a', { conn: step(T0 + 5 * H, 5, 8) });
    const shuffled: InstanceSamples = { instance: 'a', metrics: Object.fromEntries(Object.entries(sorted.metrics).map(([k, s]) => [k, [...s].reverse()])) };
    expect(decide(service([shuffled]))).toEqual(decide(service([sorted])));
  });

  it('duplicated timestamps with differing values make no phantom reset or growth', () => {
    const a = pod('a');
    const conn = a.metrics.permissiveConnections!;
    a.metrics.permissiveConnections = conn.flatMap((s, i) => (i % 100 === 50 ? [s, { t: s.t, v: 0 }, s] : [s]));
    const v = decide(service([a]));
    expect(v.verdict).toBe('ready-for-strict');
    expect(v.evidence.permissive.connections).toBe(0);
  });

  it('NaN samples (staleness markers) are not measurements', () => {
    const a = pod('a');
    a.metrics.permissiveConnections![100] = { t: a.metrics.permissiveConnections![100].t, v: Number.NaN };
    expect(decide(service([a])).verdict).toBe('ready-for-strict');
  });
});

describe('without Envoy uptime', () => {
  it('non-zero plaintext counters could hide a restart (the new process counted up to the old value): not ready', () => {
    const v = decide(service([pod('a', { uptime: false })]));
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons).toEqual([
      'instance a has no Envoy uptime series, so a restart that left its non-zero plaintext counters looking flat cannot be ruled out',
    ]);
  });

  it('counters at zero the whole window prove nothing was counted, restart or not', () => {
    expect(decide(service([pod('a', { uptime: false, conn: () => 0, rx: () => 0, tx: () => 0 })])).verdict).toBe('ready-for-strict');
  });
});

describe('the columnar form', () => {
  const toColumns = (i: InstanceSamples, reorder: (n: number) => number[] = (n) => [...Array(n).keys()]): InstanceSamples => ({
    instance: i.instance,
    metrics: {},
    columns: Object.fromEntries(
      Object.entries(i.metrics).map(([k, s]) => {
        const order = reorder(s.length);
        return [k, { t: Float64Array.from(order, (j) => s[j].t), v: Float64Array.from(order, (j) => s[j].v) }];
      }),
    ),
  });
  const cases = [pod('a', { conn: step(T0 + 5 * H, 5, 8) }), pod('b', { started: [T0 - H, T0 + 10 * H] })];

  it('gives the same verdict and evidence as sample objects', () => {
    expect(decide(service(cases.map((c) => toColumns(c))))).toEqual(decide(service(cases)));
  });

  it('in any order, with duplicates, gives the same verdict and evidence', () => {
    const scrambled = (n: number) => [...[...Array(n).keys()].reverse(), 0, 7, 7];
    expect(decide(service(cases.map((c) => toColumns(c, scrambled))))).toEqual(decide(service(cases)));
  });
});
