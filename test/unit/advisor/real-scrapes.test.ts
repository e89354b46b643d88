// The decision fed from the real Envoy scrape shapes (test/fixtures/envoy) through the stats
// parsers and the per-sidecar snapshot, one scrape every 10 minutes over a day, as a source that
// polls sidecars would build its samples.
import { describe, expect, it } from 'vitest';
import { decideStrict, NO_PERMISSIVE_SERIES } from '../../../src/core/advisor/decide-strict.ts';
import type { InstanceSamples, Sample, TrafficMetric } from '../../../src/core/advisor/model.ts';
import { parsePrometheusText, snapshotFromPrometheus, type SidecarTrafficSnapshot } from '../../../src/stats/index.ts';
import { envoyFixture } from '../../stats/fixtures.ts';
import { H, JUDGED, M, service, T0, THRESHOLDS, WINDOW } from './traces.ts';

const EVERY = 10 * M;

/** The fixture's text with one sample's value replaced (the line is found by name and a label). */
function withValue(text: string, name: string, label: string, value: number): string {
  const re = new RegExp(`^(${name}\\{[^}]*${label}[^}]*\\}) \\S+$`, 'm');
  if (!re.test(text)) throw new Error(`fixture has no ${name}{${label}}`);
  return text.replace(re, `$1 ${value}`);
}

function sidecarHistory(fixture: string, at: (t: number) => { plaintextConnections: number; handshakes: number }): InstanceSamples {
  const base = envoyFixture(fixture);
  const metrics: InstanceSamples['metrics'] = {};
  const push = (metric: TrafficMetric, t: number, v: number | undefined) => {
    if (v !== undefined) (metrics[metric] ??= [] as Sample[]).push({ t, v });
  };
  for (let t = WINDOW.start; t <= WINDOW.end; t += EVERY) {
    const { plaintextConnections, handshakes } = at(t);
    let text = withValue(base, 'envoy_server_uptime', '', 604_812 + (t - WINDOW.start) / 1000);
    if (fixture === 'web-http-permissive.prom.txt') {
      text = withValue(text, 'envoy_tcp_downstream_cx_total', 'envoy_tcp_prefix="permissive_public_listener"', plaintextConnections);
      text = withValue(text, 'envoy_listener_ssl_handshake', '_20000', handshakes);
    }
    const parsed = parsePrometheusText(text);
    expect(parsed.issues).toEqual([]);
    const snap: SidecarTrafficSnapshot = snapshotFromPrometheus(parsed.samples);
    push('permissiveConnections', t, snap.permissive.connectionsTotal);
    push('permissiveRxBytes', t, snap.permissive.rxBytes);
    push('permissiveTxBytes', t, snap.permissive.txBytes);
    push('mtlsHandshakes', t, snap.mtls.tlsHandshakes);
    push('mtlsHttpRequests', t, snap.mtls.httpRequestsTotal);
    push('mtlsRxBytes', t, snap.mtls.rxBytes);
    push('uptime', t, snap.uptimeSeconds);
  }
  return { instance: '10.42.0.17:20200', metrics };
}

const decide = (instances: InstanceSamples[]) =>
  decideStrict({ judged: JUDGED, samples: service(instances, { scrapeIntervalMs: EVERY }), window: WINDOW, thresholds: THRESHOLDS });

describe('decideStrict on samples built from real Envoy scrapes', () => {
  it('the web sidecar whose plaintext stopped before the window, mTLS handshakes rising: ready-for-strict', () => {
    const v = decide([sidecarHistory('web-http-permissive.prom.txt', (t) => ({ plaintextConnections: 118, handshakes: 11_651 + (t - T0) / M }))]);
    expect(v.verdict).toBe('ready-for-strict');
    expect(v.evidence.instances[0].permissive.connections).toEqual({ first: 118, last: 118, increase: 0 });
    expect(v.evidence.mtls.handshakes).toBe(1440);
  });

  it('the same sidecar with one plaintext connection in the afternoon: still-receiving-plaintext, last seen then', () => {
    const v = decide([
      sidecarHistory('web-http-permissive.prom.txt', (t) => ({ plaintextConnections: t >= T0 + 15 * H ? 119 : 118, handshakes: 11_651 + (t - T0) / M })),
    ]);
    expect(v.verdict).toBe('still-receiving-plaintext');
    expect(v.reasons[1]).toBe('instance 10.42.0.17:20200: 1 plaintext connection, 0 bytes received, 0 bytes sent; last seen 2026-11-23 15:00:00 UTC');
  });

  it('the consul-dataplane scrape without a permissive listener (strict already, or no transparent proxy): insufficient-data', () => {
    const v = decide([sidecarHistory('consul-dataplane-merged-metrics.prom.txt', () => ({ plaintextConnections: 0, handshakes: 0 }))]);
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons[0]).toBe(NO_PERMISSIVE_SERIES); // then: no mTLS use either (6,507 probe connections, no handshake)
  });
});
