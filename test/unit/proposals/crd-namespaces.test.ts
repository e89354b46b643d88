// A new ServiceDefaults proposed into a CRD tree whose target mirrors Kubernetes namespaces
// (crdNamespaces.mirroringK8S): it names the Kubernetes namespace consul-k8s maps to the service's
// Consul namespace (control-plane/namespaces/namespaces.go ConsulNamespace, read backwards), and a
// service in a namespace no Kubernetes namespace maps to is refused rather than written elsewhere.
import { describe, expect, it } from 'vitest';
import { proposeStrictMode } from '../../../src/core/proposals/propose-strict.ts';

const PROXY_DEFAULTS = [
  'apiVersion: consul.hashicorp.com/v1alpha1',
  'kind: ProxyDefaults',
  'metadata:',
  '  name: global',
  'spec:',
  '  mutualTLSMode: permissive',
  '',
].join('\n');
const files = [{ path: 'proxy-defaults.yaml', text: PROXY_DEFAULTS }];
const crdNamespaces = { mirroringK8S: true, mirroringK8SPrefix: 'k8s-', consulDestinationNamespace: 'default' };
const service = (namespace: string) => ({ name: 'web', namespace, partition: 'default' });

describe('proposeStrictMode: a new ServiceDefaults under crdNamespaces.mirroringK8S', () => {
  it('names the Kubernetes namespace behind the prefix', () => {
    const p = proposeStrictMode({ files, service: service('k8s-payments'), origin: { kind: 'proxy-defaults' }, crdNamespaces });
    expect(p).toEqual({
      ok: true,
      changes: [
        {
          path: 'web.yaml',
          after: [
            'apiVersion: consul.hashicorp.com/v1alpha1',
            'kind: ServiceDefaults',
            'metadata:',
            '  name: web',
            '  namespace: payments',
            'spec:',
            '  mutualTLSMode: strict',
            '',
          ].join('\n'),
        },
      ],
    });
  });

  it.each([
    ['default', 'which is not "k8s-" followed by a Kubernetes namespace name'],
    ['k8s-Payments', 'which is not "k8s-" followed by a Kubernetes namespace name'],
  ])('refuses a service in %s, which consul-k8s never writes to', (namespace, why) => {
    const p = proposeStrictMode({ files, service: service(namespace), origin: { kind: 'proxy-defaults' }, crdNamespaces });
    expect(p.ok).toBe(false);
    expect(!p.ok && p.reason).toContain(`no ServiceDefaults resource can define service-defaults "web": it is in the Consul namespace "${namespace}", ${why}`);
  });
});
