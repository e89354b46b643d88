// Prometheus text exposition: the real consul-dataplane merged scrape, the synthetic HTTP sample,
// and the format's corners (escapes, timestamps, NaN/Inf, blank lines or none).
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, type PromSample } from '../../src/stats/prometheus-text.ts';
import { envoyFixture } from './fixtures.ts';

const find = (samples: PromSample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('parsePrometheusText on the real consul-dataplane merged scrape', () => {
  const parsed = parsePrometheusText(envoyFixture('consul-dataplane-merged-metrics.prom.txt'));

  it('reads every sample line without issues', () => {
    expect(parsed.issues).toEqual([]);
    expect(parsed.samples).toHaveLength(1317);
    expect(parsed.samples.every((s) => s.type !== undefined)).toBe(true);
  });

  it('reads the public_listener TCP counter with all its labels, in order', () => {
    const [s] = find(parsed.samples, 'envoy_tcp_downstream_cx_total', { envoy_tcp_prefix: 'public_listener' });
    expect(s).toEqual({
      name: 'envoy_tcp_downstream_cx_total',
      labels: {
        local_cluster: 'mynginx',
        consul_source_service: 'mynginx',
        consul_source_namespace: 'default',
        consul_source_partition: 'default',
        consul_source_datacenter: 'consul-sandbox-cluster-0159c9d3',
        envoy_tcp_prefix: 'public_listener',
      },
      value: 6507,
      type: 'counter',
    });
    expect(Object.keys(s.labels).at(-1)).toBe('envoy_tcp_prefix');
  });

  it('reads uptime, handshakes and the dotted-prefix quirk', () => {
    expect(find(parsed.samples, 'envoy_server_uptime')[0]).toMatchObject({ value: 32527, type: 'gauge' });
    expect(find(parsed.samples, 'envoy_listener_ssl_handshake', { envoy_listener_address: '10.50.132.6_20000' })[0].value).toBe(0);
    // tcp.upstream.original-destination.* keeps only "upstream" as the label; the rest stays in the name.
    expect(find(parsed.samples, 'envoy_tcp_original_destination_downstream_cx_total')[0].labels.envoy_tcp_prefix).toBe('upstream');
  });

  it('types summaries, histogram parts and NaN values', () => {
    const q = find(parsed.samples, 'consul_dataplane_connect_duration', { quantile: '0.5' })[0];
    expect(q.type).toBe('summary');
    expect(q.value).toBeNaN();
    expect(find(parsed.samples, 'consul_dataplane_connect_duration_count')[0]).toMatchObject({ value: 1, type: 'summary' });
    const bucket = find(parsed.samples, 'envoy_listener_downstream_cx_length_ms_bucket', { envoy_listener_address: '10.50.132.6_20000', le: '0.5' })[0];
    expect(bucket).toMatchObject({ value: 6502, type: 'histogram' });
    expect(find(parsed.samples, 'envoy_listener_downstream_cx_length_ms_bucket', { le: '+Inf' }).length).toBeGreaterThan(0);
  });

  it('keeps HELP text', () => {
    expect(parsed.help.get('consul_dataplane_consul_connected')).toMatch(/^This will either be 0 or 1/);
  });
});

describe('parsePrometheusText on the synthetic HTTP sample (blank line after each family)', () => {
  const parsed = parsePrometheusText(envoyFixture('web-http-permissive.prom.txt'));

  it('reads both the HCM public_listener and the TCP permissive families', () => {
    expect(parsed.issues).toEqual([]);
    expect(parsed.samples).toHaveLength(53);
    expect(find(parsed.samples, 'envoy_http_downstream_rq_total', { envoy_http_conn_manager_prefix: 'public_listener' })[0].value).toBe(48212);
    expect(find(parsed.samples, 'envoy_tcp_downstream_cx_total', { envoy_tcp_prefix: 'permissive_public_listener' })[0]).toMatchObject({
      value: 118,
      type: 'counter',
    });
    expect(
      find(parsed.samples, 'envoy_http_downstream_rq_xx', { envoy_response_code_class: '4', envoy_http_conn_manager_prefix: 'public_listener' })[0].value,
    ).toBe(297);
  });
});

describe('parsePrometheusText format corners', () => {
  it('unescapes \\" \\\\ and \\n in label values, and keeps , } = and spaces inside quotes', () => {
    const r = parsePrometheusText('m{a="x\\"y",b="back\\\\slash",c="two\\nlines",d="{a=1, b}"} 1\n');
    expect(r.issues).toEqual([]);
    expect(r.samples[0].labels).toEqual({ a: 'x"y', b: 'back\\slash', c: 'two\nlines', d: '{a=1, b}' });
  });

  it('reads timestamps, NaN, ±Inf, exponents, and no-label samples', () => {
    const r = parsePrometheusText('a 1 1700000000000\nb NaN\nc +Inf\nd -Inf\ne 1.5e3\nf{} -2\n');
    expect(r.issues).toEqual([]);
    expect(r.samples.map((s) => [s.name, s.value, s.timestamp])).toEqual([
      ['a', 1, 1700000000000],
      ['b', Number.NaN, undefined],
      ['c', Infinity, undefined],
      ['d', -Infinity, undefined],
      ['e', 1500, undefined],
      ['f', -2, undefined],
    ]);
    expect('timestamp' in r.samples[1]).toBe(false);
  });

  it('accepts spaces/tabs around labels, a trailing comma, CRLF and other comments', () => {
    const r = parsePrometheusText('# just a comment\r\n#TYPE not-a-type-line\r\nm{ a = "1" ,\tb="2", }\t3\r\n');
    expect(r.issues).toEqual([]);
    expect(r.samples).toEqual([{ name: 'm', labels: { a: '1', b: '2' }, value: 3 }]);
  });

  it('accepts the quoted UTF-8 metric name form inside braces', () => {
    const r = parsePrometheusText('{"my.metric",a="1"} 4\n');
    expect(r.samples).toEqual([{ name: 'my.metric', labels: { a: '1' }, value: 4 }]);
  });

  it('types a family from a TYPE line anywhere, and untyped families stay without type', () => {
    const r = parsePrometheusText('x 1\n# TYPE x gauge\ny 2\n# TYPE z untyped\nz 3\n');
    expect(r.samples.map((s) => s.type)).toEqual(['gauge', undefined, 'untyped']);
  });

  it('stores a __proto__ label as an own property', () => {
    const r = parsePrometheusText('m{__proto__="x"} 1\n');
    expect(Object.hasOwn(r.samples[0].labels, '__proto__')).toBe(true);
    expect(r.samples[0].labels.__proto__).toBe('x');
  });

  it('skips and reports each bad line, keeping the good ones', () => {
    const lines = [
      'good 1',
      'm{a="unterminated} 1',
      'm{a=1} 1',
      'm{a="1" b="2"} 1',
      'm{a="1",a="2"} 1',
      'm{1a="x"} 1',
      'm',
      'm one',
      'm 1 2 3',
      'm 1 1.5',
      '9bad 1',
      'm{a="1"}2',
      '# TYPE m bogus',
      'also_good{x="y"} 2',
    ];
    const r = parsePrometheusText(lines.join('\n'));
    expect(r.samples.map((s) => s.name)).toEqual(['good', 'also_good']);
    expect(r.issues.map((i) => i.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });
});
