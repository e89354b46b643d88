// What `advise` and the `mTLS posture` issue say about drift, through main() with the dev server as
// Consul and the GitHub double: a service strict in Git but permissive in Consul is repaired by
// `apply` only when consul-gitops manages the entry; an entry without its marker needs
// `apply --adopt`, one whose file is gone needs `apply --prune`; and a service consul-k8s owns is no
// drift at all, its mode being changed in consul-k8s. The issue says what the terminal says.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdvise } from '../support/run-advise.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { tempTree } from '../support/run-cli.ts';
import type { Trace } from '../support/traffic-double.ts';

let server: DevServer;
let github: GitHubDouble | undefined;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
});
afterEach(async () => {
  await github?.close();
  github = undefined;
  await server.close();
});

async function put(body: unknown): Promise<void> {
  expect(await (await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
}
const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/x.hcl' };
const strict = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "strict"\n`;
const MESH = { 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' };
const NOW = new Date('2026-11-25T12:00:00Z');

const advise = (tree: Record<string, string>, args: string[], traces: Record<string, Trace[]> = {}, env: Record<string, string> = {}) =>
  runAdvise(server.url, args, { cwd: tempTree(tree), traces, env, now: NOW });

describe('advise: what repairs each drifted service', () => {
  it('apply for an entry consul-gitops manages, apply --adopt for one without its marker, apply --prune for one whose file is gone', async () => {
    // managed: Git strict, Consul still permissive with the marker (a hand edit).
    await put({ Kind: 'service-defaults', Name: 'managed', Protocol: 'http', MutualTLSMode: 'permissive', Meta: OURS });
    // unmarked: written by hand, no marker: apply leaves it as it is.
    await put({ Kind: 'service-defaults', Name: 'unmarked', Protocol: 'http', MutualTLSMode: 'permissive' });
    // orphan: consul-gitops wrote it, its file is gone; proxy-defaults (strict in Git) does not override it.
    await put({ Kind: 'service-defaults', Name: 'orphan', Protocol: 'http', MutualTLSMode: 'permissive', Meta: OURS });
    const tree = { ...MESH, 'config-entries/managed.hcl': strict('managed'), 'config-entries/unmarked.hcl': strict('unmarked') };

    const text = await advise(tree, []);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('apply --adopt where consul-gitops does not manage the entry yet):');
    expect(text.stdout).toContain('\n  managed: apply repairs it\n');
    expect(text.stdout).toContain('\n  unmarked: apply --adopt repairs it: service-defaults/unmarked in Consul lacks the consul-gitops ownership marker\n');
    expect(text.stdout).toContain('\n  orphan: apply --prune repairs it: service-defaults/orphan in Consul has no file any more\n');

    const json = JSON.parse((await advise(tree, ['--json'])).stdout) as { drift: { service: string; repair: string }[] };
    expect(Object.fromEntries(json.drift.map((d) => [d.service, d.repair]))).toEqual({
      managed: 'apply repairs it',
      orphan: 'apply --prune repairs it: service-defaults/orphan in Consul has no file any more',
      unmarked: 'apply --adopt repairs it: service-defaults/unmarked in Consul lacks the consul-gitops ownership marker',
    });
  });

  it('names proxy-defaults when it is the entry apply must adopt', async () => {
    await put({ Kind: 'proxy-defaults', Name: 'global', MutualTLSMode: 'permissive' });
    await registerSidecar(server.url);
    const tree = { ...MESH, 'config-entries/pd.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "strict"\n' };
    const run = await advise(tree, []);
    expect(run.stdout).toContain('\n  api: apply --adopt repairs it: proxy-defaults/global in Consul lacks the consul-gitops ownership marker\n');
  });
});

describe('the mTLS posture issue says what the terminal says', () => {
  it('drift names apply --adopt where it is needed; a service consul-k8s owns says to change its mode in consul-k8s', async () => {
    github = await startGitHubDouble({ token: TOKEN });
    const tree = { ...MESH, 'config-entries/unmarked.hcl': strict('unmarked'), 'config-entries/api.hcl': strict('api') };
    github.addCommit(tree);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    await put({ Kind: 'service-defaults', Name: 'unmarked', Protocol: 'http', MutualTLSMode: 'permissive' });
    // consul-k8s holds api permissive and it still receives plaintext: judged, not drift.
    await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'permissive', Meta: { 'external-source': 'kubernetes' } });
    await registerSidecar(server.url);

    const run = await advise(tree, ['--open-prs'], { api: [{ plaintextPerMinute: 3, handshakesPerMinute: 20 }] }, env);
    expect(run.code).toBe(0);
    const body = github.issues.find((i) => i.title === 'mTLS posture: default')?.body ?? '';
    expect(body).toContain('`apply` repairs it, or `apply --adopt` where consul-gitops does not manage the entry yet');
    expect(body).toContain(
      '- `default/default/unmarked`: apply --adopt repairs it: service-defaults/unmarked in Consul lacks the consul-gitops ownership marker',
    );
    expect(body).not.toContain('reconcile has not applied them yet');
    const apiRow = body.split('\n').find((l) => l.startsWith('| `api`')) ?? '';
    expect(apiRow).toContain('**still-receiving-plaintext**');
    // Markdown-escaped as every reason in the table is (parentheses mean nothing without a `[` before them).
    expect(apiRow).toContain(
      'then blocked: service-defaults/api in Consul is managed by kubernetes (external-source), not consul-gitops: change its MutualTLSMode there',
    );
    expect(github.unexpected).toEqual([]);
  });
});
