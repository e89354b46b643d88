// The open-PR check of stop 17, for the two proposals it did not cover: through main()
// (`advise --open-prs`) against the dev server and the GitHub double, a person's open PR editing
// config-entries/mesh.hcl holds the mesh lockdown PR back, and under `grouping: all` a person's PR
// editing orders' file leaves orders out of the grouped PR (billing is proposed); advise and the
// posture issue say which PR, and each is proposed on the first run after that PR is closed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { TOKEN } from '../adapters/github/client.ts';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  for (const service of ['orders', 'billing']) await registerSidecar(server.url, service);
});
afterAll(() => server.close());
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const NOW = new Date('2026-11-25T12:00:00Z');
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };
const traces = { orders: [quiet], billing: [quiet] };
const open = () => github!.pulls.filter((p) => p.state === 'open').map((p) => p.head);

async function withGitHub(tree: Record<string, string>) {
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(tree);
  const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
  return () => runAdvise(server.url, ['--open-prs'], { cwd: tempTree(tree), traces, env, now: NOW });
}

describe('advise --open-prs: the lockdown and the grouped PR beside an open PR editing the same file', () => {
  it('holds the mesh lockdown PR back while a person edits mesh.hcl, naming the PR, and proposes it once that PR is closed', async () => {
    const tree = {
      'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
      'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "strict"\n',
    };
    const advise = await withGitHub(tree);
    const human = github!.addPullRequest({
      head: 'alice/mesh-http',
      files: { 'config-entries/mesh.hcl': `${tree['config-entries/mesh.hcl']}HTTP { SanitizeXForwardedClientCert = true }\n` },
    });

    const first = await advise();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const reason = `the mesh lockdown is held back: its file config-entries/mesh.hcl is changed by open PR #${human}`;
    expect(first.stdout).toContain(`mesh lockdown: ${reason}`);
    expect(open()).toEqual(['alice/mesh-http']);
    // The issue links our reference to the PR (not made inert) and names the file as code.
    expect(github!.issues[0].body).toContain(`Lockdown: the mesh lockdown is held back: its file \`config-entries/mesh.hcl\` is changed by open PR #${human};`);

    github!.closePullRequest(human);
    const second = await advise();
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('held back');
    expect(open()).toEqual(['consul-gitops/mesh-lockdown/default']);
    expect(github!.unexpected).toEqual([]);
  });

  it('under grouping: all, leaves orders out of the grouped PR while a person edits its file, and adds it once that PR is closed', async () => {
    const tree = {
      'consul-gitops.yaml': 'targets:\n  - name: default\n    advisor:\n      grouping: all\n',
      'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
      'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
      'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "permissive"\n',
    };
    const advise = await withGitHub(tree);
    const human = github!.addPullRequest({
      head: 'alice/orders-timeouts',
      files: { 'config-entries/orders.hcl': `${tree['config-entries/orders.hcl']}Protocol = "http"\n` },
    });

    const first = await advise();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const reason = `orders: its file is changed by open PR #${human}; left out of the grouped strict PR`;
    expect(first.stdout).toContain(reason);
    expect(open()).toEqual(['alice/orders-timeouts', 'consul-gitops/strict/all']);
    const group = github!.pulls.find((p) => p.head === 'consul-gitops/strict/all')!;
    const grouped = () => github!.filesAt('consul-gitops/strict/all');
    expect(grouped()['config-entries/billing.hcl']).toContain('"strict"');
    expect(grouped()['config-entries/orders.hcl']).toContain('"permissive"');
    const issue = github!.issues[0].body;
    expect(issue).toContain(reason);
    // orders' row does not point at the grouped PR, which does not change it.
    const row = (name: string) => issue.split('\n').find((l) => l.startsWith(`| \`${name}\``));
    expect(row('billing')).toContain(`/pull/${group.number}`);
    expect(row('orders')).not.toContain(`/pull/${group.number}`);

    github!.closePullRequest(human);
    const second = await advise();
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('left out');
    expect(open()).toEqual(['consul-gitops/strict/all']);
    expect(grouped()['config-entries/orders.hcl']).toContain('"strict"');
    expect(github!.unexpected).toEqual([]);
  });
});
