// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog:
// Prometheus knows only the sidecars it scrapes. A sidecar registered in Consul with no series at all
// (no scrape annotation, a scrape that fails) may be the one still taking plaintext, so its silence
// is never "no plaintext": the service is insufficient-data, naming the sidecar.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { tempTree } from '../support/run-cli.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (unscraped sidecars): ${missing}`);

const MIN = 60_000;
const base = Math.floor(Date.now() / MIN) * MIN - 4 * 3600_000;
const END = base + 180 * MIN;
const minutes = Array.from({ length: 181 }, (_, i) => i);
const POD = 'orders-7d9f-abcde';
const labels = {
  consul_source_service: 'orders',
  consul_source_namespace: 'default',
  consul_source_partition: 'default',
  consul_source_datacenter: 'dc1',
  instance: '10.0.0.9:20200',
  pod: POD,
};
const perm = { envoy_tcp_prefix: 'permissive_public_listener' };

/** One scraped sidecar of orders: plaintext stopped before the window, mTLS handshakes throughout. */
function history(): string {
  const pts = (f: (m: number) => number): Array<[number, number]> => minutes.map((m) => [base + m * MIN, f(m)]);
  return openMetrics([
    { name: 'envoy_tcp_downstream_cx_total', labels: { ...labels, ...perm }, points: pts((m) => 20 + 3 * Math.min(m, 30)) },
    { name: 'envoy_tcp_downstream_cx_rx_bytes_total', labels: { ...labels, ...perm }, points: pts((m) => 300 * (20 + 3 * Math.min(m, 30))) },
    { name: 'envoy_tcp_downstream_cx_tx_bytes_total', labels: { ...labels, ...perm }, points: pts((m) => 600 * (20 + 3 * Math.min(m, 30))) },
    { name: 'envoy_listener_ssl_handshake', labels: { ...labels, envoy_listener_address: '10.0.0.9_20000' }, points: pts((m) => 5 * m) },
    { name: 'envoy_server_uptime', labels, points: pts((m) => 86_400 + m * 60) },
  ]);
}
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n' };

describe.skipIf(missing !== undefined)('advise --stats prometheus, a sidecar Consul lists that Prometheus never scraped', () => {
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: history() });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });
  beforeEach(async () => {
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    return () => server.close();
  });

  async function sidecar(id: string, meta: Record<string, string>): Promise<void> {
    const res = await fetch(`${server.url}/v1/catalog/register`, {
      method: 'PUT',
      body: JSON.stringify({
        Node: `node-${id}`,
        Address: '10.0.0.9',
        Service: { ID: id, Kind: 'connect-proxy', Service: 'orders-sidecar-proxy', Port: 20000, Meta: meta, Proxy: { DestinationServiceName: 'orders' } },
      }),
    });
    expect(res.status).toBe(200);
  }

  async function orders(): Promise<{ verdict: string; reasons: string[] }> {
    let stdout = '';
    let stderr = '';
    const code = await main(
      ['advise', '--consul', server.url, '--stats', `prometheus=${prom.url}`, '--window', '2h', '--json'],
      { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
      { now: () => new Date(END) },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { services: { service: string; verdict: string; reasons: string[] }[] }).services.find((s) => s.service === 'orders')!;
  }

  it('every registered sidecar scraped: ready-for-strict', async () => {
    await sidecar('orders-a', { 'pod-name': POD });
    expect((await orders()).verdict).toBe('ready-for-strict');
  });

  it('a second pod with no series: insufficient-data, naming it', async () => {
    await sidecar('orders-a', { 'pod-name': POD });
    await sidecar('orders-b', { 'pod-name': 'orders-7d9f-zzzzz' });
    const v = await orders();
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain(
      'sidecar orders-7d9f-zzzzz of orders is registered in Consul but Prometheus has no sample of it in the window: plaintext on it cannot be ruled out',
    );
  });

  it('sidecars without pod names (VMs, Nomad): more registered than reporting is insufficient-data', async () => {
    await sidecar('orders-a', {});
    await sidecar('orders-b', {});
    const v = await orders();
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('Consul lists 2 sidecars of orders but Prometheus has samples for 1');
  });
});
