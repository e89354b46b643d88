// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog
// (datacenter dc1): one Prometheus holds two Consul datacenters that run the same StatefulSet, so a
// pod is `orders-0` in both. Only dc1's series are this service's: dc2's `orders-0` is set aside
// (noted in the sources), not merged with ours into "two series for one instance", which left the
// service insufficient-data for good, and never judged with its traffic.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, podInDatacenter } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (one pod name in two datacenters): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** Pod `<service>-0` of `service` in datacenter `dc` at `address`, sampled every minute; `plaintext` its permissive connection counter. */
function pod(service: string, dc: string, address: string, plaintext: (m: number) => number) {
  return podInDatacenter({ base, to: 180, service, dc, address, plaintext });
}
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = { 'config-entries/orders.hcl': permissive('orders'), 'config-entries/billing.hcl': permissive('billing') };

describe.skipIf(missing !== undefined)('advise --stats prometheus, one pod name in two datacenters', () => {
  const run = prometheusSidecars({
    history: () => [
      // orders: quiet in dc1; dc2's orders-0 still takes plaintext (dc2's business, not ours).
      ...pod('orders', 'dc1', '10.0.0.8', () => 40),
      ...pod('orders', 'dc2', '10.1.0.8', (m) => 40 + m),
      // billing: dc1's billing-0 takes plaintext; dc2's is quiet.
      ...pod('billing', 'dc1', '10.0.0.9', (m) => 40 + m),
      ...pod('billing', 'dc2', '10.1.0.9', () => 40),
    ],
    tree: TREE,
    end: END,
  });

  it("each service is judged on dc1's orders-0 alone; dc2's is noted as not used", async () => {
    await run.sidecar('orders', { id: 'orders-0', address: '10.0.0.8', meta: { 'pod-name': 'orders-0' } });
    await run.sidecar('billing', { id: 'billing-0', address: '10.0.0.9', meta: { 'pod-name': 'billing-0' } });
    const v = await run.verdicts();
    expect(v.orders.verdict).toBe('ready-for-strict');
    expect(v.orders.evidence.sources.join('\n')).toContain('orders-0: its series carrying consul_source_datacenter="dc2" are not used');
    expect(v.billing.verdict).toBe('still-receiving-plaintext');
    expect(v.billing.reasons.join('\n')).toContain('billing-0');
  });
});
