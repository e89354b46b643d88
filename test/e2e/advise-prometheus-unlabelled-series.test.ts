// `advise --stats prometheus=URL` through main() with a real Prometheus holding permissive series
// that lack consul_source_service (relabelled away, or a scrape job without consul-k8s's labels).
// Such series never match a service's query; they must not vanish silently. Plaintext on one whose
// instance is orders' pod makes orders insufficient-data (and not billing), naming the series;
// plaintext on one whose instance no judged service has makes every judged service
// insufficient-data; a flat one is only noted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, PERMISSIVE, sidecarHistory, sidecarLabels, verdictsOf, type JsonVerdict } from '../support/prometheus-sidecar-history.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (unlabelled series): ${missing}`);

const base = historyStart(6);
const pts = (f: (m: number) => number): Array<[number, number]> => Array.from({ length: 301 }, (_, m) => [base + m * MIN, f(m)]);

/** A labelled sidecar of `service`: no plaintext in the data at all, mTLS handshakes throughout. */
function sidecar(service: string) {
  return sidecarHistory({ base, from: 0, to: 300, labels: sidecarLabels(service, { pod: `${service}-pod` }), plaintext: () => 20 });
}
/** A permissive connection counter without the service label: +1 a minute over [from, to), flat elsewhere. */
const unlabelled = (pod: string, from: number, to: number) => ({
  name: 'envoy_tcp_downstream_cx_total',
  labels: { ...PERMISSIVE, pod, job: 'legacy' },
  points: pts((m) => 5 + Math.max(0, Math.min(m, to) - from)),
});

const TREE = {
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

describe.skipIf(missing !== undefined)('advise --stats prometheus, permissive series without the service label', () => {
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    prom = await startPrometheus({
      openMetrics: openMetrics([
        ...sidecar('orders'),
        ...sidecar('billing'),
        unlabelled('orders-pod', 250, 260), // plaintext on orders' pod
        unlabelled('legacy-vm-1', 270, 280), // plaintext on an instance no service has
        { ...unlabelled('legacy-vm-2', 0, 0), labels: { ...PERMISSIVE, pod: 'legacy-vm-2', job: 'legacy' } }, // flat throughout
      ]),
    });
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    await registerSidecar(server.url, 'orders');
    await registerSidecar(server.url, 'billing');
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    await server?.close();
  });

  async function advise(end: number): Promise<Record<string, JsonVerdict>> {
    return verdictsOf(await runAdvise(server.url, ['--window', '1h', '--json'], { cwd: tempTree(TREE), stats: `prometheus=${prom.url}`, now: new Date(end) }));
  }

  it('plaintext on an unlabelled series is attributed by instance where it can be, else to every judged service; a flat one is noted', async () => {
    const v = await advise(base + 300 * MIN);
    const orders = v.orders.reasons.join('\n');
    const billing = v.billing.reasons.join('\n');
    expect(v.orders.verdict).toBe('insufficient-data');
    expect(v.billing.verdict).toBe('insufficient-data');
    // orders' own pod: orders only.
    expect(orders).toContain(
      'a permissiveConnections series without the consul_source_service label rose by 10 inside the window (its instance orders-pod is this service\'s): plaintext on it cannot be attributed, so the evidence is incomplete: {__name__="envoy_tcp_downstream_cx_total",envoy_tcp_prefix="permissive_public_listener",job="legacy",pod="orders-pod"}',
    );
    expect(billing).not.toContain('pod="orders-pod"');
    // An instance no judged service has: every one of them.
    for (const reasons of [orders, billing])
      expect(reasons).toContain(
        "rose by 10 inside the window (it may be any judged service's): plaintext on it cannot be attributed, so the evidence is incomplete",
      );
    // Flat: noted, never a reason.
    expect(v.billing.evidence.sources.join('\n')).toContain(
      'without the consul_source_service label is not used (flat inside the window, so no plaintext on it): {__name__="envoy_tcp_downstream_cx_total",envoy_tcp_prefix="permissive_public_listener",job="legacy",pod="legacy-vm-2"}',
    );
    expect(billing).not.toContain('legacy-vm-2');
  });
});
