// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog:
// a sidecar Consul still lists whose samples stop inside the window (its scrape broke: a changed
// annotation, a network policy, a full target) is not a pod a rollout replaced. Plaintext it took
// since its last sample is invisible, so its early quiet samples are no evidence for the rest of
// the window: the service is insufficient-data, naming the sidecar and when it went quiet.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (silent sidecar): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** Pod `pod` of orders sampled from minute `from` to `to`: no plaintext inside the window, mTLS handshakes throughout. */
function pod(pod: string, address: string, from: number, to: number) {
  return sidecarHistory({
    base,
    from,
    to,
    labels: sidecarLabels('orders', { consul_source_datacenter: 'dc1', instance: `${address}:20200`, pod }),
    plaintext: () => 40,
    listenerAddress: `${address}_20000`,
  });
}
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n' };

describe.skipIf(missing !== undefined)('advise --stats prometheus, a registered sidecar whose samples stop inside the window', () => {
  // orders-a reports throughout; orders-b's scrape stops 60 minutes before the window's end (minute 120 of 180).
  const run = prometheusSidecars({
    history: () => [...pod('orders-a', '10.0.0.8', 0, 180), ...pod('orders-b', '10.0.0.9', 0, 120), ...pod('orders-old', '10.0.0.7', 0, 100)],
    tree: TREE,
    end: END,
  });
  /** A consul-k8s sidecar of orders: its pod's name in the `pod-name` meta. */
  const sidecar = (name: string, address: string) => run.sidecar('orders', { id: name, address, meta: { 'pod-name': name } });
  const orders = async () => (await run.verdicts()).orders;

  it('a pod that stopped reporting and is gone from Consul (replaced) does not hold the service back: ready-for-strict', async () => {
    await sidecar('orders-a', '10.0.0.8');
    expect((await orders()).verdict).toBe('ready-for-strict');
  });

  it('a pod still registered whose samples stop an hour before the end: insufficient-data, naming it', async () => {
    await sidecar('orders-a', '10.0.0.8');
    await sidecar('orders-b', '10.0.0.9');
    const v = await orders();
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain(
      `sidecar orders-b of orders is registered in Consul but Prometheus's last sample of it is at ${new Date(base + 120 * MIN).toISOString().slice(0, 19).replace('T', ' ')} UTC, 1 h before the window's end: plaintext on it since cannot be ruled out`,
    );
  });
});
