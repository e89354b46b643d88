// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog,
// for sidecars without consul-k8s's pod-name meta (VMs, Nomad), matched by count: an instance that
// stopped reporting inside the window (a VM taken out) must not stand in for a sidecar registered
// since that Prometheus never scraped. Only instances still reporting at the window's end are
// counted against the sidecars Consul lists now.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (replaced sidecar): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** One sidecar of orders reporting from minute `from` to `to`: no plaintext inside the window, mTLS handshakes throughout. */
function instance(address: string, from: number, to: number) {
  return sidecarHistory({
    base,
    from,
    to,
    labels: sidecarLabels('orders', { consul_source_datacenter: 'dc1', instance: address }),
    plaintext: () => 40,
    rxBytes: () => 9_000,
    txBytes: () => 12_000,
    listenerAddress: `${address}_20000`,
  });
}
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n' };

describe.skipIf(missing !== undefined)('advise --stats prometheus, a sidecar without a pod name registered after another stopped reporting', () => {
  // 10.0.0.8 reported until 90 minutes into the 3 h of history (taken out); 10.0.0.9 throughout.
  const run = prometheusSidecars({ history: () => [...instance('10.0.0.8:20200', 0, 150), ...instance('10.0.0.9:20200', 0, 180)], tree: TREE, end: END });
  /** The service's verdict from `advise --json` at the history's end. */
  const orders = async () => (await run.verdicts()).orders;
  const sidecar = (id: string, address: string) => run.sidecar('orders', { id, address });

  it('the one sidecar still registered is the one still reporting: ready-for-strict', async () => {
    await sidecar('orders-9', '10.0.0.9');
    expect((await orders()).verdict).toBe('ready-for-strict');
  });

  it('a new sidecar Prometheus never scraped is not hidden by the one taken out: insufficient-data', async () => {
    await sidecar('orders-9', '10.0.0.9');
    await sidecar('orders-10', '10.0.0.10');
    const v = await orders();
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('Consul lists 2 sidecars of orders but Prometheus has samples for 1');
  });
});
