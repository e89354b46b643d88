// EnvoyTrafficSource end to end on loopback: simulated sidecars registered in the embedded dev
// server's catalog as consul-k8s registers them, scraped run after run, with the history
// accumulating in the dev server's KV, pruned past the window and bounded in size.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { ConsulKvStateStore } from '../../../src/adapters/consul/stores.ts';
import { EnvoyStatsSchema, PrometheusStatsSchema } from '../../../src/adapters/stats/config.ts';
import { createTrafficSampleSource, parseStatsFlag } from '../../../src/adapters/stats/create-source.ts';
import { EnvoyTrafficSource } from '../../../src/adapters/stats/envoy-source.ts';
import { StatsSourceUnavailableError } from '../../../src/adapters/stats/errors.ts';
import { decodeHistory } from '../../../src/adapters/stats/history.ts';
import {
  countersAt,
  registerSimulatedSidecars,
  startSimulatedSidecars,
  type SidecarScript,
  type SimulatedSidecars,
} from '../../../src/dev-server/simulated-sidecars.ts';
import type { StateStore } from '../../../src/app/ports/config-entry-store.ts';
import type { DevServer } from '../../../src/dev-server/server.ts';
import { useServers } from '../../dev-server/support.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const orders = { name: 'orders', namespace: 'default', partition: 'default' };
const billing = { name: 'billing', namespace: 'default', partition: 'default' };

const scripts: SidecarScript[] = [
  { service: 'orders', instance: 'orders-a', plaintext: { connectionsPerSecond: 2, stopsAfterMs: 25 * MIN }, mtls: { handshakesPerSecond: 5 } },
  { service: 'orders', instance: 'orders-b', plaintext: { connectionsPerSecond: 1 }, mtls: { handshakesPerSecond: 1 }, restartsAtMs: [45 * MIN] },
  { service: 'billing', instance: 'billing-a', protocol: 'http', mtls: { handshakesPerSecond: 3, requestsPerHandshake: 4 }, passthroughPerSecond: 1 },
];

const startServer = useServers();
let server: DevServer;
let sidecars: SimulatedSidecars;
let clock = T0;
let consul: ConsulClient;

beforeEach(async () => {
  clock = T0;
  server = await startServer();
  sidecars = await startSimulatedSidecars(scripts, { now: () => clock });
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
  consul = new ConsulClient({ address: server.url, timeoutMs: 5_000, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
});
afterEach(async () => {
  await sidecars.close();
});
afterAll(async () => {
  await sidecars?.close();
});

function source(extra: Record<string, unknown> = {}, state?: StateStore) {
  return createTrafficSampleSource(
    { envoy: EnvoyStatsSchema.parse(extra) },
    { consul, state: state ?? new ConsulKvStateStore(consul), stateKeyPrefix: 'consul-gitops/state', target: 'dc1', env: {} },
  );
}

const windowAt = (now: number, lengthMs = 30 * MIN) => ({ start: now - lengthMs, end: now });
const expectedSeries = (instance: string, times: number[], pick: (c: ReturnType<typeof countersAt>) => number) =>
  times.map((t) => ({
    t,
    v: pick(
      countersAt(
        scripts.find((s) => s.instance === instance)!,
        t - T0,
      ),
    ),
  }));

async function kv(prefix: string): Promise<Array<{ Key: string; Value: string | null }>> {
  const res = await fetch(`${server.url}/v1/kv/${prefix}?recurse=true`);
  return res.status === 404 ? [] : ((await res.json()) as Array<{ Key: string; Value: string | null }>);
}

describe('EnvoyTrafficSource', () => {
  it("accumulates each run's scrape in Consul KV and returns the window's history", async () => {
    const src = source({ retention: '30m' });
    const runs = [0, 10, 20, 30, 40, 50, 60].map((m) => T0 + m * MIN);
    let last: Awaited<ReturnType<typeof src.samples>> = [];
    for (const t of runs) {
      clock = t;
      last = await src.samples([orders, billing], windowAt(t));
    }
    const [o, b] = last;
    expect(o.problems).toEqual([]);
    expect(o.instances.map((i) => i.instance)).toEqual(['orders-a', 'orders-b']);
    const inWindow = runs.filter((t) => t >= T0 + 30 * MIN);
    const a = o.instances[0].metrics;
    expect(a.permissiveConnections).toEqual(expectedSeries('orders-a', inWindow, (c) => c.permissiveConnections));
    expect(a.permissiveConnections!.map((s) => s.v)).toEqual([3000, 3000, 3000, 3000]); // stopped at 25 min
    expect(a.permissiveRxBytes).toEqual(expectedSeries('orders-a', inWindow, (c) => c.permissiveRxBytes));
    expect(a.permissiveTxBytes).toEqual(expectedSeries('orders-a', inWindow, (c) => c.permissiveTxBytes));
    expect(a.mtlsHandshakes).toEqual(expectedSeries('orders-a', inWindow, (c) => c.mtlsHandshakes));
    expect(a.mtlsRxBytes).toEqual(expectedSeries('orders-a', inWindow, (c) => c.mtlsRxBytes));
    expect(a.uptime).toEqual(expectedSeries('orders-a', inWindow, (c) => c.uptimeSeconds));
    // The restart at 45 min is in the raw history: counters and uptime drop.
    const bConns = o.instances[1].metrics.permissiveConnections!.map((s) => s.v);
    expect(bConns).toEqual([1800, 2400, 300, 900]);
    expect(o.instances[1].metrics.uptime!.map((s) => s.v)).toEqual([1800, 2400, 300, 900]);
    expect(b.instances[0].metrics.mtlsHttpRequests).toEqual(expectedSeries('billing-a', inWindow, (c) => c.mtlsHttpRequests));
    expect(b.instances[0].metrics.passthroughConnections).toEqual(expectedSeries('billing-a', inWindow, (c) => c.passthroughConnections));
    // billing has the permissive chain but no plaintext traffic: present and flat at 0, not absent.
    expect(b.instances[0].metrics.permissiveConnections!.every((s) => s.v === 0)).toBe(true);
    expect(o.sources[0]).toBe('consul /v1/health/connect/orders');
    expect(o.sources).toContain('consul kv consul-gitops/state/dc1/advisor/history/default/default/orders/');

    // Stored: an index and one value per instance, pruned to the window.
    const stored = await kv('consul-gitops/state/dc1/advisor/history/default/default/orders');
    expect(stored.map((p) => p.Key).sort()).toEqual([
      'consul-gitops/state/dc1/advisor/history/default/default/orders/i/orders-a',
      'consul-gitops/state/dc1/advisor/history/default/default/orders/i/orders-b',
      'consul-gitops/state/dc1/advisor/history/default/default/orders/index',
    ]);
    const history = decodeHistory(Buffer.from(stored[0].Value!, 'base64').toString())!;
    expect(history.map((s) => s.t)).toEqual(inWindow);
  });

  it('reads the registered envoy_prometheus_bind_addr, not the configured fallback port', async () => {
    const instances = await consul.connectServiceInstances('orders');
    expect(instances.map((i) => i.metricsBindAddress).sort()).toEqual(
      sidecars.sidecars
        .filter((s) => s.script.service === 'orders')
        .map((s) => `0.0.0.0:${s.port}`)
        .sort(),
    );
    const [o] = await source({ port: 1 }).samples([orders], windowAt(clock));
    expect(o.problems).toEqual([]);
    expect(o.instances).toHaveLength(2);
  });

  it('reports an unreachable sidecar by name and keeps the history it already had', async () => {
    const src = source();
    clock = T0 + 10 * MIN;
    await src.samples([orders], windowAt(clock));
    await sidecars.stopInstance('orders-b');
    clock = T0 + 20 * MIN;
    const [o] = await src.samples([orders], windowAt(clock));
    expect(o.problems).toHaveLength(1);
    expect(o.problems[0]).toMatch(/^sidecar orders-b of orders \(127\.0\.0\.1:\d+\) could not be read: unreachable \(ECONNREFUSED\)$/);
    const b = o.instances.find((i) => i.instance === 'orders-b')!;
    expect(b.metrics.permissiveConnections!.map((s) => s.t)).toEqual([T0 + 10 * MIN]);
    const a = o.instances.find((i) => i.instance === 'orders-a')!;
    expect(a.metrics.permissiveConnections!.map((s) => s.t)).toEqual([T0 + 10 * MIN, T0 + 20 * MIN]);
  });

  it('never copies what a sidecar address answered into a problem (the address comes from the catalog)', async () => {
    const [o] = await source({ path: '/admin/secrets', useRegisteredMetricsAddress: true }).samples([orders], windowAt(clock));
    expect(o.problems).toHaveLength(2);
    for (const p of o.problems) expect(p).toMatch(/^sidecar orders-[ab] of orders \(127\.0\.0\.1:\d+\) could not be read: HTTP 404$/);
  });

  it('drops an instance from the index once its history is past the window', async () => {
    const src = source({ retention: '30m' });
    clock = T0;
    await src.samples([orders], windowAt(clock));
    await sidecars.stopInstance('orders-b');
    clock = T0 + 45 * MIN;
    const [o] = await src.samples([orders], windowAt(clock));
    expect(o.instances.map((i) => i.instance)).toEqual(['orders-a']);
    const index = (await kv('consul-gitops/state/dc1/advisor/history/default/default/orders/index'))[0];
    expect(JSON.parse(Buffer.from(index.Value!, 'base64').toString())).toEqual({ v: 1, instances: ['orders-a'] });
  });

  it('a one-off run with a short window answers for that window but keeps the longer history', async () => {
    const src = source(); // retention 7d
    for (const m of [0, 10, 20, 30]) {
      clock = T0 + m * MIN;
      await src.samples([orders], windowAt(clock, 7 * 24 * 3600_000));
    }
    const [short] = await src.samples([orders], windowAt(clock, 5 * MIN));
    expect(short.instances[0].metrics.permissiveConnections!.map((s) => s.t)).toEqual([T0 + 30 * MIN]);
    const [long] = await src.samples([orders], windowAt(clock, 7 * 24 * 3600_000));
    expect(long.instances[0].metrics.permissiveConnections!.map((s) => s.t)).toEqual([0, 10, 20, 30].map((m) => T0 + m * MIN));
  });

  it("keeps each instance's history under maxHistoryBytes by dropping the oldest scrapes", async () => {
    const src = source({ maxHistoryBytes: 1024 });
    for (let m = 0; m < 30; m++) {
      clock = T0 + m * MIN;
      await src.samples([orders], windowAt(clock, 24 * 3600_000));
    }
    const stored = await kv('consul-gitops/state/dc1/advisor/history/default/default/orders/i/orders-a');
    const text = Buffer.from(stored[0].Value!, 'base64').toString();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    const kept = decodeHistory(text)!;
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.at(-1)!.t).toBe(T0 + 29 * MIN);
    expect(kept[0].t).toBeGreaterThan(T0);
  });

  it('reads Envoy admin /stats?format=json when configured', async () => {
    const only = sidecars.sidecars.find((s) => s.script.instance === 'billing-a')!;
    const [b] = await source({ format: 'json', path: '/stats', port: only.port }).samples([billing], windowAt(clock));
    expect(b.problems).toEqual([]);
    expect(b.instances[0].metrics).toEqual({
      permissiveConnections: [{ t: clock, v: 0 }],
      permissiveRxBytes: [{ t: clock, v: 0 }],
      permissiveTxBytes: [{ t: clock, v: 0 }],
      mtlsHandshakes: [{ t: clock, v: 0 }],
      mtlsHttpRequests: [{ t: clock, v: 0 }],
      mtlsRxBytes: [{ t: clock, v: 0 }],
      uptime: [{ t: clock, v: 0 }],
      passthroughConnections: [{ t: clock, v: 0 }],
    });
    expect(b.sources[1]).toMatch(/^billing-a: GET http:\/\/127\.0\.0\.1:\d+\/stats\?…$/);
  });

  it("reports a history write that keeps conflicting, and still returns this run's scrape", async () => {
    const real = new ConsulKvStateStore(consul);
    const conflicting: StateStore = { read: (k) => real.read(k), write: async () => false };
    const [o] = await source({}, conflicting).samples([orders], windowAt(clock));
    expect(o.problems).toEqual([expect.stringMatching(/^sample history of orders not saved: .*index kept changing under concurrent writers \(4 attempts\)$/)]);
    expect(o.instances).toHaveLength(2);
  });

  it("throws only when neither Consul's catalog nor its KV can be read", async () => {
    const down = new ConsulClient({ address: 'http://127.0.0.1:1', timeoutMs: 1_000, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const src = new EnvoyTrafficSource(EnvoyStatsSchema.parse({}), { consul: down, state: new ConsulKvStateStore(down), stateKeyPrefix: 'p', target: 't' });
    await expect(src.samples([orders], windowAt(clock))).rejects.toThrow(StatsSourceUnavailableError);
  });
});

describe("EnvoyTrafficSource tenancy: sidecars are looked up in the service's own namespace and partition", () => {
  it("never judges a namespaced service by the default namespace's same-named sidecars (the dev server is CE and refuses ?ns=)", async () => {
    const teamA = { name: 'orders', namespace: 'team-a', partition: 'default' };
    const [o] = await source().samples([teamA, orders], windowAt(clock));
    expect(o.instances).toEqual([]);
    expect(o.problems).toEqual([
      expect.stringMatching(/^cannot list the sidecars of orders in namespace team-a from Consul: .*Namespaces are a Consul Enterprise feature/),
    ]);
    const [, dflt] = await source().samples([teamA, orders], windowAt(clock));
    expect(dflt.instances.map((i) => i.instance).sort()).toEqual(['orders-a', 'orders-b']);
    const [eu] = await source().samples([{ name: 'orders', namespace: 'default', partition: 'eu' }], windowAt(clock));
    expect(eu.instances).toEqual([]);
    expect(eu.problems[0]).toMatch(/^cannot list the sidecars of orders in partition eu from Consul: .*Partitions are a Consul Enterprise feature/);
  });

  it("sends the service's ?ns= and ?partition= to Consul Enterprise in place of the client's own, default included", async () => {
    const seen: string[] = [];
    const enterprise = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '1' }).end('[]');
    });
    await new Promise<void>((r) => enterprise.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(enterprise.address() as AddressInfo).port}`;
      const retry = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
      const history: StateStore = { read: async () => undefined, write: async () => true };
      const run = async (client: ConsulClient, ref: typeof orders) => {
        const src = new EnvoyTrafficSource(EnvoyStatsSchema.parse({}), { consul: client, state: history, stateKeyPrefix: 'p', target: 't' });
        const [s] = await src.samples([ref], windowAt(clock));
        return s;
      };
      const plain = new ConsulClient({ address: url, timeoutMs: 5_000, retry });
      const s = await run(plain, { name: 'orders', namespace: 'team-a', partition: 'eu' });
      expect(s.sources[0]).toBe('consul /v1/health/connect/orders?ns=team-a&partition=eu');
      await run(plain, orders);
      const scoped = new ConsulClient({ address: url, timeoutMs: 5_000, retry, namespace: 'ops', partition: 'eu' });
      await run(scoped, orders);
      // The sidecar reads (the run also lists the datacenters Consul knows, with no ns or partition).
      const queries = seen.filter((u) => u.startsWith('/v1/health/connect/')).map((u) => Object.fromEntries(new URL(u, url).searchParams));
      expect(queries).toEqual([{ ns: 'team-a', partition: 'eu' }, {}, { ns: 'default', partition: 'default' }]);
    } finally {
      await new Promise((r) => enterprise.close(r));
    }
  });
});

describe('parseStatsFlag', () => {
  it("reads prometheus=URL and envoy, keeping the file's other settings", () => {
    const configured = { prometheus: PrometheusStatsSchema.parse({ url: 'http://x', batchSize: 5 }) };
    const fromFile = parseStatsFlag('prometheus=http://prom.internal:9090', configured);
    expect('prometheus' in fromFile && fromFile.prometheus.url).toBe('http://prom.internal:9090');
    expect('prometheus' in fromFile && fromFile.prometheus.batchSize).toBe(5);
    expect('envoy' in parseStatsFlag('envoy')).toBe(true);
    expect(() => parseStatsFlag('prometheus=ftp://x')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseStatsFlag('graphite')).toThrow(/expected "prometheus=URL" or "envoy"/);
  });
});
