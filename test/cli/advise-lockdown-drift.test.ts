// `advise --open-prs` through main() (the dev server as Consul, the GitHub double) when Git has no
// permissive service left but Consul still holds one permissive through an entry the reconcile's
// apply does not write: a service-defaults without the consul-gitops marker (it needs
// `apply --adopt`). Merging a lockdown would leave that service permissive under a mesh entry that
// says permissive mode is over, so the lockdown is held back, naming the service and its repair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

const OURS = (file: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': file });
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };

let server: DevServer;
let github: GitHubDouble;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
  const put = async (body: unknown) =>
    expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS('config-entries/mesh.hcl') });
  await registerSidecar(server.url, 'api');
});
afterEach(async () => {
  await github.close();
  await server.close();
});

const openPrs = () =>
  runAdvise(server.url, ['--open-prs'], {
    cwd: tempTree(TREE),
    traces,
    env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url },
  });

describe('advise --open-prs, Git strict but a service permissive in Consul through an entry apply does not write', () => {
  it('holds the lockdown back while the service-defaults lacks the marker, and proposes it once apply --adopt has run', async () => {
    // Written by hand, before consul-gitops managed it: apply leaves it until --adopt.
    expect(
      await (
        await fetch(`${server.url}/v1/config`, {
          method: 'PUT',
          body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive' }),
        })
      ).text(),
    ).toBe('true');
    const run = await openPrs();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(github.pulls).toEqual([]);
    const held =
      'the mesh lockdown is held back: 1 service stays permissive in Consul after apply, which does not repair its drift without a flag: ' +
      'api (apply --adopt repairs it: service-defaults/api in Consul lacks the consul-gitops ownership marker)';
    expect(run.stdout).toContain(`mesh lockdown: ${held}`);
    expect(github.issues.find((i) => i.title === 'mTLS posture: default')?.body).toContain(
      'the mesh lockdown is held back: 1 service stays permissive in Consul after apply',
    );

    // What apply --adopt does (as the hint says): now Consul is strict and the lockdown is proposed.
    expect(
      await (
        await fetch(`${server.url}/v1/config`, {
          method: 'PUT',
          body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'strict', Meta: OURS('config-entries/api.hcl') }),
        })
      ).text(),
    ).toBe('true');
    expect((await openPrs()).code).toBe(0);
    expect(github.pulls.map((p) => p.head)).toEqual(['consul-gitops/mesh-lockdown/default']);
    expect(github.unexpected).toEqual([]);
  });
});
