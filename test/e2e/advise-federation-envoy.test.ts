// `advise --stats envoy` through main() with two WAN-federated datacenters, each a real dev server
// behind test/support/fed-federated-consul.ts, and simulated sidecars on loopback registered in each.
// Config entries replicate, so `orders`' sidecar in dc2 takes plaintext under the same permissive
// service-defaults: it is listed with `?dc=dc2`, scraped as ours are (the CLI allows loopback), kept
// in the history under `dc2/<pod>` (dc2 runs the same pod name), and its plaintext keeps orders permissive.
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { tempTree, type CliRun } from '../support/run-cli.ts';
import { startFederatedConsul, type FederatedConsul } from '../support/fed-federated-consul.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const TREE = { 'config-entries/orders.hcl': permissive('orders'), 'config-entries/billing.hcl': permissive('billing') };

let consul: FederatedConsul;
let sidecars: SimulatedSidecars;
let clock = T0;

beforeEach(async () => {
  clock = T0;
  consul = await startFederatedConsul();
  sidecars = await startSimulatedSidecars(
    [
      // orders: quiet in dc1 after its last plaintext caller moved at 30 s; dc2's orders-0 still takes plaintext.
      {
        service: 'orders',
        instance: 'orders-0',
        protocol: 'http',
        plaintext: { connectionsPerSecond: 2, stopsAfterMs: 30_000 },
        mtls: { handshakesPerSecond: 3 },
      },
      {
        service: 'orders',
        instance: 'orders-0',
        protocol: 'http',
        plaintext: { connectionsPerSecond: 1 },
        mtls: { handshakesPerSecond: 3 },
        datacenter: 'dc2',
      },
      // billing: quiet in both.
      { service: 'billing', instance: 'billing-0', protocol: 'http', mtls: { handshakesPerSecond: 2 } },
      { service: 'billing', instance: 'billing-0', protocol: 'http', mtls: { handshakesPerSecond: 2 }, datacenter: 'dc2' },
    ],
    { now: () => clock },
  );
  await registerSimulatedSidecars(
    consul.dc1.url,
    sidecars.sidecars.filter((s) => s.script.datacenter === undefined),
  );
  await registerSimulatedSidecars(
    consul.dc2.url,
    sidecars.sidecars.filter((s) => s.script.datacenter === 'dc2'),
  );
  return async () => {
    await sidecars.close();
    await consul.close();
  };
});

async function advise(args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', consul.url, '--stats', 'envoy', ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => new Date(clock), env: {} },
  );
  return { code, stdout, stderr };
}

type Verdicts = Record<string, { verdict: string; reasons: string[]; evidence: { sources: string[] } }>;
const verdicts = (r: CliRun): Verdicts => Object.fromEntries(JSON.parse(r.stdout).services.map((s: Verdicts[string] & { service: string }) => [s.service, s]));

describe('advise --stats envoy, two WAN-federated datacenters', () => {
  it('scrapes dc2’s sidecars too: its plaintext keeps orders permissive, billing quiet in both is ready and its evidence names dc2', async () => {
    const cwd = tempTree(TREE);
    let last: CliRun | undefined;
    for (let i = 0; i <= 5; i++) {
      clock = T0 + i * MINUTE;
      last = await advise(['--window', '3m', '--json'], cwd);
      expect(last.stderr).toBe('');
      expect(last.code).toBe(0);
    }
    const v = verdicts(last!);
    expect(v.orders.verdict).toBe('still-receiving-plaintext');
    expect(v.billing.verdict).toBe('ready-for-strict');
    const sources = v.billing.evidence.sources.join('\n');
    expect(sources).toContain('consul /v1/health/connect/billing?dc=dc2');
    expect(sources).toMatch(/^dc2\/billing-0: GET http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    expect(sources).toContain('sidecars judged per WAN-federated datacenter (config entries replicate to each): dc1: 1 sidecar; dc2: 1 sidecar');
    const keys = (await (await fetch(`${consul.dc1.url}/v1/kv/consul-gitops/state/default/advisor/history/?keys`)).json()) as string[];
    expect(keys).toEqual(
      expect.arrayContaining([
        'consul-gitops/state/default/advisor/history/default/default/orders/i/orders-0',
        'consul-gitops/state/default/advisor/history/default/default/orders/i/dc2%2Forders-0',
      ]),
    );
  });

  it('dc2 unreachable: billing is insufficient-data naming dc2, and the run still answers', async () => {
    const cwd = tempTree(TREE);
    for (let i = 0; i <= 5; i++) {
      clock = T0 + i * MINUTE;
      if (i === 5) consul.setDc2('no-path');
      const r = await advise(['--window', '3m', '--json'], cwd);
      expect(r.code).toBe(0);
      if (i === 5) {
        const v = verdicts(r);
        expect(v.billing.verdict).toBe('insufficient-data');
        expect(v.billing.reasons.join('\n')).toMatch(
          /cannot list the sidecars of billing in datacenter dc2, which is WAN-federated.*500 No path to datacenter/,
        );
      }
    }
  });
});
