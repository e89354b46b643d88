// `plan --out` then `apply FILE` on a `+ent` target (issue 11, stop 21): apply proves Consul did not
// change since the plan by listing again what the plan's decisions rest on. Of the Enterprise-only
// kinds (sameness-group, control-plane-request-limit) that is only those the plan writes, or, when
// it deletes anything, those it read (the mass-deletion guard counted them): a plan that leaves them
// alone costs no list of them. Against the loopback Enterprise double (no Enterprise server here).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const SAMENESS = 'Kind = "sameness-group"\nName = "east-west"\nMembers = [{ Peer = "dc2" }]\n';
const LIMIT = 'Kind = "control-plane-request-limit"\nName = "global"\nMode = "enforcing"\nReadRate = 100\n';
const API = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n';
const ENT_KINDS = /^\/v1\/config\/(sameness-group|control-plane-request-limit)(\?|$)/;

describe('apply FILE on a +ent target: Enterprise-only kinds listed again only when the plan rests on them', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble({ version: '1.22.5+ent' });
  });
  // Both Enterprise-only entries (and `extra`) applied from files first, so consul-gitops owns them.
  const applied = async (extra: Record<string, string> = {}) => {
    const first = await runCli(
      ['apply', '--auto-approve', '--consul', consul.url],
      tempTree({ 'config-entries/sameness.hcl': SAMENESS, 'config-entries/limit.hcl': LIMIT, ...extra }),
    );
    expect(first.code).toBe(0);
  };
  afterEach(async () => {
    await consul.close();
  });
  const listedAfter = (from: number) =>
    consul.http.requests
      .slice(from)
      .filter((r) => r.method === 'GET')
      .map((r) => r.url)
      .filter((u) => ENT_KINDS.test(u));

  it('a plan that changes neither: apply lists neither, and applies', async () => {
    await applied();
    const cwd = tempTree({ 'config-entries/sameness.hcl': SAMENESS, 'config-entries/limit.hcl': LIMIT, 'config-entries/api.hcl': API });
    const saved = await runCli(['plan', '--out', 'plan.json', '--consul', consul.url], cwd);
    expect(saved.stdout).toContain('+ create service-defaults/api');
    expect(saved.stdout).not.toMatch(/sameness-group\/east-west|control-plane-request-limit\/global/);
    expect(saved.code).toBe(0);
    const from = consul.http.requests.length;
    const apply = await runCli(['apply', 'plan.json', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(listedAfter(from)).toEqual([]);
    expect([...consul.entries.values()].some((e) => e.Kind === 'service-defaults' && e.Name === 'api')).toBe(true);
  });

  it('a plan that updates the sameness group lists that kind only, and is refused when the group changed since', async () => {
    await applied();
    const cwd = tempTree({ 'config-entries/sameness.hcl': SAMENESS.replace('dc2', 'dc3'), 'config-entries/limit.hcl': LIMIT });
    const saved = await runCli(['plan', '--out', 'plan.json', '--consul', consul.url], cwd);
    expect(saved.stdout).toContain('~ update sameness-group/east-west');
    expect(saved.code).toBe(0);
    const live = [...consul.entries.values()].find((e) => e.Kind === 'sameness-group')!;
    consul.put({ ...live, Members: [{ Peer: 'dc4' }] });
    const from = consul.http.requests.length;
    const apply = await runCli(['apply', 'plan.json', '--consul', consul.url], cwd);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/sameness-group\/east-west: changed since the plan \(ModifyIndex \d+ → \d+\)/);
    expect(listedAfter(from).map((u) => u.split('?')[0])).toEqual(['/v1/config/sameness-group']);
  });

  it('a plan that deletes lists again every Enterprise-only kind it read (the mass-deletion guard counted them)', async () => {
    await applied({ 'config-entries/old.hcl': 'Kind = "service-defaults"\nName = "old"\nProtocol = "tcp"\n' });
    const cwd = tempTree({ 'config-entries/sameness.hcl': SAMENESS, 'config-entries/limit.hcl': LIMIT });
    const saved = await runCli(['plan', '--out', 'plan.json', '--prune', '--consul', consul.url], cwd);
    expect(saved.stdout).toContain('- delete service-defaults/old');
    expect(saved.code).toBe(0);
    const from = consul.http.requests.length;
    const apply = await runCli(['apply', 'plan.json', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(
      listedAfter(from)
        .map((u) => u.split('?')[0])
        .sort(),
    ).toEqual(['/v1/config/control-plane-request-limit', '/v1/config/sameness-group']);
  });
});
