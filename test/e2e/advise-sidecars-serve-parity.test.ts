// A sidecar registered with its own `Proxy.MutualTLSMode = "permissive"` while Git is strict and the
// mesh still allows permissive mode: `advise` names it, and the mesh lockdown is held back until it
// is re-registered. The scheduled advisor (serve's timer, and the schedule → reconcile Lambdas) must
// say what the CLI says for the same Consul, even when the production-checklist read fails (here the
// network loses Consul's answer to /v1/acl/token/self): the sidecar read is the advisor's own, as in
// the CLI, not borrowed from that checklist.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { startGitHubDouble } from '../support/github-double.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

const OURS = (file: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': file });
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const TARGETS = 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n';
const traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }] };
const HELD_BACK = 'the mesh lockdown is held back: 1 sidecar registration sets its own Proxy.MutualTLSMode = "permissive" (api-sidecar-proxy)';

let consul: DevServer;
let proxy: ConsulProxy;
beforeEach(async () => {
  consul = await startDevServer({ host: '127.0.0.1', port: 0 });
  const put = async (body: unknown) =>
    expect(await (await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) })).text()).toBe('true');
  // As apply left Consul; the sidecar was registered permissive by hand.
  await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS('config-entries/mesh.hcl') });
  await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', MutualTLSMode: 'strict', Meta: OURS('config-entries/api.hcl') });
  await registerSidecar(consul.url, 'api', { MutualTLSMode: 'permissive' });
  // The production checklist's first read never gets its answer.
  proxy = await startConsulProxy(consul.url, (req) => (req.url?.startsWith('/v1/acl/token/self') ? 'lose-answer' : 'forward'));
});
afterEach(async () => {
  await proxy.close();
  await consul.close();
});

/** What the CLI says: `advise --json`'s sidecars, and `advise --open-prs`'s pull requests and dashboard on a GitHub of its own. */
async function cli(): Promise<{ sidecars: unknown; pulls: string[]; dashboard: string }> {
  const json = await runAdvise(proxy.url, ['--json'], { cwd: tempTree(TREE), traces });
  expect(json.code).toBe(0);
  const github = await startGitHubDouble({ token: TOKEN });
  try {
    github.addCommit(TREE);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
    const run = await runAdvise(proxy.url, ['--open-prs'], { cwd: tempTree(TREE), traces, env });
    expect(run.code).toBe(0);
    return {
      sidecars: (JSON.parse(json.stdout) as { permissiveSidecars?: { sidecar: string }[] }).permissiveSidecars?.map((s) => s.sidecar),
      pulls: github.pulls.map((p) => p.head),
      dashboard: github.issues.find((i) => i.title.startsWith('mTLS posture'))?.body ?? '',
    };
  } finally {
    await github.close();
  }
}

describe('a permissive sidecar registration: the scheduled advisor says what advise says', () => {
  let serve: ServeHarness | undefined;
  let lambdas: ServerlessHarness | undefined;
  afterEach(async () => {
    await serve?.close();
    await lambdas?.close();
    serve = lambdas = undefined;
  });

  it('advise --json names the sidecar and --open-prs holds the lockdown back', async () => {
    const said = await cli();
    expect(said.sidecars).toEqual(['api-sidecar-proxy']);
    expect(said.pulls).toEqual([]);
    expect(said.dashboard).toContain(HELD_BACK);
  });

  it('serve’s timer holds the lockdown back and its dashboard names the sidecar, as the CLI does', async () => {
    const said = await cli();
    serve = await startServeHarness({
      startServe: false,
      env: { CONSUL_HTTP_ADDR: proxy.url, TARGETS_CONFIG: TARGETS },
      overrides: { trafficSource: () => trafficDouble(traces) },
    });
    serve.github.addCommit(TREE, 'strict', { branch: 'master' });
    await serve.startServe({ scheduleIntervalMs: 100 });
    const dashboard = () => serve!.github.issues.find((i) => i.title === 'mTLS posture: dc1');
    for (let i = 0; i < 300 && !dashboard(); i++) await new Promise((r) => setTimeout(r, 50));
    await serve.serve.close();
    expect(serve.github.pulls.map((p) => p.head)).toEqual(said.pulls);
    expect(dashboard()?.body).toContain(HELD_BACK);
  });

  it('the schedule → reconcile Lambdas hold the lockdown back and name the sidecar, as the CLI does', async () => {
    const said = await cli();
    lambdas = await startServerlessHarness({
      env: { CONSUL_HTTP_ADDR: proxy.url, TARGETS_CONFIG: TARGETS },
      overrides: { trafficSource: () => trafficDouble(traces) },
    });
    lambdas.github.addCommit(TREE, 'strict', { branch: 'master' });
    await lambdas.tick('evt-1');
    expect(lambdas.github.pulls.map((p) => p.head)).toEqual(said.pulls);
    expect(lambdas.github.issues.find((i) => i.title === 'mTLS posture: dc1')?.body).toContain(HELD_BACK);
  });
});
