// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog
// (datacenter dc1): one Prometheus (a shared Amazon Managed Prometheus workspace, a federation) holds
// the sidecars of two Consul datacenters, whose `orders` share name, namespace and partition. Another
// datacenter's sidecars are not this service's: their mTLS traffic is no mTLS use of it, and their
// presence must not stand in for a sidecar of ours that Prometheus never scraped.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

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
  const run = prometheusSidecars({
    history: () => [
      // orders: dc1's 10.0.0.8 is scraped, dc1's 10.0.0.9 is not; dc2's 10.1.0.9 is.
      ...sidecar('orders', 'dc1', '10.0.0.8', true),
      ...sidecar('orders', 'dc2', '10.1.0.9', true),
      // billing: no caller uses mTLS in dc1; dc2's billing is busy with mTLS.
      ...sidecar('billing', 'dc1', '10.0.0.20', false),
      ...sidecar('billing', 'dc2', '10.1.0.20', true),
    ],
    tree: TREE,
    end: END,
  });

  it('a sidecar of ours Prometheus never scraped is not hidden by another datacenter’s: insufficient-data', async () => {
    await run.sidecar('orders', { id: 'orders-8', address: '10.0.0.8' });
    await run.sidecar('orders', { id: 'orders-9', address: '10.0.0.9' });
    await run.sidecar('billing', { id: 'billing-20', address: '10.0.0.20' });
    const v = (await run.verdicts()).orders;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('Consul lists 2 sidecars of orders but Prometheus has samples for 1');
  });

  it('another datacenter’s mTLS traffic is no mTLS use of ours: no-mtls-traffic-yet', async () => {
    await run.sidecar('orders', { id: 'orders-8', address: '10.0.0.8' });
    await run.sidecar('billing', { id: 'billing-20', address: '10.0.0.20' });
    const all = await run.verdicts();
    expect(all.orders.verdict).toBe('ready-for-strict');
    expect(all.billing.verdict).toBe('no-mtls-traffic-yet');
    expect(all.billing.evidence.sources.join('\n')).toContain('10.1.0.20:20200');
  });
});
