// `advise --stats prometheus=URL` through main() with a real Prometheus whose clock runs ahead of
// ours: the run's clock says END, but Prometheus has already stamped samples up to 25 minutes later.
// The window (END - 2h, END] alone is quiet for both services; orders' plaintext counter rose in
// the samples stamped after END, so it must not come out ready-for-strict (the reason names the
// instance and how far after our clock the samples are); billing, quiet after END too, is ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (clock ahead): ${missing}`);

const base = historyStart(5);
/** Our clock: Prometheus's newest samples are stamped 25 minutes after it. */
const END = base + 180 * MIN;

/** One sidecar of `service`: plaintext stopped long before the window; `late` connections from minute 190 (after END). */
function sidecar(service: string, late: number) {
  return sidecarHistory({
    base,
    from: 0,
    to: 205,
    labels: sidecarLabels(service, { pod: `${service}-7d9f-abcde` }),
    plaintext: (m) => 20 + (m >= 190 ? late : 0),
  });
}

const TREE = {
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

describe.skipIf(missing !== undefined)('advise --stats prometheus, Prometheus clock ahead of ours', () => {
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: openMetrics([...sidecar('orders', 4), ...sidecar('billing', 0)]) });
    server = await startDevServer({ host: '127.0.0.1', port: 0 });
    await registerSidecar(server.url, 'orders');
    await registerSidecar(server.url, 'billing');
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    await server?.close();
  });

  it('plaintext stamped after our clock refuses ready-for-strict, naming the instance and the skew; quiet samples there do not', async () => {
    const { code, stdout, stderr } = await runAdvise(server.url, ['--window', '2h', '--json'], {
      cwd: tempTree(TREE),
      stats: `prometheus=${prom.url}`,
      now: new Date(END),
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const services = (JSON.parse(stdout) as { services: { service: string; verdict: string; reasons: string[] }[] }).services;
    const of = (name: string) => services.find((s) => s.service === name)!;
    expect(of('billing').verdict).toBe('ready-for-strict');
    expect(of('orders').verdict).toBe('insufficient-data');
    expect(of('orders').reasons.join('\n')).toContain(
      `orders-7d9f-abcde: permissiveConnections rose by 4 in samples stamped up to ${new Date(base + 205 * MIN).toISOString()}, 1500 s after this run's clock (${new Date(END).toISOString()}): Prometheus's clock is ahead of ours`,
    );
  });
});
