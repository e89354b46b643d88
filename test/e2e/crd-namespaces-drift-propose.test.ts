// driftMode: propose on a target whose CRDs consul-k8s maps to Consul namespaces (consul-gitops.yaml
// `crdNamespaces`), through the production path (schedule function → reconcile function → drift
// check → drift pull request on the GitHub double), with the loopback Enterprise double as Consul:
// the drifted entry's file is found by its mapped Consul namespace, a same-named CRD in another
// Kubernetes namespace is left alone, and a CRD rewritten whole keeps its metadata.namespace.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { serviceDefaultsCrd } from '../support/crd-documents.ts';

const crd = (kubeNs: string, spec: string[]) => serviceDefaultsCrd(kubeNs, spec);

const PAYMENTS = crd('payments', ['protocol: http # L7 routing needs it']);
const BILLING = crd('billing', ['protocol: http']);
const tree = { 'config-entries/payments/api.yaml': PAYMENTS, 'config-entries/billing/api.yaml': BILLING };
const TARGETS = [
  'targets:',
  '  - name: ent',
  '    dir: config-entries',
  '    driftMode: propose',
  '    namespaces: all',
  '    crdNamespaces:',
  '      mirroringK8S: true',
  '      mirroringK8SPrefix: k8s-',
  '',
].join('\n');
const BRANCH = 'consul-gitops/drift/ent';

let consul: EnterpriseDouble;
let h: ServerlessHarness;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
  h = await startServerlessHarness({ env: { TARGETS_CONFIG: TARGETS, CONSUL_HTTP_ADDR: consul.url } });
});
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
  await consul.close();
});

/** An entry as apply left it (with the ownership markers), then changed by hand. */
const write = (kube: string, fields: Record<string, unknown>) =>
  consul.put({
    Kind: 'service-defaults',
    Name: 'api',
    Namespace: `k8s-${kube}`,
    ...fields,
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${kube}/api.yaml` },
  });

describe('driftMode: propose with crdNamespaces (mirroringK8S)', () => {
  it('edits the CRD of the drifted Consul namespace in place, and no other', async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    write('payments', { Protocol: 'grpc' });
    write('billing', { Protocol: 'http' });
    await h.tick('evt-1');
    expect(h.github.pulls.map((p) => [p.head, p.state])).toEqual([[BRANCH, 'open']]);
    const files = h.github.filesAt(BRANCH);
    expect(files['config-entries/payments/api.yaml']).toBe(PAYMENTS.replace('protocol: http', 'protocol: grpc'));
    expect(files['config-entries/billing/api.yaml']).toBe(BILLING);
    expect(h.github.pulls[0].body).toContain('`config-entries/payments/api.yaml` | `Protocol` | fields edited in place |');
  });

  it('a CRD rewritten whole keeps the Kubernetes namespace consul-k8s maps to the Consul one', async () => {
    h.github.addCommit(tree, 'onboard', { branch: 'master' });
    // A number: the in-place editors cannot set it, so the file is written anew.
    write('payments', { Protocol: 'http', MaxInboundConnections: 512 });
    write('billing', { Protocol: 'http' });
    await h.tick('evt-1');
    expect(h.github.pulls.map((p) => p.head)).toEqual([BRANCH]);
    const files = h.github.filesAt(BRANCH);
    expect(files['config-entries/payments/api.yaml']).toBe(
      [
        'apiVersion: consul.hashicorp.com/v1alpha1',
        'kind: ServiceDefaults',
        'metadata:',
        '  name: api',
        '  namespace: payments',
        'spec:',
        '  protocol: http',
        '  maxInboundConnections: 512',
        '',
      ].join('\n'),
    );
    expect(files['config-entries/billing/api.yaml']).toBe(BILLING);
  });
});
