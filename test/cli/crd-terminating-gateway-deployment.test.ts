// consul-k8s ≥ 2.0's TerminatingGateway `spec.deployment` (#5109,
// control-plane/api/v1alpha1/terminatinggateway_types.go): Kubernetes-only settings of the gateway's
// Deployment, except two that change the config entry. `gatewayName` is the entry's Name
// (`ConsulName()`), and `consulNamespace` replaces metadata.namespace as the namespace consul-k8s
// maps (`ConsulMirroringNS()`, passed to configentry_controller.go consulNamespace → ConsulNamespace):
// with mirroring, prefix + consulNamespace; with a destination namespace, the destination. The
// webhook still defaults `spec.services[].namespace` from metadata.namespace (`DefaultNamespaceFields`).
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const gateway = (deployment: string[], namespace = 'payments') =>
  [
    'apiVersion: consul.hashicorp.com/v1alpha1',
    'kind: TerminatingGateway',
    'metadata:',
    '  name: tgw',
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  services:',
    '    - name: db',
    '    - name: cache',
    '      namespace: data',
    '  deployment:',
    ...deployment.map((l) => `    ${l}`),
    '',
  ].join('\n');

const config = (crd: string[]) => ['targets:', '  - name: ent', '    namespaces: all', '    crdNamespaces:', ...crd.map((l) => `      ${l}`), ''].join('\n');
const MIRRORING = config(['mirroringK8S: true', 'mirroringK8SPrefix: k8s-']);

async function render(files: Record<string, string>) {
  return runCli(['render', '--json'], tempTree(files));
}

describe('TerminatingGateway spec.deployment', () => {
  it('gatewayName names the entry; consulNamespace is mirrored; services keep the namespace of the Kubernetes one; the rest is Kubernetes-only', async () => {
    const run = await render({
      'consul-gitops.yaml': MIRRORING,
      'config-entries/tgw.yaml': gateway(['gatewayName: egress', 'consulNamespace: shared', 'replicas: 2', 'resources:', '  limits:', '    cpu: 200m']),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [entry] = JSON.parse(run.stdout);
    expect(entry).toEqual({
      Kind: 'terminating-gateway',
      Name: 'egress',
      Namespace: 'k8s-shared',
      Services: [
        { Name: 'db', Namespace: 'k8s-payments' },
        { Name: 'cache', Namespace: 'data' },
      ],
    });
  });

  it('without consulNamespace the metadata.namespace is mapped as for any CRD', async () => {
    const run = await render({ 'consul-gitops.yaml': MIRRORING, 'config-entries/tgw.yaml': gateway(['replicas: 1']) });
    expect(run.stderr).toBe('');
    const [entry] = JSON.parse(run.stdout);
    expect(entry).toMatchObject({ Name: 'tgw', Namespace: 'k8s-payments', Services: [{ Name: 'db' }, { Name: 'cache', Namespace: 'data' }] });
  });

  it('with a destination namespace, consulNamespace changes nothing', async () => {
    const run = await render({
      'consul-gitops.yaml': [
        'targets:',
        '  - name: ent',
        '    consul:',
        '      namespace: team',
        '    crdNamespaces:',
        '      consulDestinationNamespace: team',
        '',
      ].join('\n'),
      'config-entries/tgw.yaml': gateway(['consulNamespace: shared']),
    });
    expect(run.stderr).toBe('');
    const [entry] = JSON.parse(run.stdout);
    expect(entry).toMatchObject({
      Name: 'tgw',
      Namespace: 'team',
      Services: [
        { Name: 'db', Namespace: 'team' },
        { Name: 'cache', Namespace: 'data' },
      ],
    });
  });

  it('an unknown deployment key, or consulNamespace under mirroring without metadata.namespace, is refused with file, line and field', async () => {
    const typo = await render({ 'consul-gitops.yaml': MIRRORING, 'config-entries/tgw.yaml': gateway(['replica: 2']) });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('config-entries/tgw.yaml:12:5: spec.deployment.replica: invalid key "replica"');
    const noKubeNs = await render({ 'consul-gitops.yaml': MIRRORING, 'config-entries/tgw.yaml': gateway(['consulNamespace: shared'], '') });
    expect(noKubeNs.code).toBe(1);
    expect(noKubeNs.stderr).toContain('config-entries/tgw.yaml:3:1: metadata.namespace: a terminating-gateway CRD needs metadata.namespace');
  });
});
