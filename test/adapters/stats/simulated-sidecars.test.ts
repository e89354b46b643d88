// The simulated sidecars speak Envoy's three stats forms consistently, with consul-dataplane's
// labels, and their counters follow the script (stop, restart, probe noise).
import { afterAll, describe, expect, it } from 'vitest';
import { countersAt, startSimulatedSidecars, type SimulatedSidecars } from '../../../src/dev-server/simulated-sidecars.ts';
import { parseEnvoyStatsJson, parseEnvoyStatsText, parsePrometheusText, snapshotFromEnvoyStats, snapshotFromPrometheus } from '../../../src/stats/index.ts';

let sims: SimulatedSidecars;
let clock = 0;
afterAll(async () => sims?.close());

describe('simulated sidecars', () => {
  it('serve the same counters as Prometheus text, admin JSON and admin text', async () => {
    sims = await startSimulatedSidecars(
      [
        {
          service: 'web',
          instance: 'web-1',
          protocol: 'http',
          plaintext: { connectionsPerSecond: 2, stopsAfterMs: 60_000 },
          mtls: { handshakesPerSecond: 1 },
          restartsAtMs: [90_000],
        },
      ],
      { now: () => clock },
    );
    const base = `http://127.0.0.1:${sims.sidecars[0].port}`;
    clock = 80_000;
    const prom = await (await fetch(`${base}/metrics`)).text();
    expect(await (await fetch(`${base}/stats/prometheus`)).text()).toBe(prom);
    expect(prom).toContain(
      'envoy_tcp_downstream_cx_total{local_cluster="web",consul_source_service="web",consul_source_namespace="default",consul_source_partition="default",consul_source_datacenter="dc1",envoy_tcp_prefix="permissive_public_listener"} 120',
    );
    const fromProm = snapshotFromPrometheus(parsePrometheusText(prom).samples);
    const json = parseEnvoyStatsJson(await (await fetch(`${base}/stats?format=json`)).json());
    expect(snapshotFromEnvoyStats(json.stats)).toEqual(fromProm);
    expect(fromProm).toMatchObject({
      permissive: { listenerPresent: true, connectionsTotal: 120 },
      mtls: { tlsHandshakes: 80, httpRequestsTotal: 240 },
      uptimeSeconds: 80,
    });

    const text = await (await fetch(`${base}/stats?filter=${encodeURIComponent('^server\\.uptime$')}`)).text();
    expect(parseEnvoyStatsText(text).stats).toEqual([{ name: 'server.uptime', value: 80 }]);
    expect((await fetch(`${base}/stats?filter=(`)).status).toBe(400);
  });

  it('restart resets every counter and the uptime; plaintext that stopped stays flat', () => {
    const script = { service: 's', instance: 'i', plaintext: { connectionsPerSecond: 1, stopsAfterMs: 30_000 }, restartsAtMs: [40_000] };
    expect(countersAt(script, 35_000).permissiveConnections).toBe(30);
    expect(countersAt(script, 39_000).permissiveConnections).toBe(30);
    expect(countersAt(script, 50_000)).toMatchObject({ permissiveConnections: 0, uptimeSeconds: 10 });
    // The kubelet readiness probe inflates mTLS connections with no handshakes.
    expect(countersAt(script, 39_000)).toMatchObject({ mtlsConnections: 3, mtlsHandshakes: 0 });
  });
});
