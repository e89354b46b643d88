// `consul-gitops advise --open-prs` through main(): the dev server as Consul, in-memory sidecar
// traces as the stats source, the GitHub double as GitHub, credentials from the environment.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

let server: DevServer;
let github: GitHubDouble;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  const put = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  for (const s of ['orders', 'billing']) {
    const res = await put('/v1/catalog/register', {
      Node: 'n1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: `${s}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: s } },
    });
    expect(res.status).toBe(200);
  }
});
afterAll(() => server.close());
afterEach(() => github?.close());

const NOW = new Date('2026-11-25T12:00:00Z');
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "permissive"\n',
};
const quiet = { plaintextPerMinute: 0, handshakesPerMinute: 12 };
const noisy = { plaintextPerMinute: 3, handshakesPerMinute: 4 };

const advise = (args: string[], env: Record<string, string>, traces: Record<string, (typeof quiet)[]>) =>
  runAdvise(server.url, args, { cwd: tempTree(TREE), traces, env, now: NOW });

describe('advise --open-prs', () => {
  it('opens the ready service’s PR and the posture issue, then leaves both alone on an unchanged run', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const traces = { orders: [quiet], billing: [quiet, noisy] };

    const first = await advise(['--open-prs'], env, traces);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/opened +consul-gitops\/strict\/default\/default\/orders https:\/\/github\.example\/acme\/mesh-config\/pull\/1/);
    expect(first.stdout).toContain('Posture dashboard: issue #2 (open)');
    expect(github.pulls.map((p) => [p.title, p.head, p.state])).toEqual([
      ['mTLS: move orders to strict', 'consul-gitops/strict/default/default/orders', 'open'],
    ]);
    expect(github.filesAt('consul-gitops/strict/default/default/orders')['config-entries/orders.hcl']).toBe(
      TREE['config-entries/orders.hcl'].replace('permissive', 'strict'),
    );
    expect(github.issues.map((i) => i.title)).toEqual(['mTLS posture: default']);
    // The token never reaches the output.
    expect(first.stdout + first.stderr).not.toContain(TOKEN);

    const writes = github.requests.filter((r) => r.method !== 'GET').length;
    const second = await advise(['--open-prs'], env, traces);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/unchanged +consul-gitops\/strict\/default\/default\/orders/);
    expect(github.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
    expect(github.unexpected).toEqual([]);
  });

  it('refuses without GITHUB_REPOSITORY, and reports bad credentials without the token', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const missing = await advise(['--open-prs'], { GITHUB_TOKEN: TOKEN }, { orders: [quiet] });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('GITHUB_REPOSITORY');

    const wrong = 'ghp_wrongTOKEN0123456789abcdefXYZ';
    const bad = await advise(['--open-prs'], { GITHUB_TOKEN: wrong, GITHUB_REPOSITORY: 'acme/mesh-config', GITHUB_API_URL: github.url }, { orders: [quiet] });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('401');
    expect(bad.stderr).not.toContain(wrong);
  });
});
