// Envoy admin /stats plain text: the synthetic permissive TCP sample plus hand-made odd lines.
import { describe, expect, it } from 'vitest';
import { parseEnvoyStatsText } from '../../src/stats/envoy-text.ts';
import { envoyFixture } from './fixtures.ts';

describe('parseEnvoyStatsText on static-server-permissive.stats.txt', () => {
  const parsed = parseEnvoyStatsText(envoyFixture('static-server-permissive.stats.txt'));
  const value = (name: string) => parsed.stats.find((s) => s.name === name)?.value;

  it('reads counters and gauges of both chains, the listener and the server', () => {
    expect(parsed.stats).toHaveLength(56);
    expect(value('tcp.permissive_public_listener.downstream_cx_total')).toBe(40);
    expect(value('tcp.permissive_public_listener.downstream_cx_rx_bytes_total')).toBe(5310);
    expect(value('tcp.permissive_public_listener.downstream_cx_tx_bytes_total')).toBe(31862);
    expect(value('tcp.public_listener.downstream_cx_total')).toBe(18112);
    expect(value('tcp.public_listener.downstream_cx_rx_bytes_total')).toBe(1934417);
    expect(value('listener.10.42.0.17_20000.ssl.handshake')).toBe(8752);
    expect(value('listener.10.42.0.17_20000.downstream_cx_active')).toBe(3);
    expect(value('server.uptime')).toBe(93600);
  });

  it('parses the histogram line instead of calling it a stat', () => {
    expect(value('listener.10.42.0.17_20000.downstream_cx_length_ms')).toBeUndefined();
    expect(parsed.histograms).toHaveLength(1);
    const [h] = parsed.histograms;
    expect(h.name).toBe('listener.10.42.0.17_20000.downstream_cx_length_ms');
    expect(h.kind).toBe('quantiles');
    expect(h.points.map((p) => p.at)).toEqual([0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100]);
    expect(h.points[2]).toEqual({ at: 50, interval: null, cumulative: 1.0525 });
    expect(h.points[9]).toEqual({ at: 100, interval: null, cumulative: 612000 });
  });

  it('reports the three annotation comments of the sample file and nothing else', () => {
    expect(parsed.issues.map((i) => i.line)).toEqual([1, 2, 3]);
    expect(parsed.issues.every((i) => i.reason.startsWith('comment'))).toBe(true);
  });
});

describe('parseEnvoyStatsText on odd input', () => {
  it('reads text readouts raw, splitting on the first ": " only', () => {
    const r = parseEnvoyStatsText('server.version: "1.27.0/abc: def"\ncluster.x.name: ""\n');
    expect(r.stats).toEqual([
      { name: 'server.version', value: '1.27.0/abc: def' },
      { name: 'cluster.x.name', value: '' },
    ]);
    expect(r.issues).toEqual([]);
  });

  it('accepts names with IPs, ~ and colons inside, and CRLF line ends', () => {
    const r = parseEnvoyStatsText('cluster.outbound|80||a~b.upstream_cx_total: 7\r\nlistener.[__]_20000.ssl.handshake: 2\r\n');
    expect(r.stats).toEqual([
      { name: 'cluster.outbound|80||a~b.upstream_cx_total', value: 7 },
      { name: 'listener.[__]_20000.ssl.handshake', value: 2 },
    ]);
  });

  it('reads empty histograms and bucket summaries', () => {
    const r = parseEnvoyStatsText('a.h: No recorded values\nb.h: B0.5(0,1) B1(2,3)\n');
    expect(r.histograms).toEqual([
      { name: 'a.h', kind: 'quantiles', points: [] },
      {
        name: 'b.h',
        kind: 'buckets',
        points: [
          { at: 0.5, interval: 0, cumulative: 1 },
          { at: 1, interval: 2, cumulative: 3 },
        ],
      },
    ]);
  });

  it('reports malformed lines with their line number and keeps the good ones', () => {
    const r = parseEnvoyStatsText(
      ['ok.a: 1', 'no separator here', ': 5', 'bad.value: 12abc', 'x.h: P0(1,2) B1(1,2)', 'detailed.h:', '  totals=1,2:3', 'ok.b: 2'].join('\n'),
    );
    expect(r.stats).toEqual([
      { name: 'ok.a', value: 1 },
      { name: 'ok.b', value: 2 },
    ]);
    expect(r.issues.map((i) => i.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.issues[4].reason).toMatch(/detailed/);
  });

  it('returns empty results for empty input', () => {
    expect(parseEnvoyStatsText('')).toEqual({ stats: [], histograms: [], issues: [] });
  });
});
