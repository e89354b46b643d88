// `advise` through main() with a real Prometheus and two WAN-federated datacenters (two dev servers
// behind test/support/fed-federated-consul.ts): services whose sidecars run only in dc2. Config
// entries replicate there, so `proxy-defaults global` saying permissive makes them take plaintext
// though no service-defaults names them and our catalog does not list them; each is judged on its
// dc2 sidecars, and a dc2 whose catalog cannot be read holds the mesh-wide decisions back, naming it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openMetrics, prometheusMissing, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { historyStart, MIN, verdictsOf, podInDatacenter } from '../support/prometheus-sidecar-history.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { startFederatedConsul, type FederatedConsul } from '../support/fed-federated-consul.ts';
import { startGitHubDouble } from '../support/github-double.ts';
import { TOKEN } from '../adapters/github/client.ts';

const missing = prometheusMissing();
if (missing) console.warn(`skipping advise --stats prometheus (services only in dc2): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** Pod `<service>-0` of `service` in dc2 at `address`, a sample a minute; `plaintext` its permissive connection counter. */
function dc2Pod(service: string, address: string, plaintext: (m: number) => number) {
  return podInDatacenter({ base, to: 180, service, dc: 'dc2', address, plaintext });
}

/** Onboarding: every service inherits permissive mode from proxy-defaults global; none has a service-defaults. */
const ONBOARDING = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\nConfig {\n  protocol = "http"\n}\n',
};
/** Git strict and allowing permissive mode: the lockdown's turn, unless Consul still holds a permissive entry Git does not write. */
const STRICT_IN_GIT = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};

async function putEntry(consulUrl: string, entry: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${consulUrl}/v1/config`, { method: 'PUT', body: JSON.stringify(entry) });
  expect(res.status, await res.text()).toBe(200);
}

describe.skipIf(missing !== undefined)('advise --stats prometheus, services whose sidecars run only in dc2', () => {
  let prom: RunningPrometheus;
  let consul: FederatedConsul;
  beforeAll(async () => {
    prom = await startPrometheus({
      openMetrics: openMetrics([
        // pay: only in dc2, still taking plaintext.
        ...dc2Pod('pay', '10.1.0.8', (m) => 40 + m),
        // shop: only in dc2, quiet.
        ...dc2Pod('shop', '10.1.0.9', () => 40),
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });
  beforeEach(async () => {
    consul = await startFederatedConsul();
    for (const [s, address] of [
      ['pay', '10.1.0.8'],
      ['shop', '10.1.0.9'],
    ] as const)
      await registerSidecar(consul.dc2.url, s, {}, { id: `${s}-0`, node: `node-${s}`, address, meta: { 'pod-name': `${s}-0` } });
    return () => consul.close();
  });
  const advise = (tree: Record<string, string>, args: string[], env?: Record<string, string>) =>
    runAdvise(consul.url, ['--window', '2h', ...args], { cwd: tempTree(tree), stats: `prometheus=${prom.url}`, now: new Date(END), ...(env ? { env } : {}) });

  it('permissive through proxy-defaults alone: each is judged on its dc2 sidecars; the quiet one is ready, naming dc2', async () => {
    const v = verdictsOf(await advise(ONBOARDING, ['--json']));
    expect(Object.keys(v).sort()).toEqual(['pay', 'shop']);
    expect(v.pay.verdict).toBe('still-receiving-plaintext');
    expect(v.shop.verdict).toBe('ready-for-strict');
    expect(v.shop.evidence.sources.join('\n')).toContain(
      'sidecars judged per WAN-federated datacenter (config entries replicate to each): dc1: 0 sidecars; dc2: 1 sidecar',
    );
    expect(consul.requests.some((r) => r.startsWith('/v1/catalog/services?') && r.includes('dc=dc2'))).toBe(true);
  });

  it('--open-prs proposes strict for the quiet dc2-only service alone (a new service-defaults file)', async () => {
    const github = await startGitHubDouble({ token: TOKEN });
    try {
      github.addCommit(ONBOARDING);
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
      const run = await advise(ONBOARDING, ['--open-prs'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(github.pulls.map((p) => p.head).sort()).toEqual(['consul-gitops/strict/default/default/shop']);
      expect(github.pulls[0].body).toContain('dc1: 0 sidecars; dc2: 1 sidecar');
      expect(github.unexpected).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('Git strict, Consul still permissive through a proxy-defaults it does not write: a dc2-only service taking plaintext holds the lockdown back', async () => {
    // Consul's own proxy-defaults, written by hand (no ownership marker): no apply changes it.
    await putEntry(consul.dc1.url, { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    await putEntry(consul.dc1.url, { Kind: 'proxy-defaults', Name: 'global', MutualTLSMode: 'permissive', Config: { protocol: 'http' } });
    const github = await startGitHubDouble({ token: TOKEN });
    try {
      github.addCommit(STRICT_IN_GIT);
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
      const run = await advise(STRICT_IN_GIT, ['--open-prs'], env);
      expect(run.code).toBe(0);
      expect(github.pulls.map((p) => p.head).filter((h) => h.startsWith('consul-gitops/mesh-lockdown/'))).toEqual([]);
      expect(run.stdout).toMatch(/the mesh lockdown is held back: 2 services stay permissive in Consul .*pay \(still-receiving-plaintext\)/);
      expect(github.unexpected).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it("dc2's catalog refused (403 ACL not found): the run still judges, and says the mesh-wide decisions cannot be made, naming dc2", async () => {
    consul.setDc2('acl-not-found');
    const run = await advise(ONBOARDING, ['--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { services: unknown[]; unlistedDatacenters?: { datacenter?: string; unreadable: string; why: string }[] };
    expect(json.services).toEqual([]);
    expect(json.unlistedDatacenters).toHaveLength(1);
    expect(json.unlistedDatacenters![0].datacenter).toBe('dc2');
    expect(json.unlistedDatacenters![0].unreadable).toMatch(/403 ACL not found/);
    expect(json.unlistedDatacenters![0].why).toContain('neither proxy-defaults going strict nor the mesh lockdown can be judged safe');
    const text = await advise(ONBOARDING, []);
    expect(text.stdout).toMatch(
      /Not judged: the services with a sidecar in datacenter dc2, which is WAN-federated with this one .*could not be listed: .*403 ACL not found/,
    );
  });

  it('the datacenters list unreadable: the lockdown is held back, since other datacenters cannot be ruled out', async () => {
    consul.failDatacentersList(true);
    const github = await startGitHubDouble({ token: TOKEN });
    try {
      github.addCommit(STRICT_IN_GIT);
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
      const run = await advise(STRICT_IN_GIT, ['--open-prs'], env);
      expect(run.code).toBe(0);
      expect(github.pulls.map((p) => p.head).filter((h) => h.startsWith('consul-gitops/mesh-lockdown/'))).toEqual([]);
      expect(run.stdout).toMatch(/the mesh lockdown is held back: the datacenters Consul knows could not be listed/);
      expect(github.unexpected).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
