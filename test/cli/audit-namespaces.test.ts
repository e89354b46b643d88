// `consul-gitops audit` on Consul Enterprise with `namespaces` in consul-gitops.yaml, through main(),
// against the loopback Enterprise double (test/adapters/consul/enterprise-double.ts): a permissive
// service-defaults in another namespace the target manages must keep the mesh "not strict", as
// `plan` sees that namespace's entries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const config = (namespaces: string) => `targets:\n  - name: ent\n${namespaces}`;
const LOCKED_MESH = { Kind: 'mesh', Name: 'mesh', AllowEnablingPermissiveMutualTLS: false, TransparentProxy: { MeshDestinationsOnly: true } };

/** The double ignores `filter`: every service-defaults put here is permissive, so its answer is what Consul's filter returns. */
function seed(consul: EnterpriseDouble): void {
  consul.put(LOCKED_MESH);
  consul.put({ Kind: 'proxy-defaults', Name: 'global', MutualTLSMode: 'strict' });
  consul.put({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'billing', Protocol: 'grpc', MutualTLSMode: 'permissive' });
}

const serviceDefaultsLists = (consul: EnterpriseDouble) =>
  consul.http.requests
    .filter((r) => r.method === 'GET' && new URL(r.url, 'http://x').pathname === '/v1/config/service-defaults')
    .map((r) => new URL(r.url, 'http://x').searchParams);

describe('audit of a target that manages every namespace (namespaces: all)', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble();
    seed(consul);
  });
  afterEach(async () => {
    await consul.close();
  });

  it('names a permissive service in another namespace instead of calling the mesh strict', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n') });
    const run = await runCli(['audit', '--require-strict', '--consul', consul.url], cwd);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('strict: the mesh accepts mTLS only');
    expect(run.stdout).toContain('permissive service-defaults: ledger (namespace billing)');
    expect(run.stdout).toContain('not strict yet');
    expect(run.code).toBe(1);
    const lists = serviceDefaultsLists(consul);
    expect(lists.map((q) => q.get('ns'))).toEqual(['*']);
    expect(lists.map((q) => q.get('filter'))).toEqual(['MutualTLSMode == "permissive"']);
  });

  it('--json carries the namespace of each permissive service', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n') });
    const run = await runCli(['audit', '--json', '--consul', consul.url], cwd);
    expect(run.code).toBe(0);
    const audit = JSON.parse(run.stdout) as { strict: boolean; permissiveServices: string[] };
    expect(audit.strict).toBe(false);
    expect(audit.permissiveServices).toEqual(['ledger (namespace billing)']);
  });

  it('stops when ACLs hid a namespace: a hidden permissive service is not "strict"', async () => {
    await consul.close();
    consul = await startEnterpriseDouble({ hidden: ['billing'] });
    seed(consul);
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n') });
    const run = await runCli(['audit', '--consul', consul.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is incomplete');
    expect(run.stdout).not.toContain('strict: the mesh accepts mTLS only');
  });
});

describe('audit of a target that names its namespaces', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble();
    seed(consul);
    consul.put({ Kind: 'service-defaults', Name: 'other', Namespace: 'unmanaged', MutualTLSMode: 'permissive' });
  });
  afterEach(async () => {
    await consul.close();
  });

  it('reads each named namespace, and the rest of the partition once', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: [default, billing]\n') });
    const run = await runCli(['audit', '--require-strict', '--consul', consul.url], cwd);
    expect(run.stdout).toContain('permissive service-defaults: ledger (namespace billing)\n');
    expect(run.stdout).toContain('other (namespace unmanaged) (not managed by this target)');
    expect(run.code).toBe(1);
    expect(new Set(serviceDefaultsLists(consul).map((q) => q.get('ns')))).toEqual(new Set(['billing', null, '*']));
  });
});
