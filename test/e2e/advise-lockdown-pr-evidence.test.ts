// The mesh lockdown PR's body is what a reviewer merges on: read back from the GitHub double, it must
// say what the sidecars did. One `advise --open-prs` a minute through main(), the Envoy source on
// simulated sidecars registered in the dev server (history in its KV), Git strict everywhere: while
// orders sends traffic outside the mesh through the passthrough cluster, the PR holds
// MeshDestinationsOnly back and its table gives orders' connections inside the window (the
// sidecar's own counter, last sample minus first) and when they were last seen, and names no other
// service; once orders stopped and the window has slid past it, the same PR proposes the flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { TOKEN } from '../adapters/github/client.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const FIRST_RUN = 5;
const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      window: 10m\n      stats: { envoy: { interval: 1m } }\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n\nTransparentProxy {\n  MeshDestinationsOnly = false\n}\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};

let server: DevServer;
let sidecars: SimulatedSidecars;
let github: GitHubDouble;
let clock = T0;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  sidecars = await startSimulatedSidecars(
    [
      { service: 'orders', instance: 'orders-7d9f-abcde', protocol: 'http', mtls: { handshakesPerSecond: 1 }, passthroughPerSecond: 3 },
      { service: 'billing', instance: 'billing-5c4b-fghij', protocol: 'http', mtls: { handshakesPerSecond: 1 } },
    ],
    { now: () => clock },
  );
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterAll(async () => {
  await github?.close();
  await sidecars?.close();
  await server?.close();
});

const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url });
async function adviseAt(minute: number, args: string[]): Promise<void> {
  clock = T0 + minute * MINUTE;
  const run = await runAdvise(server.url, args, { cwd: tempTree(TREE), stats: 'envoy', env: env(), now: new Date(clock) });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

/** Orders' own passthrough counter (what its sidecar serves on /metrics) at a minute of the test's clock. */
function ordersPassthroughAt(minute: number): number {
  const saved = clock;
  clock = T0 + minute * MINUTE;
  const value = sidecars.sidecars.find((s) => s.script.service === 'orders')!.counters().passthroughConnections;
  clock = saved;
  return value;
}

describe('the mesh lockdown PR body and the sidecars it reports on', () => {
  it('holds MeshDestinationsOnly back naming orders alone, with its connections inside the window and when last seen', async () => {
    // The schedule: one run a minute from minute 5 (the sidecars have counted since minute 0), each
    // reading the sidecars into the history in Consul KV.
    for (let m = FIRST_RUN; m <= FIRST_RUN + 11; m++) await adviseAt(m, ['--open-prs']);
    const prs = github.pulls.filter((p) => p.head === 'consul-gitops/mesh-lockdown/dc1');
    expect(prs).toHaveLength(1);
    const { title, body } = prs[0];
    expect(title).toBe('mTLS: lock the mesh down (no permissive mode)');
    // The window the body names: the run that last changed the PR's evidence (a run that only
    // slides the window leaves the PR as it is), ten minutes ending on one of the runs.
    const named = /in the last 10m \((\d{4}-\d\d-\d\d \d\d:\d\d) UTC to (\d{4}-\d\d-\d\d \d\d:\d\d) UTC\)/.exec(body)!;
    const [start, end] = [named[1], named[2]].map((t) => (Date.parse(`${t.replace(' ', 'T')}:00Z`) - T0) / MINUTE);
    expect(end - start).toBe(10);
    expect(end).toBeGreaterThanOrEqual(FIRST_RUN + 8);
    expect(end).toBeLessThanOrEqual(FIRST_RUN + 11);
    const rows = body.split('\n').filter((l) => /^\| `[^`]+` \|/.test(l));
    expect(rows).toHaveLength(1);
    const cells = rows[0]
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    expect(cells[0]).toBe('`orders`');
    // Connections inside the window: the sidecar's counter at the window's last sample minus at its
    // first (a sample a minute from the first run): never the counter's count from before the window.
    const inside = ordersPassthroughAt(end) - ordersPassthroughAt(Math.max(FIRST_RUN, start));
    expect(inside).toBeGreaterThan(0);
    expect(cells[3]).toBe(inside.toLocaleString('en-US'));
    expect(cells[4]).toBe(named[2] + ' UTC');
    expect(body).not.toContain('billing');
    // The change: the permissive switch only, MeshDestinationsOnly left as Git has it.
    expect(body).toContain('-AllowEnablingPermissiveMutualTLS = true\n+AllowEnablingPermissiveMutualTLS = false');
    expect(body).not.toContain('+  MeshDestinationsOnly');
    expect(body).not.toContain('held back because the stats cannot show');
  }, 60_000);
});
