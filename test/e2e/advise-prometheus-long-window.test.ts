// `advise --window 7h --stats prometheus=URL` through main() with a real Prometheus holding a sample
// every 2 s (a short scrape interval): 12,600 points per series in the window, past the 11,000 points a
// range query (query_range) may return per series. The advisor reads raw samples with an instant query of a range selector,
// which has no such limit, so nothing is lost: a quiet service covers the whole window (ready, which
// needs samples at both edges), and one plaintext connection ten minutes before the end is seen.
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (a long window): ${missing}`);

const MINUTES = 7 * 60 + 10;
const PER_MINUTE = 30;
const base = historyStart(Math.ceil(MINUTES / 60) + 1);
const END = base + MINUTES * MIN;
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = { 'config-entries/orders.hcl': permissive('orders'), 'config-entries/billing.hcl': permissive('billing') };

function pod(service: string, address: string, plaintext: (m: number) => number) {
  return sidecarHistory({
    base,
    from: 0,
    to: MINUTES,
    labels: sidecarLabels(service, { consul_source_datacenter: 'dc1', instance: `${address}:20200`, pod: `${service}-0` }),
    plaintext,
    listenerAddress: `${address}_20000`,
    perMinute: PER_MINUTE,
  });
}

describe.skipIf(missing !== undefined)('advise --stats prometheus over a 7-hour window of a sample every 2 s', () => {
  const run = prometheusSidecars({
    history: () => [...pod('orders', '10.0.0.8', () => 40), ...pod('billing', '10.0.0.9', (m) => (m < MINUTES - 10 ? 40 : 41))],
    tree: TREE,
    end: END,
    window: '7h',
  });

  it('reads every sample: orders covers the window and is ready; billing’s one connection at the end is seen', async () => {
    await run.sidecar('orders', { id: 'orders-0', address: '10.0.0.8', meta: { 'pod-name': 'orders-0' } });
    await run.sidecar('billing', { id: 'billing-0', address: '10.0.0.9', meta: { 'pod-name': 'billing-0' } });
    const v = await run.verdicts();
    expect(v.orders.verdict).toBe('ready-for-strict');
    expect(v.billing.verdict).toBe('still-receiving-plaintext');
    expect(v.billing.reasons.join('\n')).toContain('billing-0');
  }, 60_000);
});
