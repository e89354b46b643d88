// SidecarTrafficSnapshot from each sample and form, plus the quirks of Envoy's stats: probe-inflated
// cx_total vs handshakes, HTTP services, dotted-prefix tag extraction, one-sidecar ambiguity.
import { describe, expect, it } from 'vitest';
import { parseEnvoyStatsJson } from '../../src/stats/envoy-json.ts';
import { parseEnvoyStatsText, type EnvoyStat } from '../../src/stats/envoy-text.ts';
import { snapshotFromEnvoyStats, snapshotFromPrometheus, type SidecarTrafficSnapshot } from '../../src/stats/permissive-counters.ts';
import { parsePrometheusText } from '../../src/stats/prometheus-text.ts';
import { envoyFixture } from './fixtures.ts';

const staticServerText = parseEnvoyStatsText(envoyFixture('static-server-permissive.stats.txt')).stats;

const staticServerSnapshot: SidecarTrafficSnapshot = {
  // listener.10.42.0.17_20000.downstream_cx_active is 3: could be mTLS, so plaintext active stays unknown.
  permissive: { listenerPresent: true, connectionsTotal: 40, rxBytes: 5310, txBytes: 31862 },
  // 18112 = 9360 probe connections + 8752 real ones; the handshakes count only the real ones.
  mtls: { connectionsTotal: 18112, tlsHandshakes: 8752, rxBytes: 1934417 },
  uptimeSeconds: 93600,
};

const withValue = (stats: EnvoyStat[], name: string, value: number): EnvoyStat[] => stats.map((s) => (s.name === name ? { name, value } : s));

describe('snapshotFromEnvoyStats', () => {
  it('reads the permissive TCP service from the text form', () => {
    expect(snapshotFromEnvoyStats(staticServerText)).toEqual(staticServerSnapshot);
  });

  it('gives the same snapshot from the JSON form of the same data', () => {
    const json = parseEnvoyStatsJson(envoyFixture('static-server-permissive.stats.json')).stats;
    expect(snapshotFromEnvoyStats(json)).toEqual(snapshotFromEnvoyStats(staticServerText));
  });

  it('reports 0 plaintext active connections when the whole inbound listener has none', () => {
    const idle = withValue(staticServerText, 'listener.10.42.0.17_20000.downstream_cx_active', 0);
    expect(snapshotFromEnvoyStats(idle).permissive.activeConnections).toBe(0);
  });

  it('says the permissive listener is absent in strict mode, leaving its numbers unknown', () => {
    const strict = staticServerText.filter((s) => !s.name.startsWith('tcp.permissive_public_listener.'));
    expect(snapshotFromEnvoyStats(strict).permissive).toEqual({ listenerPresent: false });
  });

  it('ignores an upstream whose dotted stat prefix merely contains the permissive name', () => {
    const r = snapshotFromEnvoyStats([{ name: 'tcp.upstream.permissive_public_listener.downstream_cx_total', value: 9 }]);
    expect(r.permissive).toEqual({ listenerPresent: false });
  });

  it('reads an HTTP service from http.public_listener.* and the inbound listener by port', () => {
    const r = snapshotFromEnvoyStats(
      [
        { name: 'http.public_listener.downstream_cx_total', value: 10 },
        { name: 'http.public_listener.downstream_rq_total', value: 25 },
        { name: 'http.public_listener.downstream_cx_rx_bytes_total', value: 900 },
        { name: 'listener.10.0.0.5_20001.ssl.handshake', value: 8 },
        { name: 'listener.127.0.0.1_15001.ssl.handshake', value: 99 },
        { name: 'tcp.permissive_public_listener.downstream_cx_total', value: 0 },
      ],
      { publicListenerPort: 20001 },
    );
    expect(r).toEqual({
      permissive: { listenerPresent: true, connectionsTotal: 0 },
      mtls: { connectionsTotal: 10, httpRequestsTotal: 25, rxBytes: 900, tlsHandshakes: 8 },
    });
  });

  it('refuses to guess between several inbound listeners or conflicting duplicates', () => {
    const stats: EnvoyStat[] = [
      { name: 'listener.10.0.0.5_20000.ssl.handshake', value: 1 },
      { name: 'listener.10.0.0.6_20000.ssl.handshake', value: 2 },
      { name: 'server.uptime', value: 10 },
      { name: 'server.uptime', value: 11 },
    ];
    expect(snapshotFromEnvoyStats(stats)).toEqual({ permissive: { listenerPresent: false }, mtls: {} });
    expect(snapshotFromEnvoyStats(stats, { publicListenerAddress: '10.0.0.6_20000' }).mtls.tlsHandshakes).toBe(2);
  });

  it('does not take a text readout for a number', () => {
    expect(snapshotFromEnvoyStats([{ name: 'server.uptime', value: '93600' }]).uptimeSeconds).toBeUndefined();
  });
});

describe('snapshotFromPrometheus', () => {
  it('reads the real consul-dataplane scrape: probe-only traffic, strict mode, no permissive listener', () => {
    const { samples } = parsePrometheusText(envoyFixture('consul-dataplane-merged-metrics.prom.txt'));
    expect(snapshotFromPrometheus(samples)).toEqual({
      permissive: { listenerPresent: false },
      // 6507 connections and 0 bytes, 0 handshakes: the kubelet readiness probe, not mTLS traffic.
      mtls: { connectionsTotal: 6507, tlsHandshakes: 0, rxBytes: 0 },
      uptimeSeconds: 32527,
    });
  });

  it('reads the HTTP sample: mTLS from the HCM public_listener, plaintext from the tcp permissive prefix', () => {
    const { samples } = parsePrometheusText(envoyFixture('web-http-permissive.prom.txt'));
    expect(snapshotFromPrometheus(samples)).toEqual({
      permissive: { listenerPresent: true, connectionsTotal: 118, rxBytes: 40251, txBytes: 201733 },
      mtls: { connectionsTotal: 72132, tlsHandshakes: 11651, httpRequestsTotal: 48212 },
      uptimeSeconds: 604812,
    });
  });

  it('gives the same snapshot as the admin form for the same TCP data', () => {
    const L = 'local_cluster="static-server",consul_source_service="static-server"';
    const prom = [
      '# TYPE envoy_listener_ssl_handshake counter',
      `envoy_listener_ssl_handshake{${L},envoy_listener_address="10.42.0.17_20000"} 8752`,
      `envoy_listener_ssl_handshake{${L},envoy_listener_address="0.0.0.0_20200"} 0`,
      '# TYPE envoy_tcp_downstream_cx_rx_bytes_total counter',
      `envoy_tcp_downstream_cx_rx_bytes_total{${L},envoy_tcp_prefix="permissive_public_listener"} 5310`,
      `envoy_tcp_downstream_cx_rx_bytes_total{${L},envoy_tcp_prefix="public_listener"} 1934417`,
      '# TYPE envoy_tcp_downstream_cx_total counter',
      `envoy_tcp_downstream_cx_total{${L},envoy_tcp_prefix="permissive_public_listener"} 40`,
      `envoy_tcp_downstream_cx_total{${L},envoy_tcp_prefix="public_listener"} 18112`,
      '# TYPE envoy_tcp_downstream_cx_tx_bytes_total counter',
      `envoy_tcp_downstream_cx_tx_bytes_total{${L},envoy_tcp_prefix="permissive_public_listener"} 31862`,
      '# TYPE envoy_listener_downstream_cx_active gauge',
      `envoy_listener_downstream_cx_active{${L},envoy_listener_address="10.42.0.17_20000"} 3`,
      '# TYPE envoy_server_uptime gauge',
      `envoy_server_uptime{${L}} 93600`,
    ].join('\n');
    expect(snapshotFromPrometheus(parsePrometheusText(prom).samples)).toEqual(staticServerSnapshot);
  });

  it('does not mistake an upstream named permissive_public_listener (envoy_tcp_prefix="upstream") for the chain', () => {
    // tcp.upstream.permissive_public_listener.downstream_cx_total after Envoy's one-segment tag extraction.
    const { samples } = parsePrometheusText('envoy_tcp_permissive_public_listener_downstream_cx_total{envoy_tcp_prefix="upstream"} 5\n');
    expect(snapshotFromPrometheus(samples).permissive).toEqual({ listenerPresent: false });
  });

  it('falls back to untagged names when Envoy tag extraction is off', () => {
    const { samples } = parsePrometheusText(
      'envoy_tcp_permissive_public_listener_downstream_cx_total{local_cluster="web"} 5\nenvoy_http_public_listener_downstream_rq_total 7\n',
    );
    expect(snapshotFromPrometheus(samples)).toEqual({
      permissive: { listenerPresent: true, connectionsTotal: 5 },
      mtls: { httpRequestsTotal: 7 },
    });
  });

  it('picks one sidecar out of a multi-pod input with `match`, and refuses to mix them without it', () => {
    const { samples } = parsePrometheusText(
      [
        'envoy_tcp_downstream_cx_total{pod="a",envoy_tcp_prefix="permissive_public_listener"} 3',
        'envoy_tcp_downstream_cx_total{pod="b",envoy_tcp_prefix="permissive_public_listener"} 0',
        'envoy_server_uptime{pod="a"} 100',
        'envoy_server_uptime{pod="b"} 200',
      ].join('\n'),
    );
    expect(snapshotFromPrometheus(samples)).toEqual({ permissive: { listenerPresent: true }, mtls: {} });
    expect(snapshotFromPrometheus(samples, { match: { pod: 'b' } })).toEqual({
      permissive: { listenerPresent: true, connectionsTotal: 0 },
      mtls: {},
      uptimeSeconds: 200,
    });
  });

  it('treats NaN as unknown, not as a value', () => {
    const { samples } = parsePrometheusText('envoy_server_uptime NaN\n');
    expect(snapshotFromPrometheus(samples).uptimeSeconds).toBeUndefined();
  });
});
