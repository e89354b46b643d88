// `advise` and `advise --open-prs` through main() (the dev server as Consul, in-memory sidecar
// traces, the GitHub double) for a sidecar registered with its own `Proxy.MutualTLSMode =
// "permissive"` while every config entry, in Git and in Consul, is strict and the mesh locked down.
// The registration wins over the entries, so the mesh is not strict: advise names the sidecar and
// what to do, and the `mTLS posture` issue stays open naming it, as the scheduled advisor keeps it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = false\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const NOW = new Date('2026-11-25T12:00:00Z');
const traces = { api: [{ plaintextPerMinute: 2, handshakesPerMinute: 12 }], web: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };
const REPAIR = 're-register the sidecar without Proxy.MutualTLSMode = "permissive" in its service definition (leave it unset, or set "strict")';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  // Registered permissive while the mesh allowed it; then Consul was made what Git says.
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  await registerSidecar(server.url, 'api', { MutualTLSMode: 'permissive' });
  await registerSidecar(server.url, 'web');
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });
  await put('/v1/config', { Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'strict' });
});
afterEach(async () => {
  await github?.close();
  github = undefined;
  await server.close();
});

async function put(path: string, body: unknown): Promise<void> {
  expect(await (await fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}

const advise = (args: string[], env: Record<string, string> = {}) => runAdvise(server.url, args, { cwd: tempTree(TREE), traces, env, now: NOW });

describe('advise, a sidecar registered permissive under strict entries and a locked-down mesh', () => {
  it('names the sidecar and how to fix it, in the text and in --json', async () => {
    const text = await advise([]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No service is permissive in Git: nothing to judge.');
    expect(text.stdout).toContain('Permissive sidecar registrations: Proxy.MutualTLSMode = "permissive" in the registration wins over service-defaults');
    expect(text.stdout).toContain(`  api-sidecar-proxy: ${REPAIR}`);
    expect(text.stdout).not.toContain('web-sidecar-proxy');

    const json = await advise(['--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { permissiveSidecars: unknown }).permissiveSidecars).toEqual([{ sidecar: 'api-sidecar-proxy', repair: REPAIR }]);
  });

  it('says nothing of sidecars once none is registered permissive', async () => {
    await fetch(`${server.url}/v1/catalog/deregister`, { method: 'PUT', body: JSON.stringify({ Node: 'n1', ServiceID: 'api-sidecar-proxy' }) });
    const text = await advise([]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toContain('Permissive sidecar registrations');
    expect((JSON.parse((await advise(['--json'])).stdout) as { permissiveSidecars: unknown }).permissiveSidecars).toEqual([]);
  });
});

describe('advise --open-prs, a sidecar registered permissive under strict entries and a locked-down mesh', () => {
  it('keeps the mTLS posture issue open and names the sidecar, as the schedule does', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };

    const run = await advise(['--open-prs'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const issue = github.issues.find((i) => i.title === 'mTLS posture: default');
    expect(issue?.state).toBe('open');
    expect(issue?.body).toContain('| `mesh-no-permissive` | **fail** | MutualTLSMode = "permissive": sidecar registration api-sidecar-proxy |');
    expect(github.pulls).toEqual([]);
    expect(github.unexpected).toEqual([]);
  });
});
