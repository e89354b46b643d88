// consul-gitops.yaml `crdNamespaces`: a CRD's entry goes to the Consul namespace consul-k8s would
// write it to (control-plane/namespaces/namespaces.go ConsulNamespace; configentry_controller.go
// consulNamespace), through the CLI against the loopback Enterprise double: mirroring with a prefix,
// a fixed destination namespace, partition-level kinds left in `default`, an intention's own
// destination namespace kept, and the refusals (CE, no Kubernetes namespace, unmanaged namespace).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startDevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const crd = (kind: string, name: string, namespace: string | undefined, spec: string[]) =>
  [
    'apiVersion: consul.hashicorp.com/v1alpha1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(namespace === undefined ? [] : [`  namespace: ${namespace}`]),
    'spec:',
    ...spec.map((l) => `  ${l}`),
    '',
  ].join('\n');

const apiDefaults = (ns?: string) => crd('ServiceDefaults', 'api', ns, ['protocol: http']);
const webIntentions = (ns: string, destinationNs?: string) =>
  crd('ServiceIntentions', 'web-intentions', ns, [
    'destination:',
    '  name: web',
    ...(destinationNs ? [`  namespace: ${destinationNs}`] : []),
    'sources:',
    '  - name: api',
    '    action: allow',
  ]);
const proxyDefaults = (ns: string) => crd('ProxyDefaults', 'global', ns, ['config:', '  protocol: http']);

const mirroring = [
  'targets:',
  '  - name: ent',
  '    namespaces: all',
  '    crdNamespaces:',
  '      mirroringK8S: true',
  '      mirroringK8SPrefix: k8s-',
  '',
].join('\n');

let consul: EnterpriseDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
});
afterEach(async () => {
  await consul.close();
});

const stored = () =>
  [...consul.entries.values()]
    .filter((e) => e.Kind !== undefined)
    .map((e) => `${String(e.Kind)}/${String(e.Name)} @ ${String(e.Namespace)}`)
    .sort();

describe('crdNamespaces: mirroringK8S', () => {
  it('each entry is planned and written in prefix + its Kubernetes namespace; partition-level kinds stay in default', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': mirroring,
      'config-entries/api.yaml': apiDefaults('billing'),
      'config-entries/web.yaml': webIntentions('billing'),
      'config-entries/proxy.yaml': proxyDefaults('billing'),
    });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.stderr).not.toMatch(/error|warning/i);
    expect(plan.stdout).toContain('+ create service-defaults/api (namespace=k8s-billing)');
    expect(plan.stdout).toContain('+ create service-intentions/web (namespace=k8s-billing)');
    expect(plan.stdout).toContain('+ create proxy-defaults/global  (config-entries/proxy.yaml:1)');
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.code).toBe(0);
    expect(stored()).toEqual(['proxy-defaults/global @ default', 'service-defaults/api @ k8s-billing', 'service-intentions/web @ k8s-billing']);
    // Read back from every namespace: nothing left to do.
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', consul.url], cwd);
    expect(again.code).toBe(0);
  });

  it("an intention's spec.destination.namespace is kept as written, as consul-k8s does", async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': mirroring, 'config-entries/web.yaml': webIntentions('billing', 'shared') });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.stdout).toContain('+ create service-intentions/web (namespace=shared)');
  });

  it('validate maps the same way: no "not used" warning, the entry named in its namespace by render', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': mirroring, 'config-entries/api.yaml': apiDefaults('billing') });
    const validate = await runCli(['validate'], cwd);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const render = await runCli(['render'], cwd);
    expect(render.stdout).toContain('# service-defaults/api (namespace=k8s-billing)');
  });

  it('a CRD without metadata.namespace is refused with file, line and field; nothing written', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': mirroring, 'config-entries/api.yaml': apiDefaults() });
    const run = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/api.yaml:3:1: metadata.namespace: a service-defaults CRD needs metadata.namespace');
    expect(consul.http.requests.filter((r) => r.method === 'PUT' && r.url.startsWith('/v1/config'))).toEqual([]);
  });

  it('a mirrored namespace the target does not manage is refused at metadata.namespace', async () => {
    const listed = mirroring.replace('namespaces: all', 'namespaces: [k8s-billing]');
    const cwd = tempTree({ 'consul-gitops.yaml': listed, 'config-entries/api.yaml': apiDefaults('payments') });
    const run = await runCli(['plan', '--consul', consul.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'config-entries/api.yaml:5:3: Namespace: service-defaults/api (namespace=k8s-payments): namespace "k8s-payments" is not managed',
    );
  });
});

describe('crdNamespaces: consulDestinationNamespace', () => {
  it('every namespaced CRD entry goes to the destination, whatever its Kubernetes namespace', async () => {
    const config = [
      'targets:',
      '  - name: ent',
      '    consul:',
      '      namespace: team',
      '    crdNamespaces:',
      '      consulDestinationNamespace: team',
      '',
    ].join('\n');
    const cwd = tempTree({ 'consul-gitops.yaml': config, 'config-entries/api.yaml': apiDefaults('billing') });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.stderr).not.toMatch(/error|warning/i);
    expect(plan.stdout).toContain('+ create service-defaults/api (namespace=team)');
  });
});

describe('crdNamespaces: refused where consul-k8s would not map', () => {
  it('a consulVersion without +ent (CE): a config error naming the field', async () => {
    const config = mirroring.replace('    namespaces: all\n', '    namespaces: all\n    consulVersion: 1.22.0\n');
    const run = await runCli(['validate'], tempTree({ 'consul-gitops.yaml': config, 'config-entries/api.yaml': apiDefaults('billing') }));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('consul-gitops.yaml: targets.0.crdNamespaces: Consul namespaces are a Consul Enterprise feature');
  });

  it('mirroring without namespaces: a config error (plan could neither see nor prune the mirrored entries)', async () => {
    const config = mirroring.replace('    namespaces: all\n', '');
    const run = await runCli(['validate'], tempTree({ 'consul-gitops.yaml': config, 'config-entries/api.yaml': apiDefaults('billing') }));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('consul-gitops.yaml: targets.0.crdNamespaces.mirroringK8S: mirrored entries land in many Consul namespaces');
  });

  it('a prefix without mirroring, or a destination the target does not manage: config errors naming the field', async () => {
    const prefixOnly = ['targets:', '  - name: ent', '    crdNamespaces:', '      mirroringK8SPrefix: k8s-', ''].join('\n');
    const a = await runCli(['validate'], tempTree({ 'consul-gitops.yaml': prefixOnly, 'config-entries/api.yaml': apiDefaults('billing') }));
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain('consul-gitops.yaml: targets.0.crdNamespaces.mirroringK8SPrefix: mirroringK8SPrefix applies only with mirroringK8S: true');
    const unmanaged = ['targets:', '  - name: ent', '    namespaces: [team]', '    crdNamespaces:', '      consulDestinationNamespace: other', ''].join('\n');
    const b = await runCli(['validate'], tempTree({ 'consul-gitops.yaml': unmanaged, 'config-entries/api.yaml': apiDefaults('billing') }));
    expect(b.code).not.toBe(0);
    expect(b.stderr).toContain('consul-gitops.yaml: targets.0.crdNamespaces.consulDestinationNamespace: not a namespace this target manages');
  });

  it('a CE server (its version has no +ent): plan stops before any write', async () => {
    const ce = await startDevServer({ port: 0, host: '127.0.0.1' });
    try {
      const config = ['targets:', '  - name: ce', '    crdNamespaces:', '      consulDestinationNamespace: default', ''].join('\n');
      const cwd = tempTree({ 'consul-gitops.yaml': config, 'config-entries/api.yaml': apiDefaults('billing') });
      const run = await runCli(['apply', '--auto-approve', '--consul', ce.url], cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('consul-gitops.yaml:1:1: crdNamespaces: this Consul');
      expect(run.stderr).toContain('is Community Edition');
      const listed = await fetch(`${ce.url}/v1/config/service-defaults`).then((r) => r.json());
      expect(listed).toEqual([]);
    } finally {
      await ce.close();
    }
  });
});
