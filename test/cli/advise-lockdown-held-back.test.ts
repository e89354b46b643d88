// The mesh lockdown through `advise --open-prs` and `advise --write-branch` (main(), the dev server
// as Consul, in-memory sidecar traces, the GitHub double or a real git repository), when Git has
// no permissive service left but consul-k8s keeps one permissive in Consul (its service-defaults
// carries `external-source`, which consul-gitops never writes). The lockdown must not be proposed,
// an open lockdown PR is closed, and advise, the PR and the dashboard say why.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { commitAll } from '../support/git-repo.ts';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  await registerSidecar(server.url);
});
afterEach(async () => {
  await github?.close();
  github = undefined;
  await server.close();
});

async function put(path: string, body: unknown): Promise<void> {
  expect(await (await fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}
const k8sPermissiveApi = () =>
  put('/v1/config', { Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: { 'external-source': 'kubernetes' } });

const NOW = new Date('2026-11-25T12:00:00Z');
// Git: every service strict; the mesh entry still allows permissive mode.
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };
const LOCKDOWN = 'consul-gitops/mesh-lockdown/default';

const advise = (args: string[], cwd: string, env: Record<string, string> = {}) => runAdvise(server.url, args, { cwd, traces, env, now: NOW });

describe('advise --open-prs, a service consul-k8s keeps permissive while Git is strict', () => {
  it('closes the lockdown PR and says why in the output, the PR and the dashboard', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };

    // Nothing permissive anywhere yet: the lockdown is proposed.
    const first = await advise(['--open-prs'], tempTree(TREE), env);
    expect(first.code).toBe(0);
    expect(github.pulls.filter((p) => p.head === LOCKDOWN).map((p) => p.state)).toEqual(['open']);

    // consul-k8s writes api permissive: no apply changes that, so the mesh cannot be locked down.
    await k8sPermissiveApi();
    const second = await advise(['--open-prs'], tempTree(TREE), env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      'mesh lockdown: the mesh lockdown is held back: 1 service stays permissive in Consul through entries consul-gitops does not write',
    );
    expect(second.stdout).toContain('api (blocked)');
    const lockdown = github.pulls.filter((p) => p.head === LOCKDOWN);
    expect(lockdown.map((p) => p.state)).toEqual(['closed']);
    const closing = github.comments.filter((c) => c.issue_number === lockdown[0].number).map((c) => c.body);
    expect(closing.join('\n')).toContain('the mesh lockdown is held back');
    const dashboard = github.issues.find((i) => i.title === 'mTLS posture: default');
    expect(dashboard?.body).toContain('Lockdown: the mesh lockdown is held back');
    expect(github.unexpected).toEqual([]);
  });
});

describe('advise --write-branch, a service consul-k8s keeps permissive while Git is strict', () => {
  it('writes no lockdown branch and says why', async () => {
    await k8sPermissiveApi();
    const repo = mkdtempSync(join(tmpdir(), 'cg-lockdown-held-'));
    mkdirSync(join(repo, 'config-entries'));
    for (const [path, text] of Object.entries(TREE)) writeFileSync(join(repo, path), text);
    const git = commitAll(repo);

    const run = await advise(['--write-branch'], repo);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('mesh lockdown: the mesh lockdown is held back: 1 service stays permissive in Consul');
    expect(git('branch', '--list', LOCKDOWN)).toBe('');
  });
});
