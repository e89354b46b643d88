// One sidecar's Envoy history as a real Prometheus holds it for the advise e2e tests
// (test/e2e/advise-prometheus-*.test.ts): the five series the advisor reads (permissive connections
// and bytes, mTLS handshakes, uptime) as consul-dataplane names them, one sample a minute, fed to
// startPrometheus through openMetrics (test/support/prometheus.ts); and the verdicts an
// `advise --json` run printed.
import { expect } from 'vitest';
import type { CliRun } from './run-cli.ts';

export const MIN = 60_000;

/** A minute-aligned start `hoursAgo` before the real now: Prometheus keeps and serves blocks in its retention from there. */
export function historyStart(hoursAgo: number): number {
  return Math.floor(Date.now() / MIN) * MIN - hoursAgo * 3600_000;
}

/** The label the permissive filter chain's TCP proxy stats carry (Consul's stat prefix, agent/xds/listeners.go). */
export const PERMISSIVE = { envoy_tcp_prefix: 'permissive_public_listener' };

/** consul-k8s's labels for a sidecar of `service` in the default namespace and partition, plus any others. */
export function sidecarLabels(service: string, extra: Record<string, string> = {}): Record<string, string> {
  return { consul_source_service: service, consul_source_namespace: 'default', consul_source_partition: 'default', ...extra };
}

export interface OpenMetricsSeries {
  name: string;
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

export interface SidecarHistory {
  /** Minute 0's time (historyStart). */
  base: number;
  /** The minutes sampled, first to last inclusive. */
  from: number;
  to: number;
  labels: Record<string, string>;
  /** The permissive listener's connection counter at minute m. */
  plaintext: (m: number) => number;
  /** Its byte counters (default: 300 and 600 bytes a connection). */
  rxBytes?: (m: number) => number;
  txBytes?: (m: number) => number;
  /** The mTLS listener's TLS handshakes (default 5 a minute) and its envoy_listener_address. */
  handshakes?: (m: number) => number;
  listenerAddress?: string;
  /** Samples a minute (default 1); m is then a fraction of a minute between them. */
  perMinute?: number;
  /** envoy_server_uptime at minute m (default: one process throughout, started a day before minute 0). */
  uptime?: (m: number) => number;
}

/** The five series of one sidecar, a sample a minute (or perMinute) over [from, to]; uptime says one process throughout (started a day before minute 0). */
export function sidecarHistory(h: SidecarHistory): OpenMetricsSeries[] {
  const per = h.perMinute ?? 1;
  const points = (f: (m: number) => number): Array<[number, number]> =>
    Array.from({ length: (h.to - h.from) * per + 1 }, (_, i) => h.from + i / per).map((m) => [h.base + Math.round(m * MIN), f(m)]);
  const rx = h.rxBytes ?? ((m: number) => 300 * h.plaintext(m));
  const tx = h.txBytes ?? ((m: number) => 600 * h.plaintext(m));
  return [
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...h.labels, ...PERMISSIVE }, points: points(h.plaintext) },
    { name: 'envoy_tcp_downstream_cx_rx_bytes_total', labels: { ...h.labels, ...PERMISSIVE }, points: points(rx) },
    { name: 'envoy_tcp_downstream_cx_tx_bytes_total', labels: { ...h.labels, ...PERMISSIVE }, points: points(tx) },
    {
      name: 'envoy_listener_ssl_handshake',
      labels: { ...h.labels, envoy_listener_address: h.listenerAddress ?? '10.0.0.9_20000' },
      points: points(h.handshakes ?? ((m) => 5 * m)),
    },
    { name: 'envoy_server_uptime', labels: h.labels, points: points(h.uptime ?? ((m) => 86_400 + m * 60)) },
  ];
}

/**
 * Pod `<service>-0` of `service` in datacenter `dc` at `address` (its series labelled with the
 * datacenter, as consul-k8s's scrape writes them), a sample a minute from `base` to minute `to`;
 * `plaintext` its permissive connection counter at each minute.
 */
export function podInDatacenter(pod: {
  base: number;
  to: number;
  service: string;
  dc: string;
  address: string;
  plaintext: (m: number) => number;
}): OpenMetricsSeries[] {
  const { base, to, service, dc, address, plaintext } = pod;
  return sidecarHistory({
    base,
    from: 0,
    to,
    labels: sidecarLabels(service, { consul_source_datacenter: dc, instance: `${address}:20200`, pod: `${service}-0` }),
    plaintext,
    listenerAddress: `${address}_20000`,
  });
}

export interface JsonVerdict {
  service: string;
  verdict: string;
  reasons: string[];
  evidence: { sources: string[]; problems: string[] } & Record<string, unknown>;
}

/** The services of a successful `advise --json` run (nothing on stderr, exit 0), by name. */
export function verdictsOf(run: CliRun): Record<string, JsonVerdict> {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const services = (JSON.parse(run.stdout) as { services: JsonVerdict[] }).services;
  return Object.fromEntries(services.map((s) => [s.service, s]));
}
