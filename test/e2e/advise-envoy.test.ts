// `advise --stats envoy` end to end through main(): simulated sidecars on loopback registered in the
// dev server's catalog, each run scraping them and keeping the samples in the dev server's KV, on a
// clock the test drives (sidecars, history and the window all read it). Also: ACLs that hide part
// of the catalog stop the run with the permission named, never a verdict from a partial view.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import type { AclRules } from '../../src/dev-server/acl.ts';
import { tempTree, type CliRun } from '../support/run-cli.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

let server: DevServer;
let sidecars: SimulatedSidecars;
let clock = T0;

async function startMesh(acl?: DevServerOptions['acl'], token?: string): Promise<void> {
  server = await startDevServer({ host: '127.0.0.1', port: 0, ...(acl ? { acl } : {}) });
  sidecars = await startSimulatedSidecars(
    [
      // orders: the last plaintext caller moved to the mesh 30 s after the start.
      {
        service: 'orders',
        instance: 'orders-7d9f-abcde',
        protocol: 'http',
        plaintext: { connectionsPerSecond: 2, stopsAfterMs: 30_000 },
        mtls: { handshakesPerSecond: 3 },
      },
      // billing: a legacy batch job still calls it in plaintext.
      { service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', plaintext: { connectionsPerSecond: 1 }, mtls: { handshakesPerSecond: 1 } },
    ],
    { now: () => clock },
  );
  await registerSimulatedSidecars(server.url, sidecars.sidecars, token);
}

beforeEach(() => {
  clock = T0;
});
afterEach(async () => {
  await sidecars?.close();
  await server?.close();
});

async function advise(cwd: string, args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', server.url, '--stats', 'envoy', ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => new Date(clock) },
  );
  return { code, stdout, stderr };
}

const row = (out: string, service: string) => out.split('\n').find((l) => l.startsWith(`${service} `));

describe('advise --stats envoy against simulated sidecars', () => {
  it('accumulates samples in Consul KV across runs until the window is covered, then tells the two services apart', async () => {
    await startMesh();
    const cwd = tempTree(TREE);

    // The first run has one sample per sidecar: the window is not covered, so nothing is ready.
    const first = await advise(cwd, ['--window', '3m', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const verdicts = (r: CliRun) => Object.fromEntries(JSON.parse(r.stdout).services.map((s: { service: string; verdict: string }) => [s.service, s.verdict]));
    expect(verdicts(first)).toEqual({ billing: 'insufficient-data', orders: 'insufficient-data' });

    // One run a minute (the schedule), five minutes on: the history in KV now spans the 3m window.
    let last: CliRun = first;
    for (let i = 1; i <= 5; i++) {
      clock = T0 + i * MINUTE;
      last = await advise(cwd, ['--window', '3m']);
      expect(last.code).toBe(0);
    }
    expect(last.stderr).toBe('');
    expect(row(last.stdout, 'orders')).toMatch(/^orders\s+ready-for-strict\s+-\s/);
    expect(row(last.stdout, 'billing')).toMatch(/^billing\s+still-receiving-plaintext\s+2026-11-25T12:05:00Z\s/);
    expect(last.stdout).toContain('Not ready:\n  billing: still-receiving-plaintext\n');
    expect(last.stdout).toContain('billing-5c4b-fghij');
    expect(last.stdout).toContain('2 services judged: 1 still-receiving-plaintext, 1 ready-for-strict.');

    // The samples live in the dev server's KV under the state prefix, one value per instance.
    const keys = (await (await fetch(`${server.url}/v1/kv/consul-gitops/state/default/advisor/history/?keys`)).json()) as string[];
    expect(keys).toEqual(
      expect.arrayContaining([
        'consul-gitops/state/default/advisor/history/default/default/orders/i/orders-7d9f-abcde',
        'consul-gitops/state/default/advisor/history/default/default/billing/i/billing-5c4b-fghij',
      ]),
    );
  });

  it('a sidecar that stops answering makes its service insufficient-data, never ready', async () => {
    await startMesh();
    const cwd = tempTree(TREE);
    for (let i = 0; i <= 4; i++) {
      clock = T0 + i * MINUTE;
      expect((await advise(cwd, ['--window', '3m'])).code).toBe(0);
    }
    await sidecars.stopInstance('orders-7d9f-abcde');
    clock = T0 + 5 * MINUTE;
    const r = await advise(cwd, ['--window', '3m']);
    expect(r.code).toBe(0);
    expect(row(r.stdout, 'orders')).toMatch(/^orders\s+insufficient-data\s/);
    expect(r.stdout).toContain('sidecar orders-7d9f-abcde of orders (127.0.0.1:');
  });

  describe('ACLs: a partial view is never evidence', () => {
    const ROOT = 'root-5e0d7a51-0000-4000-8000-000000000001';
    const ORDERS_ONLY = 'ord-5e0d7a51-0000-4000-8000-000000000002';
    const ORDERS_BILLING = 'obi-5e0d7a51-0000-4000-8000-000000000003';
    const scoped = (prefixes: Record<string, 'read'>): AclRules => ({
      service_prefix: prefixes,
      node_prefix: { '': 'read' },
      key_prefix: { 'consul-gitops/': 'write' },
    });
    beforeEach(async () => {
      await startMesh(
        {
          defaultPolicy: 'deny',
          tokens: [
            { secret: ROOT, management: true },
            { secret: ORDERS_ONLY, rules: scoped({ orders: 'read' }) },
            { secret: ORDERS_BILLING, rules: scoped({ orders: 'read', billing: 'read' }) },
          ],
        },
        ROOT,
      );
    });
    /** A repository whose consul-gitops.yaml reads the token from a file, as a user configures it. */
    function repo(token: string, extra: Record<string, string> = {}): string {
      const dir = tempTree({ ...TREE, ...extra, token: `${token}\n` });
      writeFileSync(join(dir, 'consul-gitops.yaml'), `targets:\n  - name: dc1\n    consul:\n      tokenFile: ${join(dir, 'token')}\n`);
      return dir;
    }

    it('the catalog listing cut short by ACLs: exit 1 naming service:read, no verdict', async () => {
      const r = await advise(repo(ORDERS_ONLY), ['--window', '3m']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('service:read');
      expect(r.stderr).not.toContain(ORDERS_ONLY);
    });

    it("a service's sidecars hidden by ACLs (Consul answers []): exit 1 naming the service and the permission, not insufficient-data", async () => {
      // payments is permissive in Git and has no sidecar the token could see; Consul answers an empty list.
      const r = await advise(
        repo(ORDERS_BILLING, { 'config-entries/payments.hcl': 'Kind = "service-defaults"\nName = "payments"\nMutualTLSMode = "permissive"\n' }),
        ['--window', '3m'],
      );
      expect(r.stdout).toBe('');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the sidecar proxies of "payments"');
      expect(r.stderr).toContain('service:read on "payments"');
      expect(r.stderr).not.toContain(ORDERS_BILLING);
    });
  });
});
