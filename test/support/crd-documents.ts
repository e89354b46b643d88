// A ServiceDefaults CRD as consul-k8s users write it, for the tests of the CRD namespace mapping
// (consul-gitops.yaml `crdNamespaces`): one builder, so every test reads the same document shape.
export const serviceDefaultsCrd = (kubeNamespace: string | undefined, spec: readonly string[], name = 'api'): string =>
  [
    'apiVersion: consul.hashicorp.com/v1alpha1',
    'kind: ServiceDefaults',
    'metadata:',
    `  name: ${name}`,
    ...(kubeNamespace === undefined ? [] : [`  namespace: ${kubeNamespace}`]),
    'spec:',
    ...spec.map((l) => `  ${l}`),
    '',
  ].join('\n');
