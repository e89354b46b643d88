// `audit`, `audit --posture` and `advise --open-prs` through main() against two WAN-federated
// datacenters (real dev servers behind test/support/fed-federated-consul.ts). The mesh entry
// replicates to dc2 with every other config entry, but sidecar registrations are per datacenter: a
// sidecar registered with its own `Proxy.MutualTLSMode = "permissive"` in dc2 takes plaintext under
// a mesh our datacenter sees as strict. Neither the audit nor the lockdown may say it is over, and a
// dc2 that cannot be read leaves both unsure, naming it.
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';
import { trafficDouble } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { startFederatedConsul, type FederatedConsul } from '../support/fed-federated-consul.ts';

withoutConsulEnv();

const MESH = 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n';
const TREE = {
  'config-entries/mesh.hcl': MESH,
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const LOCKDOWN = 'consul-gitops/mesh-lockdown/default';
const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };

let consul: FederatedConsul;
beforeEach(async () => {
  consul = await startFederatedConsul();
  await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'strict' });
  await registerSidecar(consul.dc1.url, 'api');
  // Registered permissive in dc2 while the mesh allowed it.
  await registerSidecar(consul.dc2.url, 'api', { MutualTLSMode: 'permissive' });
  return () => consul.close();
});

/** A config entry, written through the front: it lands in the primary, as Consul forwards it. */
async function put(body: unknown): Promise<void> {
  expect(await (await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}
const lockDown = () => put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } });

describe('audit, a sidecar registered permissive in another WAN-federated datacenter', () => {
  it('is not strict: the text names dc2 and the sidecar, --posture fails mesh-no-permissive naming it', async () => {
    await lockDown();
    const dir = tempTree({});
    const text = await runCli(['audit', '--consul', consul.url, '--require-strict'], dir);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('permissive sidecar registrations (Proxy.MutualTLSMode): none');
    expect(text.stdout).toContain('permissive sidecar registrations in datacenter dc2 (WAN-federated): api-sidecar-proxy');
    expect(text.stdout).not.toContain('strict: the mesh accepts mTLS only');

    const posture = await runCli(['audit', '--posture', '--json', '--consul', consul.url, '--require', 'mesh-no-permissive'], dir);
    const finding = (JSON.parse(posture.stdout) as { findings: { id: string; status: string; evidence: string }[] }).findings.find(
      (f) => f.id === 'mesh-no-permissive',
    );
    expect(finding?.status).toBe('fail');
    expect(finding?.evidence).toContain('api-sidecar-proxy (datacenter dc2)');
    expect(posture.code).toBe(1);
  });

  it('dc2 refusing our token: not known to be strict, naming dc2', async () => {
    await lockDown();
    consul.setDc2('acl-not-found');
    const text = await runCli(['audit', '--consul', consul.url, '--require-strict'], tempTree({}));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('permissive sidecar registrations in datacenter dc2 (WAN-federated): unknown:');
    expect(text.stdout).toContain('403 ACL not found');
    expect(text.stdout).toContain('not known to be strict: nothing this audit read is permissive, but it could not see the rest of the mesh: datacenter dc2');
  });

  it('is strict once dc2 holds no permissive registration (a pin)', async () => {
    await lockDown();
    await fetch(`${consul.dc2.url}/v1/catalog/deregister`, { method: 'PUT', body: JSON.stringify({ Node: 'n1', ServiceID: 'api-sidecar-proxy' }) });
    const text = await runCli(['audit', '--consul', consul.url, '--require-strict'], tempTree({}));
    expect(text.stdout).toContain('permissive sidecar registrations in datacenter dc2 (WAN-federated): none');
    expect(text.stdout).toContain('strict: the mesh accepts mTLS only and is locked down.');
    expect(text.code).toBe(0);
  });
});

describe('advise --open-prs, the mesh lockdown while dc2 holds a permissive sidecar registration', () => {
  let github: GitHubDouble;
  beforeEach(async () => {
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, TransparentProxy: { MeshDestinationsOnly: true } });
    github = await startGitHubDouble({ token: TOKEN });
    github.addCommit(TREE);
    return () => github.close();
  });
  async function openPrs() {
    let stdout = '';
    let stderr = '';
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const code = await main(
      ['advise', '--consul', consul.url, '--stats', 'envoy', '--open-prs'],
      { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
      { now: () => new Date('2026-11-25T12:00:00Z'), trafficSource: () => trafficDouble(traces), env, github: { throttle: false, retries: 0 } },
    );
    return { code, stdout, stderr };
  }

  it('is held back naming dc2 and the sidecar, held back while dc2 cannot be read, and proposed once dc2 is clean', async () => {
    const held = await openPrs();
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(
      'the mesh lockdown is held back: 1 sidecar registration in datacenter dc2 sets its own Proxy.MutualTLSMode = "permissive" (api-sidecar-proxy)',
    );
    expect(github.pulls.filter((p) => p.head === LOCKDOWN)).toEqual([]);

    await fetch(`${consul.dc2.url}/v1/catalog/deregister`, { method: 'PUT', body: JSON.stringify({ Node: 'n1', ServiceID: 'api-sidecar-proxy' }) });
    consul.setDc2('no-path');
    const unread = await openPrs();
    expect(unread.code).toBe(0);
    expect(unread.stdout).toContain(
      'the mesh lockdown is held back: datacenter dc2 is WAN-federated with this one (the mesh entry replicates there) and could not be read',
    );
    expect(unread.stdout).toContain('500 No path to datacenter');
    expect(github.pulls.filter((p) => p.head === LOCKDOWN)).toEqual([]);

    consul.setDc2('up');
    const due = await openPrs();
    expect(due.code).toBe(0);
    expect(due.stdout).not.toContain('held back');
    expect(github.pulls.filter((p) => p.head === LOCKDOWN).map((p) => p.state)).toEqual(['open']);
    expect(github.unexpected).toEqual([]);
  });
});
