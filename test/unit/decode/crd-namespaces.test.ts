// Which CRD kinds consul-k8s puts in the mapped Consul namespace, kind by kind, from its source
// (hashicorp/consul-k8s control-plane/api/v1alpha1/*_types.go): ConsulGlobalResource() true →
// the partition's `default` (ProxyDefaults, Mesh, ExportedServices, JWTProvider,
// ControlPlaneRequestLimit); otherwise namespaces.go ConsulNamespace(ConsulMirroringNS(), …).
// SamenessGroup is the one deliberate difference (docs/enterprise.md): partition-level in Consul.
import { describe, expect, it } from 'vitest';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { KINDS } from '../../../src/model/registry.ts';
import type { CrdNamespaces } from '../../../src/model/tenancy.ts';

const GLOBAL_IN_CONSUL_K8S = ['ProxyDefaults', 'Mesh', 'ExportedServices', 'JWTProvider', 'ControlPlaneRequestLimit'];
const NAMESPACED_IN_CONSUL_K8S = [
  'ServiceDefaults',
  'ServiceIntentions',
  'ServiceResolver',
  'ServiceRouter',
  'ServiceSplitter',
  'IngressGateway',
  'TerminatingGateway',
];

const mirror: CrdNamespaces = { mirroringK8S: true, mirroringK8SPrefix: 'k8s-', consulDestinationNamespace: 'default' };
const destination: CrdNamespaces = { mirroringK8S: false, consulDestinationNamespace: 'team' };

function namespaceOf(crdKind: string, options: CrdNamespaces | undefined, k8sNamespace = 'billing'): unknown {
  const name = crdKind === 'ProxyDefaults' ? 'global' : crdKind === 'Mesh' ? 'mesh' : 'x';
  const spec = crdKind === 'ServiceIntentions' ? 'spec:\n  destination:\n    name: x\n' : 'spec: {}\n';
  const text = `apiVersion: consul.hashicorp.com/v1alpha1\nkind: ${crdKind}\nmetadata:\n  name: ${name}\n  namespace: ${k8sNamespace}\n${spec}`;
  const tree = parseSourceFiles([{ path: 'crd.yaml', text }], () => options);
  expect(tree.errors).toEqual([]);
  return tree.entries[0].entry.Namespace;
}

describe('CRD namespace per kind, as consul-k8s maps it', () => {
  it('covers every CRD kind the registry reads', () => {
    const all = KINDS.flatMap((k) => (k.crdKind ? [k.crdKind] : []));
    expect([...GLOBAL_IN_CONSUL_K8S, ...NAMESPACED_IN_CONSUL_K8S, 'SamenessGroup'].sort()).toEqual(all.sort());
  });

  it.each(NAMESPACED_IN_CONSUL_K8S)('%s: prefix + Kubernetes namespace when mirroring, the destination otherwise', (kind) => {
    expect(namespaceOf(kind, mirror)).toBe('k8s-billing');
    expect(namespaceOf(kind, destination)).toBe('team');
  });

  it.each([...GLOBAL_IN_CONSUL_K8S, 'SamenessGroup'])('%s: not mapped (partition-level)', (kind) => {
    expect(namespaceOf(kind, mirror)).toBeUndefined();
    expect(namespaceOf(kind, destination)).toBeUndefined();
  });

  it('without crdNamespaces: not mapped, and a warning for a namespace other than default', () => {
    expect(namespaceOf('ServiceDefaults', undefined)).toBeUndefined();
    const tree = parseSourceFiles([
      { path: 'crd.yaml', text: 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata:\n  name: x\n  namespace: billing\nspec: {}\n' },
    ]);
    expect(tree.warnings.map((w) => w.field)).toEqual(['metadata.namespace']);
  });
});
