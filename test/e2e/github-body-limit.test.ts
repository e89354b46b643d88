// GitHub refuses an issue, pull request or comment body over 65,536 characters (422, "body is too
// long"); the GitHub double now does too. Every body we write must fit, and when one is cut, say
// where and where the rest is. Here the mesh lockdown PR, whose held-back note was appended after
// the body was fitted: with a mesh file whose one-line JSON (a full Meta) fills the diff, the body
// passed the limit and the PR was never opened. `advise --open-prs` through main(), the dev server,
// the GitHub double.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { TOKEN } from '../adapters/github/client.ts';

let server: DevServer;
let github: GitHubDouble;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await registerSidecar(server.url, 'orders');
  github = await startGitHubDouble({ token: TOKEN });
});
afterAll(async () => {
  await github.close();
  await server.close();
});

const NOW = new Date('2026-11-25T12:00:00Z');
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };
// Consul's most: 64 Meta pairs, keys of 128 characters, values of 512 (structs.validateMetaPair).
const meta = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${String(i).padStart(2, '0')}${'k'.repeat(125)}`, 'v'.repeat(512)]));
const TREE = {
  'config-entries/mesh.json': `${JSON.stringify({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: meta })}\n`,
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "strict"\n',
};

describe('bodies over GitHub’s 65,536 characters', () => {
  it('the GitHub double answers 422 body is too long, as GitHub does', async () => {
    github.addCommit({ 'README.md': 'x' });
    const res = await fetch(`${github.url}/repos/${github.owner}/${github.repo}/issues`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 't', body: 'é'.repeat(65_537) }),
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('body is too long (maximum is 65536 characters)');
  });

  it('the mesh lockdown PR with a diff past the limit is opened, cut at a line with its fence closed, saying where the rest is', async () => {
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(server.url, ['--open-prs'], { cwd: tempTree(TREE), traces: { orders: [quiet] }, env, now: NOW });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const pr = github.pulls.find((p) => p.head === 'consul-gitops/mesh-lockdown/default');
    expect(pr, run.stdout).toBeDefined();
    const body = pr!.body;
    expect([...body].length).toBeLessThanOrEqual(65_536);
    // The note stays outside any code block: every fence opened before it is closed.
    const [before] = body.split('\n\n_… cut here:');
    expect(before.split('\n').filter((l) => /^`{3,}/.test(l)).length % 2).toBe(0);
    expect(body).toContain("the change itself is whole in this pull request's Files changed tab");
    expect(body).toContain('MeshDestinationsOnly');
    // Both hidden lines survive: the proposal's marker, and the version line settle-proposal adds after it.
    expect(body).toContain('<!-- consul-gitops:mesh-lockdown target=default flags=permissive-off -->');
    expect(body).toMatch(/<!-- consul-gitops:proposal-version change=[0-9a-f]{16} evidence=[0-9a-f]{16} -->\n$/);
    // Cut inside the long diff line, not before it: most of the room is used.
    expect(body.length).toBeGreaterThan(60_000);
  });
});
