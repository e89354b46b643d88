// `advise --stats prometheus=URL` through main() with a real Prometheus and two WAN-federated
// datacenters, each a real dev server behind test/support/fed-federated-consul.ts. Config entries
// replicate to every federated datacenter, so a permissive service-defaults makes the service's
// sidecars in dc2 take plaintext as much as ours: dc2's series are evidence, each sidecar Consul
// lists there needs them, and a dc2 that cannot be read leaves the service unjudged, naming it.
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
if (missing) console.warn(`skipping advise --stats prometheus (WAN federation): ${missing}`);

const base = historyStart(4);
const END = base + 180 * MIN;

/** Pod `<service>-0` of `service` in datacenter `dc` at `address`, a sample a minute; `plaintext` its permissive connection counter. */
function pod(service: string, dc: string, address: string, plaintext: (m: number) => number) {
  return podInDatacenter({ base, to: 180, service, dc, address, plaintext });
}
const permissive = (name: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "http"\nMutualTLSMode = "permissive"\n`;
const SERVICES = ['orders', 'billing', 'payments', 'ledger'];
const TREE = Object.fromEntries(SERVICES.map((s) => [`config-entries/${s}.hcl`, permissive(s)]));

describe.skipIf(missing !== undefined)('advise --stats prometheus, two WAN-federated datacenters', () => {
  let prom: RunningPrometheus;
  let consul: FederatedConsul;
  beforeAll(async () => {
    prom = await startPrometheus({
      openMetrics: openMetrics([
        // orders: quiet in dc1; dc2's orders-0 (the same pod name) still takes plaintext.
        ...pod('orders', 'dc1', '10.0.0.8', () => 40),
        ...pod('orders', 'dc2', '10.1.0.8', (m) => 40 + m),
        // billing: quiet in both.
        ...pod('billing', 'dc1', '10.0.0.9', () => 40),
        ...pod('billing', 'dc2', '10.1.0.9', () => 40),
        // payments: only in dc1.
        ...pod('payments', 'dc1', '10.0.0.10', () => 40),
        // ledger: quiet in dc1; Prometheus never scraped dc2's.
        ...pod('ledger', 'dc1', '10.0.0.11', () => 40),
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });
  beforeEach(async () => {
    consul = await startFederatedConsul();
    for (const s of SERVICES) await registerSidecar(consul.dc1.url, s, {}, place(s, '10.0.0'));
    for (const s of ['orders', 'billing', 'ledger']) await registerSidecar(consul.dc2.url, s, {}, place(s, '10.1.0'));
    return () => consul.close();
  });
  const place = (service: string, net: string) => ({
    id: `${service}-0`,
    node: `node-${service}`,
    address: `${net}.${8 + SERVICES.indexOf(service)}`,
    meta: { 'pod-name': `${service}-0` },
  });
  const verdicts = async () =>
    verdictsOf(await runAdvise(consul.url, ['--window', '2h', '--json'], { cwd: tempTree(TREE), stats: `prometheus=${prom.url}`, now: new Date(END) }));

  it('dc2 still taking plaintext keeps the service permissive; dc2 clean is ready and the evidence names it', async () => {
    const v = await verdicts();
    expect(v.orders.verdict).toBe('still-receiving-plaintext');
    expect(v.billing.verdict).toBe('ready-for-strict');
    expect(v.billing.evidence.sources.join('\n')).toContain(
      'sidecars judged per WAN-federated datacenter (config entries replicate to each): dc1: 1 sidecar; dc2: 1 sidecar',
    );
    expect(v.billing.evidence.sources.join('\n')).toContain('consul /v1/health/connect/billing?dc=dc2: 1 sidecar registered');
  });

  it('--open-prs proposes strict for billing only, its PR body naming the sidecars judged in each datacenter', async () => {
    const github = await startGitHubDouble({ token: TOKEN });
    try {
      github.addCommit(TREE);
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_API_URL: github.url };
      const run = await runAdvise(consul.url, ['--window', '2h', '--open-prs'], {
        cwd: tempTree(TREE),
        stats: `prometheus=${prom.url}`,
        now: new Date(END),
        env,
      });
      expect(run.code).toBe(0);
      const heads = github.pulls.map((p) => p.head).sort();
      expect(heads).toEqual(['consul-gitops/strict/default/default/billing', 'consul-gitops/strict/default/default/payments']);
      const body = github.pulls.find((p) => p.head.endsWith('/billing'))!.body;
      expect(body).toContain(
        'Under WAN federation, sidecars judged per WAN-federated datacenter (config entries replicate to each): dc1: 1 sidecar; dc2: 1 sidecar',
      );
      expect(github.unexpected).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('a datacenter with no sidecar of the service needs nothing, and says so', async () => {
    const v = await verdicts();
    expect(v.payments.verdict).toBe('ready-for-strict');
    expect(v.payments.evidence.sources.join('\n')).toContain('no sidecar of payments registered in datacenter dc2: nothing there to judge');
    expect(v.payments.evidence.sources.join('\n')).toContain('dc1: 1 sidecar; dc2: 0 sidecars');
  });

  it('a dc2 sidecar Prometheus never scraped: insufficient-data, naming dc2', async () => {
    const v = await verdicts();
    expect(v.ledger.verdict).toBe('insufficient-data');
    expect(v.ledger.reasons.join('\n')).toContain('sidecar ledger-0 of ledger in datacenter dc2 is registered in Consul but Prometheus has no sample of it');
  });

  it('one datacenter (Consul lists only dc1): judged as before, no other datacenter read or named (a pin)', async () => {
    await consul.close();
    consul = await startFederatedConsul(['dc1']);
    for (const s of SERVICES) await registerSidecar(consul.dc1.url, s, {}, place(s, '10.0.0'));
    const v = await verdicts();
    expect(v.orders.verdict).toBe('ready-for-strict');
    expect(v.ledger.verdict).toBe('ready-for-strict');
    expect(JSON.stringify(v)).not.toContain('WAN-federated');
    expect(consul.requests.filter((r) => r.includes('dc=dc2'))).toEqual([]);
  });

  it('dc2 refusing our local token (403 ACL not found): not ready, naming dc2 and why', async () => {
    consul.setDc2('acl-not-found');
    const v = await verdicts();
    expect(v.billing.verdict).toBe('insufficient-data');
    expect(v.billing.reasons.join('\n')).toMatch(/cannot list the sidecars of billing in datacenter dc2, which is WAN-federated.*403 ACL not found/);
    expect(v.payments.verdict).toBe('insufficient-data');
  });

  it('dc2 unreachable (500 No path to datacenter): not ready, naming dc2 and why', async () => {
    consul.setDc2('no-path');
    const v = await verdicts();
    expect(v.billing.verdict).toBe('insufficient-data');
    expect(v.billing.reasons.join('\n')).toMatch(/cannot list the sidecars of billing in datacenter dc2.*500 No path to datacenter/);
  });
});
