// `advise --open-prs` through main() (the dev server as Consul, in-memory sidecar traces, the
// GitHub double): Git and Consul hold no permissive service, the mesh still allows permissive mode,
// and one sidecar is registered with its own `Proxy.MutualTLSMode = "permissive"`. That
// registration wins over every config entry and is outside Git, so locking the mesh down would
// claim permissive mode is over while it is not: the lockdown is held back, naming the sidecar, and
// proposed once the sidecar is re-registered without it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { trafficDouble } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const MESH = 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n';
const TREE = {
  'config-entries/mesh.hcl': MESH,
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const LOCKDOWN = 'consul-gitops/mesh-lockdown/default';
const NOW = new Date('2026-11-25T12:00:00Z');
const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }], web: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };

let server: DevServer;
let github: GitHubDouble;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, TransparentProxy: { MeshDestinationsOnly: true } });
  await put('/v1/config', { Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'strict' });
  await registerSidecar(server.url, 'api', { MutualTLSMode: 'permissive' });
  await registerSidecar(server.url, 'web');
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterEach(async () => {
  await github.close();
  await server.close();
});

async function put(path: string, body: unknown): Promise<void> {
  expect(await (await fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}

async function openPrs() {
  let stdout = '';
  let stderr = '';
  const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
  const code = await main(
    ['advise', '--consul', server.url, '--stats', 'envoy', '--open-prs'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
    { now: () => NOW, trafficSource: () => trafficDouble(traces), env, github: { throttle: false, retries: 0 } },
  );
  return { code, stdout, stderr };
}

describe('advise --open-prs, the mesh lockdown while a sidecar is registered permissive', () => {
  it('is held back, naming the sidecar; once it is re-registered without the override, the lockdown is proposed', async () => {
    const held = await openPrs();
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(
      'the mesh lockdown is held back: 1 sidecar registration sets its own Proxy.MutualTLSMode = "permissive" (api-sidecar-proxy), which wins over every config entry',
    );
    expect(github.pulls.filter((p) => p.head === LOCKDOWN)).toEqual([]);

    await fetch(`${server.url}/v1/catalog/deregister`, { method: 'PUT', body: JSON.stringify({ Node: 'n1', ServiceID: 'api-sidecar-proxy' }) });
    await registerSidecar(server.url, 'api');
    const due = await openPrs();
    expect(due.code).toBe(0);
    expect(due.stdout).not.toContain('held back');
    expect(github.pulls.filter((p) => p.head === LOCKDOWN).map((p) => p.state)).toEqual(['open']);
    expect(github.unexpected).toEqual([]);
  });
});
