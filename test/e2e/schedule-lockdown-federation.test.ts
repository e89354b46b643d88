// The schedule → reconcile Lambdas (the same advise use case as the CLI) against two WAN-federated
// datacenters (real dev servers behind test/support/fed-federated-consul.ts): Git and dc1 hold no
// permissive service, the mesh still allows permissive mode, and a sidecar in dc2 is registered with
// its own `Proxy.MutualTLSMode = "permissive"`. The mesh entry replicates to dc2, so the posture
// issue must hold the lockdown back naming dc2, never propose it.
import { describe, expect, it } from 'vitest';
import { startServerlessHarness } from '../support/serverless-harness.ts';
import { startFederatedConsul } from '../support/fed-federated-consul.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const MESH = 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\nTransparentProxy {\n  MeshDestinationsOnly = true\n}\n';
const TREE = {
  'config-entries/mesh.hcl': MESH,
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "strict"\n',
};
const TARGETS = 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      stats: { envoy: {} }\n';

describe('the schedule, a permissive sidecar registration in another WAN-federated datacenter', () => {
  it('holds the mesh lockdown back in the posture issue, naming dc2', async () => {
    const consul = await startFederatedConsul();
    const h = await startServerlessHarness({ env: { CONSUL_HTTP_ADDR: consul.url, TARGETS_CONFIG: TARGETS } });
    try {
      await registerSidecar(consul.dc1.url, 'api');
      await registerSidecar(consul.dc2.url, 'api', { MutualTLSMode: 'permissive' });
      h.github.addCommit(TREE, 'api strict', { branch: 'master' });
      await h.tick('evt-1');
      const body = h.github.issues.find((x) => x.title === 'mTLS posture: dc1')?.body ?? '';
      expect(body).toContain(
        'the mesh lockdown is held back: 1 sidecar registration in datacenter dc2 sets its own Proxy.MutualTLSMode = "permissive" (api-sidecar-proxy)',
      );
      expect(h.github.pulls.filter((p) => p.head.startsWith('consul-gitops/mesh-lockdown/'))).toEqual([]);
    } finally {
      await h.close();
      await consul.close();
    }
  });
});
