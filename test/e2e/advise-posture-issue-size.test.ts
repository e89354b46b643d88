// The posture issue at 5,000 permissive services with long names (VM and Nomad services are not held
// to Kubernetes' 63 characters), through main() (`advise --open-prs`) against the dev server and the
// GitHub double: GitHub refuses an issue body over 65,536 characters, so the service table takes
// what the other sections leave and counts the services it does not show; what follows it (the
// mesh, the security checks, drift, the footer) is never the part cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { GITHUB_BODY_LIMIT } from '../../src/reports/markdown.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

const SERVICES = 5_000;
const name = (i: number) => `payments-ledger-reconciliation-worker-for-the-eu-west-1-region-legacy-batch-settlement-${String(i).padStart(5, '0')}`;
const TREE: Record<string, string> = { 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' };
for (let i = 0; i < SERVICES; i++) TREE[`config-entries/${name(i)}.hcl`] = `Kind = "service-defaults"\nName = "${name(i)}"\nMutualTLSMode = "permissive"\n`;

let server: DevServer;
let github: GitHubDouble;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterAll(async () => {
  await github?.close();
  await server?.close();
});

describe('the posture issue at 5,000 permissive services', () => {
  it('fits GitHub, keeps every section after the table, and says how many services it leaves out', async () => {
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(server.url, ['--open-prs'], { cwd: tempTree(TREE), env });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(github.issues).toHaveLength(1);
    const body = github.issues[0].body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).not.toContain('cut here:');
    expect(body).not.toContain('…(cut:');
    for (const section of [
      '### Mesh',
      '- TransparentProxy.MeshDestinationsOnly: `false`',
      '### Security posture',
      '### Drift',
      '_Kept up to date by consul-gitops',
    ])
      expect(body).toContain(section);
    const shown = body.split('\n').filter((l) => l.startsWith('| `payments-')).length;
    expect(shown).toBeGreaterThan(100);
    expect(body).toContain(`… and ${(SERVICES - shown).toLocaleString('en-US')} more services (5,000 in all; the issue is held to GitHub's size limit).`);
  }, 120_000);
});
