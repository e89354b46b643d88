// The scheduled advisor (schedule function → reconcile function → drift check → advisor) on a
// Consul Enterprise target that manages several namespaces (consul-gitops.yaml `namespaces`), with
// the loopback Enterprise double as Consul: the runtime's catalog reads every managed namespace, so
// a service inheriting a permissive mode from proxy-defaults with a sidecar in `billing` gets its
// strict-mode pull request, in its namespace.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficBy } from '../support/traffic-double.ts';

const PROXY_DEFAULTS = 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n';
const TARGETS = [
  'targets:',
  '  - name: ent',
  '    dir: config-entries',
  '    namespaces: [default, billing]',
  '    advisor:',
  '      window: 7d',
  '      stats: { envoy: {} }',
  '',
].join('\n');

/** Every sidecar saw mTLS only. */
const traffic = trafficBy(() => [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }]);

let consul: EnterpriseDouble;
let h: ServerlessHarness;
beforeEach(async () => {
  consul = await startEnterpriseDouble({ sidecarsIn: { billing: ['ledger'] } });
  consul.put({
    Kind: 'proxy-defaults',
    Name: 'global',
    MutualTLSMode: 'permissive',
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/proxy-defaults.hcl' },
  });
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: TARGETS, CONSUL_HTTP_ADDR: consul.url }, overrides: { trafficSource: () => traffic } });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
  await consul.close();
});

describe('schedule → advisor on a target with namespaces: [default, billing]', () => {
  it('opens the strict-mode PR for the sidecar-only service in billing, with a service-defaults in billing', async () => {
    h.github.addCommit({ 'config-entries/proxy-defaults.hcl': PROXY_DEFAULTS }, 'onboard', { branch: 'master' });
    await h.tick('evt-1');
    expect(h.github.pulls.map((p) => p.head)).toEqual(['consul-gitops/strict/default/billing/ledger']);
    const files = h.github.filesAt('consul-gitops/strict/default/billing/ledger');
    const added = Object.entries(files).filter(([path]) => path !== 'config-entries/proxy-defaults.hcl');
    expect(added).toHaveLength(1);
    expect(added[0]?.[1]).toMatch(/Namespace\s*=\s*"billing"/);
  });
});
