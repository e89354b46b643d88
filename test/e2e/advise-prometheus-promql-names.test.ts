// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog,
// for service names holding what means something in PromQL: a `"` and a `\` (the string literal) and
// `.`, `|`, `*`, `}` and `=~` (the regex the batch is matched with). Escaped twice (regex, then
// string), each name matches exactly its own series: the query is not broken (a refused query would
// leave both insufficient-data: it fails with quote() not escaping), and the plaintext of `payXv2` and
// `x`, which `pay.v2|x*}=~".*` would match unescaped, on a pod named as ours, is not this service's
// (a widened query would fetch them, but series are filed by their exact service label).
import { describe, expect, it } from 'vitest';
import { prometheusMissing } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { prometheusSidecars } from '../support/advise-prometheus-sidecars.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (PromQL in names): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;
const QUOTED = 'orders"\\v2';
const REGEX = 'pay.v2|x*}=~".*';
/** A label value as OpenMetrics text holds it. */
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const hcl = (name: string) =>
  `Kind = "service-defaults"\nName = "${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = { 'config-entries/orders.hcl': hcl(QUOTED), 'config-entries/pay.hcl': hcl(REGEX) };

function pod(service: string, podName: string, address: string, plaintext: (m: number) => number) {
  return sidecarHistory({
    base,
    from: 0,
    to: 180,
    labels: sidecarLabels(escapeLabel(service), { consul_source_datacenter: 'dc1', instance: `${address}:20200`, pod: podName }),
    plaintext,
    listenerAddress: `${address}_20000`,
  });
}

describe.skipIf(missing !== undefined)('advise --stats prometheus, service names with PromQL metacharacters', () => {
  const run = prometheusSidecars({
    history: () => [
      ...pod(QUOTED, 'orders-0', '10.0.0.8', () => 40),
      ...pod(REGEX, 'pay-0', '10.0.0.9', () => 40),
      // What `pay.v2|x*}=~".*` would match unescaped: another service, still taking plaintext, on a pod named as ours.
      ...pod('payXv2', 'pay-0', '10.0.0.10', (m) => 40 + m),
      ...pod('x', 'pay-0', '10.0.0.11', (m) => 40 + m),
    ],
    tree: TREE,
    end: END,
  });

  it('each name reads exactly its own series: both ready-for-strict, the queries answered', async () => {
    await run.sidecar(QUOTED, { id: 'orders-0', address: '10.0.0.8', meta: { 'pod-name': 'orders-0' } });
    await run.sidecar(REGEX, { id: 'pay-0', address: '10.0.0.9', meta: { 'pod-name': 'pay-0' } });
    const v = await run.verdicts();
    expect(v[QUOTED].reasons.join('\n')).not.toContain('prometheus query');
    expect(v[QUOTED].verdict).toBe('ready-for-strict');
    expect(v[REGEX].verdict).toBe('ready-for-strict');
    expect(v[REGEX].evidence.problems).toEqual([]);
  });
});
