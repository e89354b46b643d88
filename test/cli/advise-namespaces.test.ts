// `advise` on a Consul Enterprise target that manages several namespaces (consul-gitops.yaml
// `namespaces`), through main() against the loopback Enterprise double: a service whose only
// mode is a permissive one inherited from proxy-defaults, with a sidecar in a managed namespace
// other than the client's own, is judged there, and a namespace the token may not read stops the
// advice instead of looking empty.
import { afterEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { main } from '../../src/cli/main.ts';
import { commitAll } from '../support/git-repo.ts';
import { tempTree } from '../support/run-cli.ts';
import { askedOf, trafficBy, type TrafficDouble } from '../support/traffic-double.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const PROXY_DEFAULTS = 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n';
const tree = (namespaces: string) => ({
  'consul-gitops.yaml': `targets:\n  - name: ent\n    namespaces: ${namespaces}\n`,
  'config-entries/proxy-defaults.hcl': PROXY_DEFAULTS,
});

/** Every sidecar saw mTLS only: each service asked about is ready for strict. */
function traffic(): TrafficDouble {
  return trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]);
}

let consul: EnterpriseDouble | undefined;
afterEach(async () => {
  await consul?.close();
  consul = undefined;
});

async function advise(double: EnterpriseDouble, namespaces: string, args: string[] = [], cwd = tempTree(tree(namespaces))) {
  // As apply left it: proxy-defaults permissive (partition-level, in default), ours.
  double.put({
    Kind: 'proxy-defaults',
    Name: 'global',
    MutualTLSMode: 'permissive',
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/proxy-defaults.hcl' },
  });
  let stdout = '';
  let stderr = '';
  const source = traffic();
  const code = await main(
    ['advise', '--consul', double.url, '--stats', 'envoy', ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    { now: () => NOW, trafficSource: () => source, env: {} },
  );
  return { code, stdout, stderr, asked: askedOf(source) };
}

type Judged = { service: string; namespace: string; verdict: string };
const judged = (stdout: string) => (JSON.parse(stdout).services as Judged[]).map((s) => [s.service, s.namespace, s.verdict]);

describe('advise on a target that manages several namespaces', () => {
  it('namespaces: [default, billing]: judges the sidecar-only service in billing, named with its namespace', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['web'], sidecarsIn: { billing: ['ledger'], unmanaged: ['other'] } });
    const run = await advise(consul, '[default, billing]', ['--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(judged(run.stdout)).toEqual([
      ['ledger', 'billing', 'ready-for-strict'],
      ['web', 'default', 'ready-for-strict'],
    ]);
    expect(run.asked.sort()).toEqual(['default/billing/ledger', 'default/default/web']);
    const catalogNs = consul.http.requests
      .filter((r) => r.url.startsWith('/v1/catalog/services') && !r.url.includes('MutualTLSMode'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('ns') ?? 'default');
    expect(new Set(catalogNs)).toEqual(new Set(['default', 'billing']));
  });

  it('the text report names the namespace of the service', async () => {
    consul = await startEnterpriseDouble({ sidecarsIn: { billing: ['ledger'] } });
    const run = await advise(consul, '[default, billing]');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ledger[^\n]*billing|billing[^\n]*ledger/);
  });

  it('namespaces: all: reads every namespace Consul lists, without a wildcard on the catalog', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['web'], sidecarsIn: { billing: ['ledger'], shipping: ['courier'] } });
    const run = await advise(consul, 'all', ['--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(judged(run.stdout)).toEqual([
      ['ledger', 'billing', 'ready-for-strict'],
      ['web', 'default', 'ready-for-strict'],
      ['courier', 'shipping', 'ready-for-strict'],
    ]);
    const catalogNs = consul.http.requests
      .filter((r) => r.url.startsWith('/v1/catalog/services'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('ns'));
    expect(catalogNs).not.toContain('*');
  });

  it('a managed namespace the token may not read stops the advice instead of looking empty', async () => {
    consul = await startEnterpriseDouble({ hidden: ['billing'], sidecarsIn: { billing: ['ledger'] } });
    const run = await advise(consul, '[default, billing]');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('billing');
    expect(run.stderr).toContain('is incomplete');
    expect(run.stdout).toBe('');
  });

  it('namespaces: all with a namespace hidden from the namespace list stops the advice too', async () => {
    consul = await startEnterpriseDouble({ hidden: ['billing'], sidecarsIn: { billing: ['ledger'] } });
    const run = await advise(consul, 'all');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is incomplete');
    expect(run.stdout).toBe('');
  });
});

describe('advise matches each namespace to its own service-defaults', () => {
  it('a strict service-defaults in default does not cover the same name in billing, and the proposal names billing', async () => {
    consul = await startEnterpriseDouble({ sidecars: ['ledger'], sidecarsIn: { billing: ['ledger'] } });
    const cwd = tempTree({
      ...tree('[default, billing]'),
      'config-entries/ledger.hcl': 'Kind = "service-defaults"\nName = "ledger"\nMutualTLSMode = "strict"\n',
    });
    const git = commitAll(cwd);
    const run = await advise(consul, '[default, billing]', ['--json', '--write-branch'], cwd);
    expect(judged(run.stdout)).toEqual([['ledger', 'billing', 'ready-for-strict']]);
    expect(run.code).toBe(0);
    const branches = git('branch', '--list', '--format=%(refname:short)').trim().split('\n').sort();
    expect(branches).toEqual(['consul-gitops/strict/default/billing/ledger', 'main']);
    const [file] = git('diff', '--name-only', 'main', 'consul-gitops/strict/default/billing/ledger').trim().split('\n');
    const text = git('show', `consul-gitops/strict/default/billing/ledger:${file}`);
    expect(text).toMatch(/Namespace\s*=\s*"billing"/);
    expect(text).toMatch(/MutualTLSMode\s*=\s*"strict"/);
  });
});
