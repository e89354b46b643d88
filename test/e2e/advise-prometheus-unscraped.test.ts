// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog:
// Prometheus knows only the sidecars it scrapes. A sidecar registered in Consul with no series at all
// (no scrape annotation, a scrape that fails) may be the one still taking plaintext, so its silence
// is never "no plaintext": the service is insufficient-data, naming the sidecar.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels, verdictsOf } from '../support/prometheus-sidecar-history.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (unscraped sidecars): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;
const POD = 'orders-7d9f-abcde';

/** One scraped sidecar of orders: plaintext stopped before the window, mTLS handshakes throughout. */
function history(): string {
  return openMetrics(
    sidecarHistory({
      base,
      from: 0,
      to: 180,
      labels: sidecarLabels('orders', { consul_source_datacenter: 'dc1', instance: '10.0.0.9:20200', pod: POD }),
      plaintext: (m) => 20 + 3 * Math.min(m, 30),
    }),
  );
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
    return verdictsOf(await runAdvise(server.url, ['--window', '2h', '--json'], { cwd: tempTree(TREE), stats: `prometheus=${prom.url}`, now: new Date(END) }))
      .orders;
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
