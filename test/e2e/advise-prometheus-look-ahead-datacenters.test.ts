// `advise --stats prometheus=URL` through main() with a real Prometheus holding two unfederated
// Consul datacenters whose `orders` share a pod name, and samples stamped after the run's window
// (Prometheus's clock ahead of ours). The read after the window's end does not keep only our
// datacenter's series: another's can only refuse, never make ready. Our own plaintext there must be
// measured from our own last sample in the window, not from another datacenter's same-named pod.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, podInDatacenter } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (after the window, two datacenters): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** Pod `<service>-0` of `service` in datacenter `dc` at `address`, sampled to 20 minutes past the window's end. */
function pod(service: string, dc: string, address: string, plaintext: (m: number) => number) {
  return podInDatacenter({ base, to: 200, service, dc, address, plaintext });
}
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = { 'config-entries/orders.hcl': permissive('orders'), 'config-entries/billing.hcl': permissive('billing') };

describe.skipIf(missing !== undefined)('advise --stats prometheus, samples after the window in two unfederated datacenters', () => {
  const run = prometheusSidecars({
    history: () => [
      // orders: ours (dc1) quiet in the window, 5 plaintext connections after its end; datacenter
      // "aa" (sorted before ours) has the same pod at the count ours reached.
      ...pod('orders', 'dc1', '10.0.0.8', (m) => (m <= 180 ? 40 : 45)),
      ...pod('orders', 'aa', '10.9.0.8', () => 45),
      // billing: ours quiet throughout; datacenter dc3's billing-0 takes plaintext after the window's end.
      ...pod('billing', 'dc1', '10.0.0.9', () => 40),
      ...pod('billing', 'dc3', '10.3.0.9', (m) => (m <= 180 ? 40 : 40 + m)),
    ],
    tree: TREE,
    end: END,
  });

  it('our plaintext after the window is measured from our own last sample, not another datacenter’s pod of the same name', async () => {
    await run.sidecar('orders', { id: 'orders-0', address: '10.0.0.8', meta: { 'pod-name': 'orders-0' } });
    await run.sidecar('billing', { id: 'billing-0', address: '10.0.0.9', meta: { 'pod-name': 'billing-0' } });
    const v = (await run.verdicts()).orders;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toMatch(/orders-0: permissiveConnections rose by 5 in samples stamped up to/);
  });

  it('another datacenter’s plaintext after the window can only refuse ours, never make it ready (a pin)', async () => {
    await run.sidecar('orders', { id: 'orders-0', address: '10.0.0.8', meta: { 'pod-name': 'orders-0' } });
    await run.sidecar('billing', { id: 'billing-0', address: '10.0.0.9', meta: { 'pod-name': 'billing-0' } });
    const v = (await run.verdicts()).billing;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toMatch(/billing-0: permissiveConnections rose by \d+ in samples stamped up to/);
  });
});
