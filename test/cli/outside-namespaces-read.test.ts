// The read of the namespaces a target does not manage (`GET /v1/config/service-defaults?ns=*`), through
// main() against the loopback Enterprise double (and the dev server for Community Edition) behind a
// front that answers it: a 403 is a permission the token lacks and is named as such, by `audit` and
// by the lockdown gate alike; a 500 is a failing Consul, never "could not see the rest of the mesh";
// and `advise --open-prs` asks once for the gate and the posture dashboard (Community Edition's one
// 400: advise-lockdown-outside-own-namespace.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { runCli, tempTree, type CliRun } from '../support/run-cli.ts';
import { trafficBy } from '../support/traffic-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';
import { startConsulFront, type ConsulFront, type FrontAnswer } from '../support/consul-front.ts';

const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/mesh.hcl' };
const TREE = {
  'consul-gitops.yaml': 'targets:\n  - name: ent\n',
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
};
const NOW = new Date('2026-11-25T12:00:00Z');
const PERMISSION = 'service:read in every namespace of the partition (`namespace_prefix "" { service_prefix "" { policy = "read" } }`)';
const REFUSED: FrontAnswer = { status: 403, body: "Permission denied: token with AccessorID 'a1' lacks permission 'service:read' on \"*\"" };
const FAILING: FrontAnswer = { status: 500, body: 'internal error: state store lookup failed' };
const everyNamespace = (url: URL) => url.pathname === '/v1/config/service-defaults' && url.searchParams.get('ns') === '*';

let consul: EnterpriseDouble | undefined;
let front: ConsulFront | undefined;
let github: GitHubDouble;
beforeEach(async () => {
  github = await startGitHubDouble({ token: TOKEN });
  github.addCommit(TREE);
});
afterEach(async () => {
  await front?.close();
  front = undefined;
  await consul?.close();
  consul = undefined;
  await github.close();
});

/**
 * An Enterprise with a mesh ready to lock down (every namespace strict), behind a front giving `answer`
 * to the `?ns=*` read, and to the posture audit's ACL and CA reads the answers of a Consul with ACLs
 * disabled and the built-in CA (the double has neither), so the posture dashboard is read in full.
 */
async function enterpriseBehind(answer?: FrontAnswer): Promise<string> {
  consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] } });
  consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
  consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: 'strict' });
  front = await startConsulFront(consul.url, (url) => {
    if (answer && everyNamespace(url)) return answer;
    if (url.pathname === '/v1/acl/token/self' || url.pathname === '/v1/internal/acl/authorize') return { status: 401, body: 'ACL support disabled' };
    if (url.pathname === '/v1/connect/ca/configuration') return { status: 200, body: '{"Provider":"consul","Config":{}}' };
    return undefined;
  });
  return front.url;
}

async function openPrs(consulUrl: string, json = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', consulUrl, '--stats', 'envoy', '--open-prs', ...(json ? ['--json'] : [])],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(TREE) },
    {
      now: () => NOW,
      trafficSource: () => trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]),
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url },
      github: { throttle: false, retries: 0 },
    },
  );
  return { code, stdout, stderr };
}

describe('the lockdown gate, the read of the rest of the partition refused (403)', () => {
  it('names the permission the token lacks, as audit does', async () => {
    const run = await openPrs(await enterpriseBehind(REFUSED));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(github.pulls.map((p) => p.head)).toEqual([]);
    expect(run.stdout).toContain('could not see the rest of the mesh');
    expect(run.stdout).toContain(`(needs ${PERMISSION})`);

    const audit = await runCli(['audit', '--consul', front!.url], tempTree(TREE));
    expect(audit.stdout).toContain(`(needs ${PERMISSION})`);
  });
});

describe('the read of the rest of the partition failing (500): a fault, not a namespace it could not see', () => {
  it('advise --open-prs stops with the Consul error, exit 1, and writes nothing on GitHub', async () => {
    const run = await openPrs(await enterpriseBehind(FAILING));
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('could not see the rest of the mesh');
    expect(run.stderr).toContain('internal error: state store lookup failed');
    expect(github.pulls).toEqual([]);
    expect(github.issues).toEqual([]);

    const json = await openPrs(front!.url, true);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('consul');
  });

  it('audit stops with the Consul error (exit 1, code consul), never "not known to be strict"', async () => {
    const url = await enterpriseBehind(FAILING);
    const run = await runCli(['audit', '--consul', url], tempTree(TREE));
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('could not see the rest of the mesh');
    expect(run.stderr).toContain('internal error: state store lookup failed');
    const json = await runCli(['audit', '--json', '--consul', url], tempTree(TREE));
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('consul');

    const posture = await runCli(['audit', '--posture', '--consul', url], tempTree(TREE));
    expect(posture.code).toBe(1);
    expect(posture.stdout).not.toContain('could not see the rest of the mesh');
    expect(posture.stderr).toContain('internal error: state store lookup failed');
  });
});

describe('advise --open-prs asks once for the lockdown gate and the posture dashboard', () => {
  it('Enterprise: one ?ns=* read; the lockdown PR opens', async () => {
    await openPrs(await enterpriseBehind()).then((run) => expect([run.stderr, run.code]).toEqual(['', 0]));
    expect(github.pulls.map((p) => p.head)).toEqual(['consul-gitops/mesh-lockdown/ent']);
    expect(front!.seen.filter((r) => /[?&]ns=\*/.test(r.url))).toHaveLength(1);
  });
});
