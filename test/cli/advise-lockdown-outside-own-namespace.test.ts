// A target without `namespaces` on Consul Enterprise reads its own namespace only, while the mesh
// entry's AllowEnablingPermissiveMutualTLS is one per partition: `advise --open-prs` through main()
// against the loopback Enterprise double and the GitHub double must not open the lockdown PR while
// a service of another namespace is permissive (merged, it would refuse that namespace's plaintext
// clients), nor while that namespace cannot be seen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { tempTree } from '../support/run-cli.ts';
import { trafficBy } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/mesh.hcl' };
const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: ent\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
};
const NOW = new Date('2026-11-25T12:00:00Z');

let consul: EnterpriseDouble | undefined;
let github: GitHubDouble;
beforeEach(async () => {
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterEach(async () => {
  await consul?.close();
  consul = undefined;
  await github.close();
});

/** `ledger` in namespace `other` with this mode; `hidden`: namespaces the token may not read. */
async function openPrs(ledgerMode: string, hidden: string[] = []): Promise<{ stdout: string; heads: string[] }> {
  consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] }, hidden });
  consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
  consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: ledgerMode });
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', consul.url, '--stats', 'envoy', '--open-prs'],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
    {
      now: () => NOW,
      trafficSource: () => trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]),
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url },
      github: { throttle: false, retries: 0 },
    },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(github.unexpected).toEqual([]);
  return { stdout, heads: github.pulls.map((p) => p.head) };
}

describe('advise --open-prs, an Enterprise target without namespaces, and the rest of its partition', () => {
  it('opens no lockdown PR while a service in another namespace is permissive, naming it as not managed by this target', async () => {
    const { stdout, heads } = await openPrs('permissive');
    expect(heads).toEqual([]);
    expect(stdout).toContain('ledger (namespace other) (not managed by this target)');
  });

  it('opens no lockdown PR while the other namespace is hidden from the token, saying it could not see the rest of the mesh', async () => {
    const { stdout, heads } = await openPrs('strict', ['other']);
    expect(heads).toEqual([]);
    expect(stdout).toContain('could not see the rest of the mesh');
  });

  it('opens the lockdown PR once every namespace of the partition is strict', async () => {
    const { heads } = await openPrs('strict');
    expect(heads).toEqual(['consul-gitops/mesh-lockdown/ent']);
  });
});
