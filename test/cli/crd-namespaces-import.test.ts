// `import --format crd` on a target whose CRDs consul-k8s maps to Consul namespaces (consul-gitops.yaml
// `crdNamespaces`), through main() against the loopback Enterprise double: the reverse of
// control-plane/namespaces/namespaces.go ConsulNamespace. With mirroring, an entry in `k8s-payments`
// is written with metadata.namespace `payments`; with a destination namespace, its entries get none;
// partition-level kinds get none; an entry in a namespace the mapping cannot produce is skipped,
// with the reason, rather than written as a file that would plan in another namespace.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const config = (crdNamespaces: string[]) =>
  ['targets:', '  - name: ent', '    namespaces: all', '    crdNamespaces:', ...crdNamespaces.map((l) => `      ${l}`), ''].join('\n');
const MIRRORING = config(['mirroringK8S: true', 'mirroringK8SPrefix: k8s-']);

let consul: EnterpriseDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
  consul.put({ Kind: 'service-defaults', Name: 'api', Namespace: 'k8s-payments', Protocol: 'http' });
  consul.put({ Kind: 'service-defaults', Name: 'legacy', Namespace: 'default', Protocol: 'tcp' });
  consul.put({ Kind: 'proxy-defaults', Name: 'global', Config: { protocol: 'http' } });
  consul.put({ Kind: 'service-intentions', Name: 'web', Namespace: 'k8s-payments', Sources: [{ Name: 'api', Action: 'allow' }] });
});
afterEach(() => consul.close());

/** Every file under `dir`, by path relative to it. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('import --format crd with crdNamespaces', () => {
  it('mirroringK8S: metadata.namespace is the Kubernetes namespace behind the prefix; the files plan back as Consul holds them', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': MIRRORING });
    const run = await runCli(['import', '--format', 'crd', '--consul', consul.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = filesUnder(join(cwd, 'config-entries'));
    expect(files['namespace-k8s-payments/service-defaults/api.yaml']).toBe(
      [
        'apiVersion: consul.hashicorp.com/v1alpha1',
        'kind: ServiceDefaults',
        'metadata:',
        '  name: api',
        '  namespace: payments',
        'spec:',
        '  protocol: http',
        '',
      ].join('\n'),
    );
    // Partition-level: no namespace; an intention keeps its Consul namespace in spec.destination.
    expect(files['proxy-defaults/global.yaml']).not.toContain('namespace:');
    expect(files['namespace-k8s-payments/service-intentions/web.yaml']).toContain('destination:\n    name: web\n    namespace: k8s-payments\n');
    // `default` is not "k8s-" + a Kubernetes namespace: consul-k8s never writes there.
    expect(Object.keys(files).some((p) => p.includes('legacy'))).toBe(false);
    expect(run.stdout).toContain(
      'skipped service-defaults/legacy: no consul-k8s CRD can describe it: it is in the Consul namespace "default", which is not "k8s-" followed by a Kubernetes namespace name',
    );
    // Read back through plan: only ownership markers to add, nothing planned elsewhere.
    const plan = await runCli(['plan', '--consul', consul.url, '--adopt'], cwd);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to create, 3 to update, 0 to delete.');
    expect(plan.stdout).toContain('~ update service-defaults/api (namespace=k8s-payments)');
    // Each update only adds the ownership markers.
    expect(plan.stdout.split('\n').filter((l) => /^\s+[+~-] (?!update)/.test(l) && !/Meta|managed-by|consul-gitops\/source/.test(l))).toEqual([]);
  });

  it('consulDestinationNamespace: entries there get no metadata.namespace; entries elsewhere are skipped', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config(['consulDestinationNamespace: k8s-payments']) });
    const run = await runCli(['import', '--format', 'crd', '--kinds', 'service-defaults', '--consul', consul.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = filesUnder(join(cwd, 'config-entries'));
    expect(Object.keys(files)).toEqual(['namespace-k8s-payments/service-defaults/api.yaml']);
    expect(files['namespace-k8s-payments/service-defaults/api.yaml']).not.toContain('namespace:');
    expect(run.stdout).toContain(
      'skipped service-defaults/legacy: no consul-k8s CRD can describe it: it is in the Consul namespace "default", and consul-k8s writes every CRD\'s entry to "k8s-payments"',
    );
  });
});
