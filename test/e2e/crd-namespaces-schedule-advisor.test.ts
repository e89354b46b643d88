// The scheduled advisor (schedule function → reconcile function → drift check → advisor) on a target
// whose CRDs consul-k8s maps to Consul namespaces (consul-gitops.yaml `crdNamespaces`), with the
// loopback Enterprise double as Consul: the runtime hands the target's mapping to the advisor, so the
// same service name in two Kubernetes namespaces is judged per Consul namespace, and the strict-mode
// pull request flips the file of the ready one only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { trafficBy } from '../support/traffic-double.ts';
import { serviceDefaultsCrd } from '../support/crd-documents.ts';

const crd = (kubeNs: string, mode: string) => serviceDefaultsCrd(kubeNs, ['protocol: http', `mutualTLSMode: ${mode}`]);
const tree = { 'config-entries/payments/api.yaml': crd('payments', 'permissive'), 'config-entries/billing/api.yaml': crd('billing', 'permissive') };
const TARGETS = [
  'targets:',
  '  - name: ent',
  '    dir: config-entries',
  '    namespaces: all',
  '    crdNamespaces:',
  '      mirroringK8S: true',
  '    advisor:',
  '      window: 7d',
  '      stats: { envoy: {} }',
  '',
].join('\n');

/** `api` in the payments namespace no longer sees plaintext; in billing it still does. */
const traffic = trafficBy((service) => [{ plaintextPerMinute: service.namespace === 'billing' ? 3 : 0, handshakesPerMinute: 12 }]);

let consul: EnterpriseDouble;
let h: ServerlessHarness;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
  for (const kube of ['payments', 'billing'])
    consul.put({
      Kind: 'service-defaults',
      Name: 'api',
      Namespace: kube,
      Protocol: 'http',
      MutualTLSMode: 'permissive',
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${kube}/api.yaml` },
    });
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: TARGETS, CONSUL_HTTP_ADDR: consul.url }, overrides: { trafficSource: () => traffic } });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
  await consul.close();
});

describe('schedule → advisor with crdNamespaces (mirroringK8S)', () => {
  it('opens the strict-mode PR for the ready Consul namespace, flipping its CRD only', async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    await h.tick('evt-1');
    expect(h.github.pulls.map((p) => [p.title, p.head])).toEqual([
      ['mTLS: move api (namespace payments) to strict', 'consul-gitops/strict/default/payments/api'],
    ]);
    const files = h.github.filesAt('consul-gitops/strict/default/payments/api');
    expect(files['config-entries/payments/api.yaml']).toBe(crd('payments', 'strict'));
    expect(files['config-entries/billing/api.yaml']).toBe(tree['config-entries/billing/api.yaml']);
  });
});
