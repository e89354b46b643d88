// Property tests over generated sidecar histories (restarts, pods born and gone mid-window, scrape
// gaps, scale to zero, clock skew, byte-only traffic, shuffled and duplicated samples): the
// decision never says ready-for-strict when plaintext observably rose inside the window or when
// the data does not cover it. The oracles below work from the generated ground truth (traffic
// events and scrape times), not from the implementation's helpers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideStrict } from '../../../src/core/advisor/decide-strict.ts';
import { DEFAULT_THRESHOLDS, type InstanceSamples, type Sample, type ServiceSamples } from '../../../src/core/advisor/model.ts';
import { JUDGED, M, T0 } from './traces.ts';

const L = 4 * 60 * M; // window length
const S = T0;
const E = T0 + L;
const I = M; // scrape interval
const TOL = 2 * I;
const MAX_GAP = DEFAULT_THRESHOLDS.maxGapMs;
const THRESHOLDS = { ...DEFAULT_THRESHOLDS, windowMs: L };

interface PodHistory {
  name: string;
  birth: number;
  death: number;
  /** Process start times; the first is `birth`. */
  starts: number[];
  scrapes: number[];
  /** Plaintext events: a connection (1 connection, some bytes) or bytes on a long-lived connection. */
  plaintext: Array<{ at: number; kind: 'conn' | 'bytes' }>;
  mtls: number[];
  hasUptime: boolean;
}

const offset = fc.integer({ min: -90, max: 300 }).map((m) => S + m * M); // from before the window to after it
const genomeArb = fc.record({
  bornBefore: fc.boolean(),
  birth: fc.integer({ min: -60, max: 240 }),
  livesOn: fc.boolean(),
  death: fc.integer({ min: 0, max: 280 }),
  restarts: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 2 }),
  firstScrapeDelayS: fc.integer({ min: 0, max: 150 }),
  phaseS: fc.integer({ min: 0, max: 59 }),
  jitterSeed: fc.integer({ min: 0, max: 1000 }),
  gaps: fc.oneof(
    fc.constant<Array<{ at: number; minutes: number }>>([]),
    fc.array(fc.record({ at: fc.integer({ min: -30, max: 250 }), minutes: fc.integer({ min: 1, max: 25 }) }), { maxLength: 2 }),
  ),
  plaintext: fc.oneof(
    fc.constant<Array<{ at: number; kind: 'conn' | 'bytes' }>>([]),
    fc.array(fc.record({ at: offset, kind: fc.constantFrom('conn' as const, 'bytes' as const) }), { minLength: 1, maxLength: 3 }),
  ),
  /** Plaintext between a process's start and its first scrape: only its first value shows it. */
  plaintextBeforeFirstScrape: fc.boolean(),
  mtls: fc.oneof(fc.constant('steady' as const), fc.array(offset, { maxLength: 4 })),
  hasUptime: fc.boolean(),
});
type Genome = typeof genomeArb extends fc.Arbitrary<infer G> ? G : never;

function history(name: string, g: Genome): PodHistory {
  const birth = g.bornBefore ? S - 2 * 60 * M : S + g.birth * M;
  const death = g.livesOn ? E + 60 * M : Math.max(birth + M, S + g.death * M);
  const starts = [birth, ...g.restarts.map((r) => birth + Math.floor(((death - birth) * r) / 1000)).sort((a, b) => a - b)];
  const scrapes: number[] = [];
  for (let t = birth + g.firstScrapeDelayS * 1000 + g.phaseS * 1000, k = 0; t < death && t <= E + 30 * M; t += I, k++) {
    if (g.gaps.some((gap) => t >= S + gap.at * M && t < S + (gap.at + gap.minutes) * M)) continue;
    const jitter = (((k * 7919 + g.jitterSeed) % 7) - 3) * 1000; // clock skew: +-3 s around the grid
    if (t + jitter >= birth && t + jitter < death) scrapes.push(t + jitter);
  }
  const mtls = g.mtls === 'steady' ? Array.from({ length: 40 }, (_, i) => birth + ((death - birth) * (i + 1)) / 41) : g.mtls;
  const early = g.plaintextBeforeFirstScrape ? starts.map((s) => ({ at: s + 500, kind: 'conn' as const })) : [];
  return {
    name,
    birth,
    death,
    starts,
    scrapes,
    plaintext: [...g.plaintext, ...early].filter((e) => e.at >= birth && e.at < death),
    mtls: mtls.filter((e) => e >= birth && e < death),
    hasUptime: g.hasUptime,
  };
}

const processStartAt = (p: PodHistory, t: number) => p.starts.filter((s) => s <= t).at(-1)!;

/** What the sidecar's counters read at scrape time t: events of the running process up to t. */
function countersAt(p: PodHistory, t: number) {
  const started = processStartAt(p, t);
  const mine = <T extends { at: number }>(es: T[]) => es.filter((e) => e.at >= started && e.at <= t);
  const plain = mine(p.plaintext);
  const conns = plain.filter((e) => e.kind === 'conn').length;
  const bytesOnly = plain.length - conns;
  const handshakes = mine(p.mtls.map((at) => ({ at }))).length;
  return {
    permissiveConnections: conns,
    permissiveRxBytes: conns * 100 + bytesOnly * 4096,
    permissiveTxBytes: conns * 50,
    mtlsHandshakes: handshakes,
    mtlsRxBytes: handshakes * 200,
    uptime: Math.floor((t - started) / 1000),
  };
}

function toInstance(p: PodHistory, shuffleSeed: number, duplicateEvery: number): InstanceSamples {
  const metrics: InstanceSamples['metrics'] = {};
  for (const t of p.scrapes) {
    const c = countersAt(p, t);
    for (const [k, v] of Object.entries(c) as Array<[keyof typeof c, number]>) {
      if (k === 'uptime' && !p.hasUptime) continue;
      (metrics[k] ??= []).push({ t, v });
    }
  }
  for (const [k, samples] of Object.entries(metrics) as Array<[keyof typeof metrics, Sample[]]>) {
    const disordered = samples.flatMap((s, i) => (duplicateEvery > 0 && i % duplicateEvery === 0 ? [s, { ...s }] : [s]));
    if (shuffleSeed > 0) disordered.sort((a, b) => ((a.t * shuffleSeed) % 97) - ((b.t * shuffleSeed) % 97));
    metrics[k] = disordered;
  }
  return { instance: p.name, metrics };
}

/**
 * Oracle: an event at or after the window start was counted inside the window when a scrape of
 * the same process inside the window saw it, and either an earlier scrape of that process inside
 * the window did not (the counter rose between two inside samples), or the process itself started
 * inside the window (its first inside value is all new).
 */
function countedInside(p: PodHistory, at: number): boolean {
  if (at < S) return false;
  const started = processStartAt(p, at);
  const ends = p.starts.find((s) => s > started) ?? p.death;
  const seenBy = p.scrapes.filter((t) => t >= started && t < ends);
  const seenAfter = seenBy.some((t) => t >= at && t <= E);
  const seenBefore = seenBy.some((t) => t >= S && t < at);
  return seenAfter && (seenBefore || started >= S);
}

const plaintextRoseInside = (p: PodHistory): boolean => p.plaintext.some((e) => countedInside(p, e.at));

/**
 * Oracle for liveness: an event the decision can prove happened inside the window. Without an
 * uptime series, a process's first sample may hold counts from before the window, so only growth
 * after an earlier in-window sample of the same process counts (the decision is conservative there;
 * the safety oracle above stays the generous one).
 */
function provablyInside(p: PodHistory, at: number): boolean {
  if (!countedInside(p, at)) return false;
  if (p.hasUptime) return true;
  const started = processStartAt(p, at);
  return p.scrapes.some((t) => t >= started && t >= S && t < at);
}

/** Oracle: the samples leave part of the window unobserved. */
function coverageIncomplete(pods: PodHistory[]): boolean {
  const near = (from: number, to: number) => pods.some((p) => p.scrapes.some((t) => t >= from && t <= to));
  if (!near(S - TOL, S + TOL) || !near(E - TOL, E + TOL)) return true;
  const inRange = (ts: number[]) => ts.filter((t) => t >= S - TOL && t <= E + TOL).sort((a, b) => a - b);
  const gapOver = (ts: number[]) => ts.some((t, i) => i > 0 && t - ts[i - 1] > MAX_GAP);
  if (pods.some((p) => gapOver(inRange(p.scrapes)))) return true;
  return gapOver(inRange(pods.flatMap((p) => p.scrapes)));
}

/** Up to three pods; in "handover" traces the second is born around when the first dies (rollouts, scale to zero and back). */
const traceArb = fc
  .record({
    genomes: fc.array(genomeArb, { minLength: 1, maxLength: 3 }),
    handoverAfterMinutes: fc.option(fc.integer({ min: -5, max: 30 })),
    shuffleSeed: fc.integer({ min: 0, max: 50 }),
    duplicateEvery: fc.integer({ min: 0, max: 20 }),
  })
  .map(({ genomes, handoverAfterMinutes, shuffleSeed, duplicateEvery }) => {
    if (handoverAfterMinutes !== null && genomes.length >= 2) {
      genomes[0] = { ...genomes[0], bornBefore: true, livesOn: false };
      genomes[1] = { ...genomes[1], bornBefore: false, birth: genomes[0].death + handoverAfterMinutes };
    }
    return { pods: genomes.map((g, i) => history(`pod-${'abc'[i]}`, g)), shuffleSeed, duplicateEvery };
  });

const decide = (pods: PodHistory[], shuffleSeed: number, duplicateEvery: number) => {
  const samples: ServiceSamples = {
    service: JUDGED.service,
    instances: pods.filter((p) => p.scrapes.length > 0).map((p) => toInstance(p, shuffleSeed, duplicateEvery)),
    sources: ['generated'],
    problems: [],
    scrapeIntervalMs: I,
  };
  return decideStrict({ judged: JUDGED, samples, window: { start: S, end: E }, thresholds: THRESHOLDS });
};

// Generous timeouts: the machine running the suite may be shared.
describe('decideStrict over generated histories', { timeout: 120_000 }, () => {
  it('never ready-for-strict when plaintext rose inside the window; says still-receiving-plaintext then', () => {
    fc.assert(
      fc.property(traceArb, ({ pods, shuffleSeed, duplicateEvery }) => {
        const v = decide(pods, shuffleSeed, duplicateEvery);
        if (pods.some(plaintextRoseInside)) {
          expect(v.verdict).not.toBe('ready-for-strict');
          if (pods.every((p) => p.hasUptime)) {
            expect(v.verdict).toBe('still-receiving-plaintext');
            expect(v.evidence.permissive.lastSeenAt).toBeGreaterThanOrEqual(S);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never ready-for-strict when the data does not cover the window', () => {
    fc.assert(
      fc.property(traceArb, ({ pods, shuffleSeed, duplicateEvery }) => {
        if (coverageIncomplete(pods)) expect(decide(pods, shuffleSeed, duplicateEvery).verdict).not.toBe('ready-for-strict');
      }),
      { numRuns: 150 },
    );
  });

  it('ready-for-strict when no plaintext ever flowed, the data covers the window and mTLS was used in it (the rules do not refuse everything)', () => {
    fc.assert(
      fc.property(traceArb, ({ pods, shuffleSeed, duplicateEvery }) => {
        const quiet = pods.map((p) => ({ ...p, plaintext: [] }));
        const mtlsSeen = quiet.some((p) => p.mtls.some((at) => provablyInside(p, at)));
        fc.pre(!coverageIncomplete(quiet) && mtlsSeen);
        const v = decide(quiet, shuffleSeed, duplicateEvery);
        expect(v.reasons).toEqual([expect.stringMatching(/^no plaintext connections or bytes/)]);
        expect(v.verdict).toBe('ready-for-strict');
      }),
      { numRuns: 150 },
    );
  });

  it('the timeline adds up to the totals, restarts accounted for', () => {
    fc.assert(
      fc.property(traceArb, ({ pods, shuffleSeed, duplicateEvery }) => {
        const v = decide(pods, shuffleSeed, duplicateEvery);
        expect(v.evidence.timeline.length).toBeLessThanOrEqual(60);
        expect(v.evidence.timeline.reduce((n, b) => n + b.permissiveConnections, 0)).toBe(v.evidence.permissive.connections);
        expect(v.evidence.timeline.reduce((n, b) => n + b.mtlsConnections, 0)).toBe(v.evidence.mtls.handshakes);
      }),
      { numRuns: 100 },
    );
  });
});
