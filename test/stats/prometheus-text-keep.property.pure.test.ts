// parsePrometheusText with `keep` (the path sidecar scrapes take): exactly the full parse's samples
// of the kept names, the HELP of kept families, no issue the full parse would not report, and the
// very same traffic snapshot when `keep` is readsPromStat.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readsPromStat, snapshotFromPrometheus } from '../../src/stats/permissive-counters.ts';
import { parsePrometheusText } from '../../src/stats/prometheus-text.ts';
import { built, damaged, merged } from './prometheus-text-arbitraries.ts';
import { envoyFixture } from './fixtures.ts';

/** Predicates a caller might pass: name sets (some names of the generators), prefixes, everything, nothing. */
const keeps = fc.oneof(
  fc.subarray(['m', 'm_total', 'm_count', 'h', 'h_bucket', 'h_count', 'a.b', '9bad', 'envoy_tcp_downstream_cx_total', 'envoy_server_uptime']).map((names) => {
    const set = new Set(names);
    return (name: string) => set.has(name);
  }),
  fc.constantFrom('envoy_', 'envoy_cluster_', 'm', 'h_').map((prefix) => (name: string) => name.startsWith(prefix)),
  fc.constant(readsPromStat),
  fc.constant(() => true),
  fc.constant(() => false),
);

function expectFilteredFull(text: string, keep: (name: string) => boolean): void {
  const asked: string[] = [];
  const got = parsePrometheusText(text, {
    keep: (name) => {
      asked.push(name);
      return keep(name);
    },
  });
  const full = parsePrometheusText(text);
  expect(got.samples).toEqual(full.samples.filter((s) => keep(s.name)));
  expect([...got.help]).toEqual([...full.help].filter(([family]) => keep(family)));
  for (const issue of got.issues) expect(full.issues).toContainEqual(issue);
  expect(new Set(asked).size).toBe(asked.length); // asked once per name
}

describe('parsePrometheusText with keep equals the full parse, filtered', () => {
  it('on damaged real scrapes', () => {
    fc.assert(fc.property(damaged, keeps, expectFilteredFull), { numRuns: 300 });
  });

  it("on lines built from the format's tricky parts", () => {
    fc.assert(fc.property(built, keeps, expectFilteredFull), { numRuns: 2000 });
  });

  it('on the whole real merged scrape, twice, with the names the advisor reads', () => {
    const text = `${merged.join('\n')}\n${merged.join('\n')}`;
    expectFilteredFull(text, readsPromStat);
    const kept = parsePrometheusText(text, { keep: readsPromStat }).samples;
    // A fifth of the scrape: the cluster, HTTP and most server stats are skipped unread.
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(parsePrometheusText(text).samples.length / 4);
  });

  it('skips a rejected line unread: a broken label set there is no issue', () => {
    const text = 'envoy_cluster_x{broken="1 7\nenvoy_tcp_y{ok="1"} 2\nenvoy_tcp_z{broken 3\n';
    expect(parsePrometheusText(text).issues.map((i) => i.line)).toEqual([1, 3]);
    const got = parsePrometheusText(text, { keep: readsPromStat });
    expect(got.issues.map((i) => i.line)).toEqual([3]);
    expect(got.samples).toEqual([{ name: 'envoy_tcp_y', labels: { ok: '1' }, value: 2 }]);
  });

  it('judges a line that names its metric inside the braces by that name', () => {
    const text = '{"envoy_tcp_a",x="1"} 1\n{"envoy_cluster_b",x="1"} 2\n';
    expect(parsePrometheusText(text, { keep: readsPromStat }).samples.map((s) => s.name)).toEqual(['envoy_tcp_a']);
  });
});

describe('readsPromStat keeps every sample the traffic snapshot reads', () => {
  const scrapes = [envoyFixture('consul-dataplane-merged-metrics.prom.txt'), envoyFixture('web-http-permissive.prom.txt')];
  // Whole scrapes, and scrapes with lines dropped at random (strict mode, filtered stats, two
  // sidecars in one answer), read for several listener ports and label matches.
  const input = fc.record({
    lines: fc.constantFrom(...scrapes, scrapes.join('\n')).chain((text) => {
      const all = text.split('\n');
      const drops = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: all.length, maxLength: all.length });
      return drops.map((drop) => [all.filter((_, i) => drop[i] !== 0), all]);
    }),
    whole: fc.boolean(),
    untagged: fc.boolean(),
    port: fc.constantFrom(20000, 21000, 15001, undefined),
    match: fc.constantFrom(undefined, { consul_source_service: 'mynginx' }, { consul_source_service: 'web' }),
  });

  it('gives the same snapshot from the kept samples as from all of them', () => {
    fc.assert(
      fc.property(input, ({ lines: [some, all], whole, untagged, port, match }) => {
        let text = (whole ? all : some).join('\n');
        // Without Envoy's tag extractors the prefix stays in the name (custom envoy_stats_config_json).
        if (untagged)
          text = text.replace(
            /^envoy_(tcp|http)_(\w+)\{(.*),envoy_(?:tcp|http_conn_manager)_prefix="([^"]+)"\}/gm,
            (_, kind: string, stat: string, rest: string, prefix: string) => `envoy_${kind}_${prefix.replace(/\W/g, '_')}_${stat}{${rest}}`,
          );
        const options = { ...(port === undefined ? {} : { publicListenerPort: port }), ...(match === undefined ? {} : { match }) };
        const want = snapshotFromPrometheus(parsePrometheusText(text).samples, options);
        expect(snapshotFromPrometheus(parsePrometheusText(text, { keep: readsPromStat }).samples, options)).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });
});
