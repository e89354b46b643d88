// `advise --stats prometheus=URL` end to end through main(): a real Prometheus (Debian's package) on
// loopback with three hours of history loaded as TSDB blocks, the dev server holding the catalog,
// and the verdicts the decision gives on raw samples. Outside CI without the binary it skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, sidecarHistory, sidecarLabels } from '../support/prometheus-sidecar-history.ts';
import { tempTree, type CliRun } from '../support/run-cli.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus end to end: ${missing}`);

// Three hours of 1-minute samples ending an hour before the real now (inside Prometheus's block range).
const base = historyStart(4);
const END = base + 180 * MIN;

/** orders: plaintext stopped at minute 30 (before the 2h window); billing: plaintext still rising. */
function history(): string {
  const service = (name: string, pod: string, plainPerMin: number, stopAt: number) =>
    sidecarHistory({
      base,
      from: 0,
      to: 180,
      labels: sidecarLabels(name, { consul_source_datacenter: 'dc1', instance: `10.0.0.${pod.length}:20200`, pod }),
      plaintext: (m) => 20 + plainPerMin * Math.min(m, stopAt),
      listenerAddress: '10.0.0.8_20000',
    });
  return openMetrics([...service('orders', 'orders-7d9f-abcde', 3, 30), ...service('billing', 'billing-5c4b-fghij', 2, Infinity)]);
}

const TREE = {
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

describe.skipIf(missing !== undefined)('advise --stats prometheus=URL against a real Prometheus', () => {
  let prom: RunningPrometheus;
  let server: DevServer;
  beforeAll(async () => {
    [prom, server] = await Promise.all([startPrometheus({ openMetrics: history() }), startDevServer({ host: '127.0.0.1', port: 0 })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([prom?.stop(), server?.close()]);
  });

  async function advise(args: string[]): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const code = await main(
      ['advise', '--consul', server.url, '--stats', `prometheus=${prom.url}`, ...args],
      { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
      { now: () => new Date(END) },
    );
    return { code, stdout, stderr };
  }

  it('judges from the raw history: orders ready, billing still receiving plaintext (with the instance and when)', async () => {
    const r = await advise(['--window', '2h', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toContain(prom.url);
    const byName = Object.fromEntries(out.services.map((s: { service: string }) => [s.service, s]));
    expect(byName.orders.verdict).toBe('ready-for-strict');
    expect(byName.billing.verdict).toBe('still-receiving-plaintext');
    expect(JSON.stringify(byName.billing.evidence.instances)).toContain('billing-5c4b-fghij');
    expect(byName.billing.evidence.permissive.connections).toBe(240);
  });

  it("a 5h window takes in orders' plaintext before minute 30: not ready, and when it was last seen", async () => {
    const r = await advise(['--window', '5h']);
    expect(r.code).toBe(0);
    const lastSeen = new Date(base + 30 * MIN).toISOString().replace('.000Z', 'Z');
    expect(r.stdout).toMatch(new RegExp(`^orders\\s+still-receiving-plaintext\\s+${lastSeen}\\s`, 'm'));
    expect(r.stdout).toMatch(/^billing\s+still-receiving-plaintext/m);
    expect(r.stdout).not.toContain('ready-for-strict');
  });
});
