// The mesh lockdown PR's table of connections outside the mesh, when a sidecar's passthrough series
// is first seen inside the window (the advisor began reading it late). Its first value counts every
// connection since Envoy started: when Envoy started inside the window (its server.uptime says
// when), all of them are inside and the figure is exact; when it started before the window, some
// were before it, and the table must say "up to N", not N. `advise --open-prs` through main(), the
// Envoy source on simulated sidecars registered in the dev server, the PR read back from the double.
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { TOKEN } from '../adapters/github/client.ts';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const MINUTE = 60_000;
const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      window: 10m\n      stats: { envoy: { interval: 1m } }\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};

let server: DevServer;
let sidecars: SimulatedSidecars;
let github: GitHubDouble;
let clock = T0;
afterEach(async () => {
  await github?.close();
  await sidecars?.close();
  await server?.close();
});

/** Orders' sidecar started at T0, passing 3 connections a second outside the mesh; advise runs at each minute given. */
async function ordersRowAfterRunsAt(minutes: number[]): Promise<string[]> {
  clock = T0;
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  sidecars = await startSimulatedSidecars(
    [{ service: 'orders', instance: 'orders-7d9f-abcde', protocol: 'http', mtls: { handshakesPerSecond: 1 }, passthroughPerSecond: 3 }],
    { now: () => clock },
  );
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
  const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
  for (const m of minutes) {
    clock = T0 + m * MINUTE;
    const run = await runAdvise(server.url, ['--open-prs'], { cwd: tempTree(TREE), stats: 'envoy', env, now: new Date(clock) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
  const body = github.pulls.find((p) => p.head === 'consul-gitops/mesh-lockdown/dc1')?.body ?? '';
  const row = body.split('\n').find((l) => l.startsWith('| `orders` |'));
  expect(row, body).toBeDefined();
  return row!
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('connections outside the mesh of a series first seen inside the window', () => {
  it('Envoy started before the window: the table says "up to" the counter’s whole count', async () => {
    // Read first at minute 15, counting since minute 0: the window is minutes 5 to 15. Inside it
    // orders made 10 × 180 connections; the counter holds 15 × 180.
    const cells = await ordersRowAfterRunsAt([15]);
    expect(cells[3]).toBe('up to 2,700');
  });

  it('Envoy started inside the window (its uptime says so): the whole count is inside, and exact', async () => {
    // Read first at minute 3: the window is minutes -7 to 3, and Envoy started at 0.
    const cells = await ordersRowAfterRunsAt([3]);
    expect(cells[3]).toBe('540');
  });
});
