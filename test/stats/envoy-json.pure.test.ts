// Envoy admin /stats?format=json: the synthetic permissive TCP sample, and the same data as the text form.
import { describe, expect, it } from 'vitest';
import { parseEnvoyStatsJson } from '../../src/stats/envoy-json.ts';
import { parseEnvoyStatsText } from '../../src/stats/envoy-text.ts';
import { envoyFixture } from './fixtures.ts';

describe('parseEnvoyStatsJson on static-server-permissive.stats.json', () => {
  const raw = envoyFixture('static-server-permissive.stats.json');
  const parsed = parseEnvoyStatsJson(raw);

  it('reads every stat and the histograms element without issues', () => {
    expect(parsed.issues).toEqual([]);
    expect(parsed.stats).toHaveLength(56);
    const value = (name: string) => parsed.stats.find((s) => s.name === name)?.value;
    expect(value('tcp.permissive_public_listener.downstream_cx_total')).toBe(40);
    expect(value('tcp.public_listener.downstream_cx_total')).toBe(18112);
    expect(value('listener.10.42.0.17_20000.ssl.handshake')).toBe(8752);
    expect(value('server.uptime')).toBe(93600);
  });

  it('holds exactly what the text form holds, histograms included', () => {
    const text = parseEnvoyStatsText(envoyFixture('static-server-permissive.stats.txt'));
    expect(parsed.stats).toEqual(text.stats);
    expect(parsed.histograms).toEqual(text.histograms);
  });

  it('accepts an already parsed value', () => {
    expect(parseEnvoyStatsJson(JSON.parse(raw))).toEqual(parsed);
  });
});

describe('parseEnvoyStatsJson on odd input', () => {
  it('keeps text readouts as strings and does not rely on key order', () => {
    const r = parseEnvoyStatsJson('{"stats":[{"value":"1.27.0","name":"server.version"},{"value":3,"name":"a.b"}]}');
    expect(r.stats).toEqual([
      { name: 'server.version', value: '1.27.0' },
      { name: 'a.b', value: 3 },
    ]);
  });

  it('reads bucket-mode histograms', () => {
    const r = parseEnvoyStatsJson({ stats: [{ histograms: [{ name: 'h', buckets: [{ upper_bound: 0.5, interval: 0, cumulative: 4 }] }] }] });
    expect(r.histograms).toEqual([{ name: 'h', kind: 'buckets', points: [{ at: 0.5, interval: 0, cumulative: 4 }] }]);
  });

  it('reports bad entries by path and keeps good ones', () => {
    const r = parseEnvoyStatsJson({
      stats: [{ name: 'ok', value: 1 }, 7, { name: 'x' }, { name: '', value: 1 }, { name: 'n', value: null }, { histograms: 'no' }],
    });
    expect(r.stats).toEqual([{ name: 'ok', value: 1 }]);
    expect(r.issues.map((i) => i.path)).toEqual(['stats[1]', 'stats[2].value', 'stats[3]', 'stats[4].value', 'stats[5].histograms']);
  });

  it('reports invalid JSON and wrong top-level shapes', () => {
    expect(parseEnvoyStatsJson('{"stats": [').issues[0].reason).toMatch(/invalid JSON/);
    expect(parseEnvoyStatsJson('[]').issues[0].path).toBe('$');
    expect(parseEnvoyStatsJson(null).stats).toEqual([]);
  });
});
