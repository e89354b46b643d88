// plan/apply on Consul Enterprise with `namespaces` in consul-gitops.yaml, through the CLI, against a
// loopback double that answers as Enterprise's API does (test/adapters/consul/enterprise-double.ts;
// no Enterprise server here, see docs/enterprise.md).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { withOwnership } from '../../src/core/plan/ownership.ts';
import type { ApiEntry } from '../../src/model/kind-definition.ts';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';

const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const config = (namespaces: string) => `targets:\n  - name: ent\n    prune: true\n${namespaces}`;
const owned = (entry: ApiEntry, file: string) => withOwnership(entry, file) as Record<string, unknown>;

describe('a target that manages every namespace (namespaces: all)', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble();
    consul.put(owned({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, 'config-entries/web.hcl'));
    // Applied earlier from a file since removed, into another namespace.
    consul.put(owned({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'billing', Protocol: 'grpc' }, 'config-entries/ledger.hcl'));
  });
  afterEach(async () => {
    await consul.close();
  });

  it('plan sees an owned entry in another namespace and plans its deletion instead of "no changes"', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n'), 'config-entries/web.hcl': WEB });
    const run = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stdout).toContain('- delete service-defaults/ledger (namespace=billing)');
    expect(run.stdout).toContain('Plan: 0 to create, 0 to update, 1 to delete.');
    expect(run.code).toBe(2);
    const lists = consul.http.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/v1/config/service-defaults'));
    expect(lists.map((r) => new URL(r.url, 'http://x').searchParams.get('ns'))).toEqual(['*']);
  });

  it('apply deletes it in its own namespace, and the next plan has no changes', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n'), 'config-entries/web.hcl': WEB });
    const applied = await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const del = consul.http.requests.find((r) => r.method === 'DELETE');
    expect(del && new URL(del.url, 'http://x').searchParams.get('ns')).toBe('billing');
    expect([...consul.entries.keys()]).toEqual(['service-defaults/default/web']);
    const again = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(again.code).toBe(0);
  });

  it('refuses to plan when ACLs hid a namespace: its entries are unknown, not gone', async () => {
    await consul.close();
    consul = await startEnterpriseDouble({ hidden: ['billing'] });
    consul.put(owned({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, 'config-entries/web.hcl'));
    consul.put(owned({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'billing', Protocol: 'grpc' }, 'config-entries/ledger.hcl'));
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n'), 'config-entries/web.hcl': WEB });
    const run = await runCli(['plan', '--detailed-exitcode', '--consul', consul.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('listing service-defaults in every namespace');
    expect(run.stderr).toContain('is incomplete');
    expect(run.stdout).not.toContain('No changes');
  });
});

describe('a target that names its namespaces', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble();
  });
  afterEach(async () => {
    await consul.close();
  });

  it('lists each named namespace, and partition-level kinds once in default', async () => {
    consul.put(owned({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, 'config-entries/web.hcl'));
    consul.put(owned({ Kind: 'service-defaults', Name: 'ledger', Namespace: 'billing', Protocol: 'grpc' }, 'config-entries/ledger.hcl'));
    consul.put(owned({ Kind: 'service-defaults', Name: 'other', Namespace: 'unmanaged', Protocol: 'grpc' }, 'config-entries/other.hcl'));
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: [default, billing, shipping]\n'), 'config-entries/web.hcl': WEB });
    const run = await runAgainst(consul.url, planCommand, [], cwd);
    expect(run.stdout).toContain('- delete service-defaults/ledger (namespace=billing)');
    expect(run.stdout).not.toContain('service-defaults/other');
    const ns = (path: string) =>
      consul.http.requests
        .filter((r) => r.method === 'GET' && new URL(r.url, 'http://x').pathname === path)
        .map((r) => new URL(r.url, 'http://x').searchParams.get('ns'));
    // `default` is sent as no `ns` at all (what Enterprise reads as default, and CE accepts).
    expect(new Set(ns('/v1/config/service-defaults'))).toEqual(new Set(['billing', 'shipping', null]));
    // proxy-defaults belongs to the partition: listed once, in its default namespace (no `ns`).
    expect(ns('/v1/config/proxy-defaults')).toEqual([null]);
  });

  it('says plainly that a CE Consul has no namespaces', async () => {
    await consul.close();
    consul = await startEnterpriseDouble();
    consul.http.fallback((r) =>
      new URL(r.url, 'http://x').searchParams.has('ns')
        ? { status: 400, body: 'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature' }
        : { status: 200, body: r.url.startsWith('/v1/agent/self') ? '{"Config":{"Version":"1.22.0"}}' : '[]', headers: { 'content-type': 'application/json' } },
    );
    const cwd = tempTree({ 'consul-gitops.yaml': config('    namespaces: all\n'), 'config-entries/web.hcl': WEB });
    const run = await runCli(['plan', '--consul', consul.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('this Consul is Community Edition');
    expect(run.stderr).toContain('remove `namespaces` from the target');
  });
});

describe('entries without a Namespace on a target with its own namespace', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble();
    // Applied earlier by consul-gitops into the target's namespace (ConfigApply merges ?ns=team).
    consul.put(owned({ Kind: 'service-defaults', Name: 'web', Namespace: 'team', Protocol: 'http' }, 'config-entries/web.hcl'));
  });
  afterEach(async () => {
    await consul.close();
  });

  it('are the live entries of that namespace: no changes, not a create plus a delete', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('    consul:\n      namespace: team\n'), 'config-entries/web.hcl': WEB });
    const run = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(run.stdout).toContain('No changes. Consul matches the files.');
    expect(run.code).toBe(0);
  });

  it('an entry in a namespace the target does not manage is refused with its file, line and field; nothing is planned', async () => {
    const other = 'Kind = "service-defaults"\nName = "api"\nNamespace = "payments"\nProtocol = "http"\n';
    const cwd = tempTree({
      'consul-gitops.yaml': config('    consul:\n      namespace: team\n    namespaces: [team, billing]\n'),
      'config-entries/web.hcl': WEB,
      'config-entries/api.hcl': other,
    });
    const run = await runAgainst(consul.url, planCommand, ['--detailed-exitcode'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/api.hcl:3');
    expect(run.stderr).toContain('Namespace');
    expect(run.stderr).toContain('namespace "payments" is not managed by this target, which manages namespaces: [team, billing]');
    expect(run.stdout).not.toContain('Plan:');
  });

  it('an entry in another partition is refused: a target manages one partition', async () => {
    const other = 'Kind = "service-defaults"\nName = "api"\nPartition = "team-b"\nProtocol = "http"\n';
    const cwd = tempTree({
      'consul-gitops.yaml': config('    consul:\n      namespace: team\n'),
      'config-entries/api.hcl': other,
      'config-entries/web.hcl': WEB,
    });
    const run = await runAgainst(consul.url, planCommand, [], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/api.hcl:3');
    expect(run.stderr).toContain('partition "team-b" is not this target\'s partition "default"');
  });
});

describe('writing an entry that names its namespace', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble();
  });
  afterEach(async () => {
    await consul.close();
  });

  it("sends it with ?ns= of its own namespace, not the client's", async () => {
    const api = 'Kind = "service-defaults"\nName = "api"\nNamespace = "billing"\nProtocol = "http"\n';
    const cwd = tempTree({
      'consul-gitops.yaml': config('    consul:\n      namespace: team\n    namespaces: all\n'),
      'config-entries/api.hcl': api,
      'config-entries/web.hcl': WEB,
    });
    const run = await runAgainst(consul.url, applyCommand, ['--auto-approve'], cwd);
    expect(run.code).toBe(0);
    const puts = consul.http.requests.filter((r) => r.method === 'PUT' && r.url.startsWith('/v1/config'));
    const nsOf = (name: string) => {
      const put = puts.find((r) => (JSON.parse(r.body) as { Name: string }).Name === name);
      return put && new URL(put.url, 'http://x').searchParams.get('ns');
    };
    expect(nsOf('api')).toBe('billing');
    expect(nsOf('web')).toBe('team');
    expect([...consul.entries.keys()].sort()).toEqual(['service-defaults/billing/api', 'service-defaults/team/web']);
  });
});
