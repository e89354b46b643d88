// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog
// (datacenter dc1): one Prometheus holds the sidecars of two Consul datacenters, and one datacenter's
// scrape drops `consul_source_datacenter`. Once the service's series carry the label, a series without
// it may be the other datacenter's: it must not stand in for an unscraped sidecar of ours (matched by
// count, VMs with no pod name), nor its mTLS traffic make ours ready. A series whose pod name is one
// of our sidecars' is ours by name, and is used.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (a datacenter label dropped): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** A sidecar of `service` at `instance` reporting throughout with no plaintext, labelled with datacenter `dc` unless undefined; `mtls` says whether callers use mTLS. */
function sidecar(service: string, dc: string | undefined, instance: string, mtls: boolean) {
  return sidecarHistory({
    base,
    from: 0,
    to: 180,
    labels: sidecarLabels(service, { ...(dc ? { consul_source_datacenter: dc } : {}), instance }),
    plaintext: () => 40,
    handshakes: mtls ? (m) => 5 * m : () => 0,
    listenerAddress: `${instance.replace(/:.*/, '')}_20000`,
  });
}
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = {
  'config-entries/orders.hcl': permissive('orders'),
  'config-entries/billing.hcl': permissive('billing'),
  'config-entries/cart.hcl': permissive('cart'),
  'config-entries/ship.hcl': permissive('ship'),
};

describe.skipIf(missing !== undefined)('advise --stats prometheus, another datacenter’s scrape dropping the datacenter label', () => {
  const run = prometheusSidecars({
    history: () => [
      // orders: dc1's 10.0.0.8 is scraped (labelled), dc1's 10.0.0.9 is not; dc2's 10.1.0.9 is, without the label.
      ...sidecar('orders', 'dc1', '10.0.0.8:20200', true),
      ...sidecar('orders', undefined, '10.1.0.9:20200', true),
      // billing: no caller uses mTLS in dc1 (labelled); dc2's billing is busy with mTLS, without the label.
      ...sidecar('billing', 'dc1', '10.0.0.20:20200', false),
      ...sidecar('billing', undefined, '10.1.0.20:20200', true),
      // cart: pods cart-a (labelled dc1) and cart-b (its scrape drops the label) are both ours by pod name.
      ...sidecar('cart', 'dc1', 'cart-a', true),
      ...sidecar('cart', undefined, 'cart-b', true),
      // ship: our pod ship-a (labelled dc1) has no mTLS caller; ship-z, no pod of ours, is busy with mTLS without the label.
      ...sidecar('ship', 'dc1', 'ship-a', false),
      ...sidecar('ship', undefined, 'ship-z', true),
    ],
    tree: TREE,
    end: END,
  });

  it('an unlabelled series does not stand in for an unscraped sidecar of ours: insufficient-data naming it', async () => {
    await run.sidecar('orders', { id: 'orders-8', address: '10.0.0.8' });
    await run.sidecar('orders', { id: 'orders-9', address: '10.0.0.9' });
    const v = (await run.verdicts()).orders;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('10.1.0.9:20200');
    expect(v.reasons.join('\n')).toContain('consul_source_datacenter');
  });

  it('an unlabelled series’ mTLS traffic makes nothing of ours ready: insufficient-data naming it', async () => {
    await run.sidecar('billing', { id: 'billing-20', address: '10.0.0.20' });
    const v = (await run.verdicts()).billing;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('10.1.0.20:20200');
  });

  it('an unlabelled series whose pod name is one of our sidecars’ is ours: ready-for-strict', async () => {
    await run.sidecar('cart', { id: 'cart-a', address: '10.0.0.30', meta: { 'pod-name': 'cart-a' } });
    await run.sidecar('cart', { id: 'cart-b', address: '10.0.0.31', meta: { 'pod-name': 'cart-b' } });
    const v = (await run.verdicts()).cart;
    expect(v.verdict).toBe('ready-for-strict');
  });

  it('an unlabelled series whose pod name is none of our sidecars’ is not ours: insufficient-data naming it', async () => {
    await run.sidecar('ship', { id: 'ship-a', address: '10.0.0.40', meta: { 'pod-name': 'ship-a' } });
    const v = (await run.verdicts()).ship;
    expect(v.verdict).toBe('insufficient-data');
    expect(v.reasons.join('\n')).toContain('ship-z');
  });
});
