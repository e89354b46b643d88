// PrometheusTrafficSource against a real Prometheus (Debian's package) on loopback: hours of history
// loaded as TSDB blocks, raw samples checked value by value, Prometheus's own errors surfaced, and a
// live scrape of simulated sidecars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusTrafficSource, StatsSourceUnavailableError } from '../../../src/adapters/stats/prometheus-source.ts';
import { PrometheusStatsSchema } from '../../../src/adapters/stats/config.ts';
import { startSimulatedSidecars, type SimulatedSidecars } from '../../../src/dev-server/simulated-sidecars.ts';
import type { ServiceRef } from '../../../src/core/advisor/model.ts';
import { freePort, openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../../support/prometheus.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping the real-Prometheus tests: ${missing}`);

const MIN = 60_000;
const svc = (name: string): ServiceRef => ({ name, namespace: 'default', partition: 'default' });
const fixed = (service: string, pod: string) => ({
  local_cluster: service,
  consul_source_service: service,
  consul_source_namespace: 'default',
  consul_source_partition: 'default',
  consul_source_datacenter: 'dc1',
  job: 'kubernetes-pods',
  instance: `10.0.0.${pod.length}:20200`,
  pod,
});

// Three hours of 1-minute samples, ending an hour before now (inside Prometheus's block range).
const base = Math.floor(Date.now() / MIN) * MIN - 5 * 3600_000;
const END = base + 180 * MIN;
const minutes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** orders-a: plaintext until minute 90, restart at minute 120; orders-b: born at minute 60 with 3 already. */
function ordersA(m: number) {
  const proc = m >= 120 ? m - 120 : m;
  return {
    cx: m >= 120 ? 0 : 100 + Math.min(m, 90),
    rx: m >= 120 ? 0 : 5000 + 40 * Math.min(m, 90),
    hs: 7 * proc,
    uptime: m >= 120 ? proc * 60 : 36_000 + m * 60,
  };
}
function ordersB(m: number) {
  return { cx: 3 + 0 * m, hs: 2 * (m - 60), uptime: 30 + (m - 60) * 60 };
}
/** billing-a: an http service whose plaintext keeps rising. */
function billingA(m: number) {
  return { cx: 10 + 2 * m, rq: 50 * m, uptime: 90_000 + m * 60 };
}

function history(): string {
  const perm = { envoy_tcp_prefix: 'permissive_public_listener' };
  const at = (m: number) => base + m * MIN;
  const pts = (ms: number[], f: (m: number) => number): Array<[number, number]> => ms.map((m) => [at(m), f(m)]);
  const a = minutes(0, 180);
  const b = minutes(60, 180);
  return openMetrics([
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...fixed('orders', 'orders-a'), ...perm }, points: pts(a, (m) => ordersA(m).cx) },
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...fixed('orders', 'orders-b'), ...perm }, points: pts(b, (m) => ordersB(m).cx) },
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...fixed('billing', 'billing-a'), ...perm }, points: pts(a, (m) => billingA(m).cx) },
    // Probe noise on the mTLS chain: not a metric the source reads.
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...fixed('orders', 'orders-a'), envoy_tcp_prefix: 'public_listener' }, points: pts(a, (m) => 6 * m) },
    // A service nobody asked about, whose name is a regex-looking prefix of "orders".
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...fixed('order', 'order-x'), ...perm }, points: pts(a, () => 1) },
    { name: 'envoy_tcp_downstream_cx_rx_bytes_total', labels: { ...fixed('orders', 'orders-a'), ...perm }, points: pts(a, (m) => ordersA(m).rx) },
    {
      name: 'envoy_listener_ssl_handshake',
      labels: { ...fixed('orders', 'orders-a'), envoy_listener_address: '10.0.0.8_20000' },
      points: pts(a, (m) => ordersA(m).hs),
    },
    { name: 'envoy_listener_ssl_handshake', labels: { ...fixed('orders', 'orders-a'), envoy_listener_address: '0.0.0.0_20200' }, points: pts(a, () => 999) },
    {
      name: 'envoy_listener_ssl_handshake',
      labels: { ...fixed('orders', 'orders-b'), envoy_listener_address: '10.0.0.8_20000' },
      points: pts(b, (m) => ordersB(m).hs),
    },
    {
      name: 'envoy_http_downstream_rq_total',
      labels: { ...fixed('billing', 'billing-a'), envoy_http_conn_manager_prefix: 'public_listener' },
      points: pts(a, (m) => billingA(m).rq),
    },
    { name: 'envoy_server_uptime', labels: fixed('orders', 'orders-a'), points: pts(a, (m) => ordersA(m).uptime) },
    { name: 'envoy_server_uptime', labels: fixed('orders', 'orders-b'), points: pts(b, (m) => ordersB(m).uptime) },
    { name: 'envoy_server_uptime', labels: fixed('billing', 'billing-a'), points: pts(a, (m) => billingA(m).uptime) },
  ]);
}

const config = (url: string, extra: Record<string, unknown> = {}) => PrometheusStatsSchema.parse({ url, ...extra });
const expected = (ms: number[], f: (m: number) => number) => ms.map((m) => ({ t: base + m * MIN, v: f(m) }));

describe.skipIf(missing !== undefined)('PrometheusTrafficSource against a real Prometheus', () => {
  let prom: RunningPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: history() });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it('returns every raw sample per instance and metric over the window, restarts and late-born pods included', async () => {
    const source = new PrometheusTrafficSource(config(prom.url), { env: {} });
    const [orders, billing] = await source.samples([svc('orders'), svc('billing')], { start: base, end: END });

    expect(orders.problems).toEqual([]);
    expect(orders.instances.map((i) => i.instance)).toEqual(['orders-a', 'orders-b']);
    const a = orders.instances[0].metrics;
    const b = orders.instances[1].metrics;
    expect(a.permissiveConnections).toEqual(expected(minutes(0, 180), (m) => ordersA(m).cx));
    // The plaintext stop and the restart are in the raw data, not smoothed away.
    expect(a.permissiveConnections![90]).toEqual({ t: base + 90 * MIN, v: 190 });
    expect(a.permissiveConnections![120]).toEqual({ t: base + 120 * MIN, v: 0 });
    expect(a.permissiveRxBytes).toEqual(expected(minutes(0, 180), (m) => ordersA(m).rx));
    // Only the inbound listener on 20000, not the metrics listener on 20200.
    expect(a.mtlsHandshakes).toEqual(expected(minutes(0, 180), (m) => ordersA(m).hs));
    expect(a.uptime).toEqual(expected(minutes(0, 180), (m) => ordersA(m).uptime));
    expect(a.permissiveTxBytes).toBeUndefined(); // no series: unknown, never zero
    // The pod born at minute 60 starts at 3: its first value is kept.
    expect(b.permissiveConnections![0]).toEqual({ t: base + 60 * MIN, v: 3 });
    expect(b.permissiveConnections).toHaveLength(121);
    expect(orders.scrapeIntervalMs).toBe(MIN);

    expect(billing.instances.map((i) => i.instance)).toEqual(['billing-a']);
    expect(billing.instances[0].metrics.permissiveConnections).toEqual(expected(minutes(0, 180), (m) => billingA(m).cx));
    expect(billing.instances[0].metrics.mtlsHttpRequests).toEqual(expected(minutes(0, 180), (m) => billingA(m).rq));

    // One batch per metric selector, a range selector evaluated at the window's end.
    expect(orders.sources).toContain(
      `envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener",consul_source_service=~"orders|billing",consul_source_namespace=~"(default)?",consul_source_partition=~"(default)?"}[10800s] @ ${new Date(END).toISOString()}`,
    );
    expect(orders.sources).toHaveLength(12);
  });

  it('honours a shorter window and one service per query', async () => {
    const source = new PrometheusTrafficSource(config(prom.url, { batchSize: 1 }), { env: {} });
    const res = await source.samples([svc('orders'), svc('billing')], { start: base + 150 * MIN, end: base + 160 * MIN });
    expect(res[0].instances[0].metrics.permissiveConnections).toEqual(expected(minutes(150, 160), (m) => ordersA(m).cx));
    expect(res[0].sources[0]).toMatch(/consul_source_service=~"orders",.*\[600s\]/);
    expect(res[1].sources[0]).toMatch(/consul_source_service=~"billing",/);
  });

  it('an empty result is no series at all, not zeros', async () => {
    const source = new PrometheusTrafficSource(config(prom.url), { env: {} });
    const [none] = await source.samples([svc('payments')], { start: base, end: END });
    expect(none.instances).toEqual([]);
    expect(none.problems).toEqual([]);
  });

  it("reports a query Prometheus rejects, naming the metric and Prometheus's error", async () => {
    const source = new PrometheusTrafficSource(
      config(prom.url, { metrics: { mtlsHandshakes: 'envoy_listener_ssl_handshake{envoy_listener_address=~"(["}' } }),
      { env: {} },
    );
    const [orders] = await source.samples([svc('orders')], { start: base, end: END });
    expect(orders.problems).toHaveLength(1);
    expect(orders.problems[0]).toMatch(/^prometheus query for mtlsHandshakes failed: HTTP 400 bad_data: .*(regex|regular expression)/);
    expect(orders.instances[0].metrics.mtlsHandshakes).toBeUndefined();
    expect(orders.instances[0].metrics.permissiveConnections).toHaveLength(181);
  });

  it('refuses data past the sample limit and says so', async () => {
    const source = new PrometheusTrafficSource(config(prom.url, { sampleLimit: 100 }), { env: {} });
    const [orders] = await source.samples([svc('orders')], { start: base, end: END });
    expect(orders.problems.some((p) => /permissiveConnections failed: 302 samples, over the sample limit of 100/.test(p))).toBe(true);
    expect(orders.instances.every((i) => i.metrics.permissiveConnections === undefined)).toBe(true);
  });

  it("surfaces Prometheus's own sample limit (422) as a problem", async () => {
    const tight = await startPrometheus({ openMetrics: history(), extraArgs: ['--query.max-samples=50'] });
    try {
      const source = new PrometheusTrafficSource(config(tight.url), { env: {} });
      const [orders] = await source.samples([svc('orders')], { start: base, end: END });
      expect(orders.problems.find((p) => p.includes('permissiveConnections'))).toMatch(/HTTP 422 execution: query processing would load too many samples/);
    } finally {
      await tight.stop();
    }
  }, 60_000);
});

describe.skipIf(missing !== undefined)('PrometheusTrafficSource on a live scrape of simulated sidecars', () => {
  let sidecars: SimulatedSidecars;
  let prom: RunningPrometheus;
  afterAll(async () => {
    await prom?.stop();
    await sidecars?.close();
  });

  it('sees the counters grow scrape after scrape', async () => {
    sidecars = await startSimulatedSidecars([
      { service: 'web', instance: 'web-1', plaintext: { connectionsPerSecond: 20 }, mtls: { handshakesPerSecond: 10 } },
    ]);
    const target = `127.0.0.1:${sidecars.sidecars[0].port}`;
    prom = await startPrometheus({ scrapeTargets: [target], scrapeInterval: '1s' });
    const start = Date.now();
    const source = new PrometheusTrafficSource(config(prom.url), { env: {} });
    // Prometheus applies new scrape targets after its 5 s discovery debounce; poll, bounded.
    let web: Awaited<ReturnType<typeof source.samples>>[number] | undefined;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      [web] = await source.samples([svc('web')], { start, end: Date.now() });
      if ((web.instances[0]?.metrics.permissiveConnections?.length ?? 0) >= 4) break;
    }
    expect(web!.problems).toEqual([]);
    // Without a pod label, Prometheus's own `instance` target label names the sidecar.
    expect(web!.instances.map((i) => i.instance)).toEqual([target]);
    const cx = web!.instances[0].metrics.permissiveConnections!;
    expect(cx.length).toBeGreaterThanOrEqual(3);
    expect(cx.at(-1)!.v).toBeGreaterThan(cx[0].v);
    expect(web!.instances[0].metrics.mtlsHandshakes!.at(-1)!.v).toBeGreaterThan(0);
    expect(web!.scrapeIntervalMs).toBeGreaterThanOrEqual(900);
    expect(web!.scrapeIntervalMs).toBeLessThanOrEqual(1_100);
  }, 60_000);
});

describe('PrometheusTrafficSource when nothing answers', () => {
  it('throws when no query could be answered at all', async () => {
    const port = await freePort();
    const source = new PrometheusTrafficSource(config(`http://127.0.0.1:${port}`, { attempts: 1 }), { env: {} });
    await expect(source.samples([svc('orders')], { start: 0, end: 60_000 })).rejects.toThrow(StatsSourceUnavailableError);
  });
});
