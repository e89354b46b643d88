// `advise --stats prometheus=URL` through main() with a real Prometheus and the dev server's catalog,
// for sidecars without consul-k8s's pod-name meta (VMs, Nomad), matched by count: an instance that
// stopped reporting inside the window (a VM taken out) must not stand in for a sidecar registered
// since that Prometheus never scraped. Only instances still reporting at the window's end are
// counted against the sidecars Consul lists now.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels, verdictsOf } from '../support/prometheus-sidecar-history.ts';
import { runAdvise } from '../support/run-advise.ts';

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
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    // 10.0.0.8 reported until 90 minutes into the 3 h of history (taken out); 10.0.0.9 throughout.
    prom = await startPrometheus({ openMetrics: openMetrics([...instance('10.0.0.8:20200', 0, 150), ...instance('10.0.0.9:20200', 0, 180)]) });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });
  beforeEach(async () => {
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    return () => server.close();
  });

  /** The service's verdict from `advise --json` at the history's end. */
  async function orders(): Promise<{ verdict: string; reasons: string[] }> {
    return verdictsOf(await runAdvise(server.url, ['--window', '2h', '--json'], { cwd: tempTree(TREE), stats: `prometheus=${prom.url}`, now: new Date(END) }))
      .orders;
  }
  const sidecar = (id: string, address: string) => registerSidecar(server.url, 'orders', {}, { id, node: `node-${id}`, address });

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
