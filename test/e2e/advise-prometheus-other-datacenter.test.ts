// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog
// (datacenter dc1): one Prometheus (a shared Amazon Managed Prometheus workspace, a federation) holds
// the sidecars of two Consul datacenters, whose `orders` share name, namespace and partition. Another
// datacenter's sidecars are not this service's: their mTLS traffic is no mTLS use of it, and their
// presence must not stand in for a sidecar of ours that Prometheus never scraped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels, verdictsOf } from '../support/prometheus-sidecar-history.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (another datacenter): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** A sidecar of `service` in datacenter `dc` at `address` (no pod name: VMs), reporting throughout with no plaintext; `mtls` says whether callers use mTLS. */
function sidecar(service: string, dc: string, address: string, mtls: boolean) {
  return sidecarHistory({
    base,
    from: 0,
    to: 180,
    labels: sidecarLabels(service, { consul_source_datacenter: dc, instance: `${address}:20200` }),
    plaintext: () => 40,
    handshakes: mtls ? (m) => 5 * m : () => 0,
    listenerAddress: `${address}_20000`,
  });
}
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = { 'config-entries/orders.hcl': permissive('orders'), 'config-entries/billing.hcl': permissive('billing') };

describe.skipIf(missing !== undefined)('advise --stats prometheus, a Prometheus holding two datacenters', () => {
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    prom = await startPrometheus({
      openMetrics: openMetrics([
        // orders: dc1's 10.0.0.8 is scraped, dc1's 10.0.0.9 is not; dc2's 10.1.0.9 is.
        ...sidecar('orders', 'dc1', '10.0.0.8', true),
        ...sidecar('orders', 'dc2', '10.1.0.9', true),
        // billing: no caller uses mTLS in dc1; dc2's billing is busy with mTLS.
        ...sidecar('billing', 'dc1', '10.0.0.20', false),
        ...sidecar('billing', 'dc2', '10.1.0.20', true),
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });
  beforeEach(async () => {
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    return () => server.close();
  });

  async function verdicts() {
    return verdictsOf(await runAdvise(server.url, ['--window', '2h', '--json'], { cwd: tempTree(TREE), stats: `prometheus=${prom.url}`, now: new Date(END) }));
  }
  const place = (id: string, address: string) => ({ id, node: `node-${id}`, address });

  it('a sidecar of ours Prometheus never scraped is not hidden by another datacenter’s: insufficient-data', async () => {
    await registerSidecar(server.url, 'orders', {}, place('orders-8', '10.0.0.8'));
    await registerSidecar(server.url, 'orders', {}, place('orders-9', '10.0.0.9'));
    await registerSidecar(server.url, 'billing', {}, place('billing-20', '10.0.0.20'));
    const v = (await verdicts()).orders;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('Consul lists 2 sidecars of orders but Prometheus has samples for 1');
  });

  it('another datacenter’s mTLS traffic is no mTLS use of ours: no-mtls-traffic-yet', async () => {
    await registerSidecar(server.url, 'orders', {}, place('orders-8', '10.0.0.8'));
    await registerSidecar(server.url, 'billing', {}, place('billing-20', '10.0.0.20'));
    const all = await verdicts();
    expect(all.orders.verdict).toBe('ready-for-strict');
    expect(all.billing.verdict).toBe('no-mtls-traffic-yet');
    expect(all.billing.evidence.sources.join('\n')).toContain('10.1.0.20:20200');
  });
});
