// A warm reconcile Lambda runs the scheduled advisor many times with one runtime: the read of the
// namespaces outside the target (outsideTargetRead, the mesh lockdown's gate) must be made again on
// each run, never kept from the one before. First tick: `ledger` in namespace `other` is permissive,
// the lockdown is held back; then it goes strict in Consul, and the next tick in the same process
// proposes the lockdown.
import { afterEach, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficDouble } from '../support/traffic-double.ts';

const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/mesh.hcl' };
const HELD_BACK = 'the mesh lockdown is held back: 1 service in a namespace this target does not manage is permissive in Consul: ledger (namespace other)';

let consul: EnterpriseDouble | undefined;
let h: ServerlessHarness | undefined;
afterEach(async () => {
  expect(h?.github.unexpected).toEqual([]);
  await h?.close();
  await consul?.close();
});

it('the second scheduled run in one warm process reads the other namespaces again', async () => {
  consul = await startEnterpriseDouble({ sidecars: ['api'], sidecarsIn: { other: ['ledger'] } });
  consul.put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true, Meta: OURS });
  consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: 'permissive' });
  h = await startServerlessHarness({
    env: {
      TARGETS_CONFIG: 'targets:\n  - name: ent\n    dir: config-entries\n    namespaces: [default]\n    advisor:\n      stats: { envoy: {} }\n',
      CONSUL_HTTP_ADDR: consul.url,
    },
    overrides: { trafficSource: () => trafficDouble({}) },
  });
  h.github.addCommit({ 'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' }, 'mesh', { branch: 'master' });

  await h.tick('evt-1');
  expect(h.github.pulls.map((p) => p.head)).toEqual([]);
  expect(h.github.issues.find((i) => i.title === 'mTLS posture: ent')?.body).toContain(HELD_BACK);

  consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'other', MutualTLSMode: 'strict' });
  await h.tick('evt-2');
  expect(h.github.pulls.map((p) => p.head)).toEqual(['consul-gitops/mesh-lockdown/ent']);
  expect(h.github.issues.find((i) => i.title === 'mTLS posture: ent')?.body).not.toContain(HELD_BACK);
});
