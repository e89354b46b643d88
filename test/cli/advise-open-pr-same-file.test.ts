// No strict PR beside an open PR that already edits the service's file: through main()
// (`advise --open-prs`) against the dev server and the GitHub double, a person's open PR changing
// config-entries/orders.hcl holds orders' strict PR back with a reason `advise` prints and the
// posture issue carries; billing, whose file nobody edits, is proposed; once the person's PR is
// closed, orders is proposed on the next run.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  for (const s of ['orders', 'billing']) {
    const res = await fetch(`${server.url}/v1/catalog/register`, {
      method: 'PUT',
      body: JSON.stringify({
        Node: 'n1',
        Address: '10.0.0.7',
        Service: { Kind: 'connect-proxy', Service: `${s}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: s } },
      }),
    });
    expect(res.status).toBe(200);
  }
});
afterAll(() => server.close());
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const NOW = new Date('2026-11-25T12:00:00Z');
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "permissive"\n',
};
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };
const traces = { orders: [quiet], billing: [quiet] };

describe('advise --open-prs beside an open PR editing the same file', () => {
  it('holds the strict PR back, says why in advise and the posture issue, and proposes it once that PR is closed', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const human = github.addPullRequest({
      head: 'alice/orders-timeouts',
      files: { 'config-entries/orders.hcl': `${TREE['config-entries/orders.hcl']}Protocol = "http"\n` },
    });
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const advise = () => runAdvise(server.url, ['--open-prs'], { cwd: tempTree(TREE), traces, env, now: NOW });

    const first = await advise();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const reason = `orders: its file is changed by open PR #${human}; strict PR held back`;
    expect(first.stdout).toContain(reason);
    expect(github.pulls.filter((p) => p.state === 'open').map((p) => p.head)).toEqual([
      'alice/orders-timeouts',
      'consul-gitops/strict/default/default/billing',
    ]);
    expect(github.issues[0].body).toContain(reason);
    // Only the open PRs' file lists were read, each once.
    expect(github.count('GET', /\/pulls\/\d+\/files$/)).toBe(1);

    github.closePullRequest(human);
    const second = await advise();
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('strict PR held back');
    expect(github.pulls.filter((p) => p.state === 'open').map((p) => p.head)).toEqual([
      'consul-gitops/strict/default/default/billing',
      'consul-gitops/strict/default/default/orders',
    ]);
    expect(github.unexpected).toEqual([]);
  });
});
