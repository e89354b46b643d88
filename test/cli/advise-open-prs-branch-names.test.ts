// Proposal branches must be one per service: two services whose names differ only in characters a
// git ref cannot hold (`orders+v2`, `orders:v2`) were both `consul-gitops/strict/default/default/orders-v2`,
// so `advise --open-prs` force-pushed the second service's proposal over the first's and one PR
// carried one of them. Through main() against the dev server and the GitHub double. A name that
// needs no cleaning keeps its branch (its open PR is still found); one differing only in case is
// the same service to Consul (config entries are keyed lower-cased), so it is the same branch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { startGitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

const NAMES = ['orders+v2', 'orders:v2', 'orders'];
const TREE = Object.fromEntries(
  NAMES.map((name, i) => [`config-entries/svc-${i}.hcl`, `Kind = "service-defaults"\nName = "${name}"\nMutualTLSMode = "permissive"\n`]),
);
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  for (const name of NAMES) await registerSidecar(server.url, name);
});
afterAll(() => server.close());

describe('advise --open-prs, services whose names clean to the same branch', () => {
  it('opens one PR per service, each on its own branch with its own file', async () => {
    await using github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    // Already open from an earlier run: a name that needs no cleaning keeps this branch, so it is updated, not doubled.
    const existing = github.addPullRequest({ head: 'consul-gitops/strict/default/default/orders', title: 'strict mTLS for orders' });
    const traces = Object.fromEntries(NAMES.map((n) => [n, [quiet]]));

    const run = await runAdvise(server.url, ['--open-prs'], { cwd: tempTree(TREE), traces, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const open = github.pulls.filter((p) => p.state === 'open');
    expect(open).toHaveLength(3);
    expect(new Set(open.map((p) => p.head)).size).toBe(3);
    expect(open.find((p) => p.head === 'consul-gitops/strict/default/default/orders')?.number).toBe(existing);
    // Each branch flips its own service's file, and only that one.
    NAMES.forEach((name, i) => {
      const pr = open.find((p) => github.filesAt(p.head)[`config-entries/svc-${i}.hcl`]?.includes('MutualTLSMode = "strict"'));
      expect(pr, name).toBeDefined();
      expect(pr!.head).toMatch(name === 'orders' ? /\/orders$/ : /\/orders-v2-[0-9a-f]{8}$/);
      const flipped = Object.entries(github.filesAt(pr!.head)).filter(([, text]) => text.includes('MutualTLSMode = "strict"'));
      expect(flipped.map(([path]) => path)).toEqual([`config-entries/svc-${i}.hcl`]);
    });
    expect(github.unexpected).toEqual([]);
  });
});
