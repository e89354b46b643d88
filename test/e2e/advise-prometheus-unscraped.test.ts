// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog:
// Prometheus knows only the sidecars it scrapes. A sidecar registered in Consul with no series at all
// (no scrape annotation, a scrape that fails) may be the one still taking plaintext, so its silence
// is never "no plaintext": the service is insufficient-data, naming the sidecar.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (unscraped sidecars): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;
const POD = 'orders-7d9f-abcde';

/** One scraped sidecar of orders: plaintext stopped before the window, mTLS handshakes throughout. */
function history() {
  return sidecarHistory({
    base,
    from: 0,
    to: 180,
    labels: sidecarLabels('orders', { consul_source_datacenter: 'dc1', instance: '10.0.0.9:20200', pod: POD }),
    plaintext: (m) => 20 + 3 * Math.min(m, 30),
  });
}
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n' };

describe.skipIf(missing !== undefined)('advise --stats prometheus, a sidecar Consul lists that Prometheus never scraped', () => {
  const run = prometheusSidecars({ history, tree: TREE, end: END });
  /** A sidecar of orders on 10.0.0.9 with this meta (consul-k8s's `pod-name`, or none: VMs, Nomad). */
  const sidecar = (id: string, meta: Record<string, string>) => run.sidecar('orders', { id, address: '10.0.0.9', meta });
  const orders = async () => (await run.verdicts()).orders;

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
