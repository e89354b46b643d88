// Whatever bytes a scrape holds, the parsers return samples and issues and the snapshots return
// data; none of them throws. Seeds are the real and synthetic sample files, mutated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvoyStatsJson } from '../../src/stats/envoy-json.ts';
import { parseEnvoyStatsText } from '../../src/stats/envoy-text.ts';
import { snapshotFromEnvoyStats, snapshotFromPrometheus, type SidecarTrafficSnapshot } from '../../src/stats/permissive-counters.ts';
import { parsePrometheusText } from '../../src/stats/prometheus-text.ts';
import { envoyFixture } from './fixtures.ts';

const promSeeds = [
  envoyFixture('web-http-permissive.prom.txt'),
  // The real file is 360 kB; its Envoy TCP/listener part keeps mutation runs fast.
  envoyFixture('consul-dataplane-merged-metrics.prom.txt').split('\n').slice(860, 1060).join('\n'),
  'm{a="x\\"y",b="\\\\",c="\\n"} NaN 1700000000000\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\n',
];
const textSeeds = [envoyFixture('static-server-permissive.stats.txt'), 'a.b: "readout"\nh: No recorded values\nh2: B1(0,1)\n'];
const jsonSeeds = [envoyFixture('static-server-permissive.stats.json')];

/** Insert, delete or replace a few characters: the damage truncated or hand-edited files really have. */
function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc
    .record({
      seed: fc.constantFrom(...seeds),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          del: fc.nat({ max: 6 }),
          insert: fc.oneof(fc.string({ maxLength: 4, unit: 'binary' }), fc.constantFrom('"', '\\', '{', '}', ',', '=', ': ', '\n', ' ', 'NaN', '+Inf', '#')),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    })
    .map(({ seed, edits }) => {
      let text = seed;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.del);
      }
      return text;
    });
}

const anyText = fc.oneof(
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.string({ maxLength: 300, unit: fc.constantFrom('a', '_', '.', ':', ' ', '"', '\\', '{', '}', '=', ',', '\n', '1', '#', 'P', '(', ')') }),
);

function expectSnapshotData(s: SidecarTrafficSnapshot): void {
  expect(typeof s.permissive.listenerPresent).toBe('boolean');
  for (const v of [...Object.values(s.permissive), ...Object.values(s.mtls), s.uptimeSeconds]) {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  }
}

describe('never throws', () => {
  it('Prometheus text: random and mutated input', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mutated(promSeeds)), (text) => {
        const r = parsePrometheusText(text);
        for (const i of r.issues) expect(i.line).toBeGreaterThanOrEqual(1);
        expectSnapshotData(snapshotFromPrometheus(r.samples));
      }),
      { numRuns: 300 },
    );
  });

  it('Envoy text: random and mutated input', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mutated(textSeeds)), (text) => {
        const r = parseEnvoyStatsText(text);
        for (const i of r.issues) expect(i.line).toBeGreaterThanOrEqual(1);
        expectSnapshotData(snapshotFromEnvoyStats(r.stats));
      }),
      { numRuns: 300 },
    );
  });

  it('Envoy JSON: random text, mutated files, arbitrary JSON values and arbitrary JS values', () => {
    const shaped = fc.record({
      stats: fc.array(fc.oneof(fc.record({ name: fc.string(), value: fc.oneof(fc.double(), fc.string(), fc.constant(null)) }), fc.jsonValue())),
    });
    fc.assert(
      fc.property(fc.oneof(anyText, mutated(jsonSeeds), fc.jsonValue(), shaped, fc.anything()), (input) => {
        const r = parseEnvoyStatsJson(input);
        expectSnapshotData(snapshotFromEnvoyStats(r.stats));
      }),
      { numRuns: 300 },
    );
  });
});

describe('round trips', () => {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

  it('any label value survives Prometheus escaping and parsing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const r = parsePrometheusText(`m{a="${escape(a)}",b="${escape(b)}"} 1\n`);
        expect(r.issues).toEqual([]);
        expect(r.samples[0].labels).toEqual({ a, b });
      }),
    );
  });

  it('Envoy text lines round-trip for any name without whitespace and any uint value or readout', () => {
    const name = fc
      .string({ minLength: 1, unit: fc.constantFrom('a', 'z', '.', '_', '~', '1', ':', '|', '[', ']') })
      .filter((n) => !n.includes(': ') && !n.startsWith('#'));
    const value = fc.oneof(
      fc.nat(),
      fc.string({ unit: 'grapheme-ascii' }).filter((s) => !s.includes('\n') && !s.includes('\r')),
    );
    fc.assert(
      fc.property(name, value, (n, v) => {
        const line = typeof v === 'number' ? `${n}: ${v}` : `${n}: "${v}"`;
        expect(parseEnvoyStatsText(`${line}\n`).stats).toEqual([{ name: n, value: v }]);
      }),
    );
  });
});
