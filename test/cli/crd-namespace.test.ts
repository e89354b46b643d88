// A CRD's metadata.namespace is a Kubernetes namespace that consul-gitops does not map to a Consul
// namespace (docs/enterprise.md): `validate` says so, with file and line, instead of ignoring it silently.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const crd = (namespace?: string) =>
  [
    'apiVersion: consul.hashicorp.com/v1alpha1',
    'kind: ServiceDefaults',
    'metadata:',
    '  name: api',
    ...(namespace === undefined ? [] : [`  namespace: ${namespace}`]),
    'spec:',
    '  protocol: http',
    '',
  ].join('\n');

describe('CRD metadata.namespace', () => {
  it('a namespace other than default: a warning naming file, line and field; still valid', async () => {
    const run = await runCli(['validate'], tempTree({ 'config-entries/api.yaml': crd('billing') }));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: config-entries/api.yaml:5:14: metadata.namespace: the Kubernetes namespace "billing" is not used: the entry is written to the target\'s Consul namespace',
    );
    expect(run.stderr).toContain('hint: remove metadata.namespace');
  });

  it('default or none: no warning', async () => {
    for (const text of [crd('default'), crd()]) {
      const run = await runCli(['validate'], tempTree({ 'config-entries/api.yaml': text }));
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
    }
  });
});
