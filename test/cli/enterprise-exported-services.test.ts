// exported-services on Consul Enterprise is named after its partition (CE: "default"), through the
// CLI against the loopback Enterprise double: a target whose consul.partition is team-a plans and
// applies an entry named team-a, and refuses one named default with file, line and the expected name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startDevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const exported = (name: string) => `Kind = "exported-services"\nName = "${name}"\nServices = [{ Name = "api", Consumers = [{ Partition = "team-b" }] }]\n`;
const teamA = 'targets:\n  - name: ent\n    consul:\n      partition: team-a\n';

let consul: EnterpriseDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble();
});
afterEach(async () => {
  await consul.close();
});

describe('exported-services name on an Enterprise partition', () => {
  it('named after the target partition: planned, applied, stored in that partition', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': teamA, 'config-entries/exports.hcl': exported('team-a') });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.stderr).not.toMatch(/error/i);
    expect(plan.stdout).toContain('+ create exported-services/team-a');
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.code).toBe(0);
    expect([...consul.entries.values()].filter((e) => e.Kind === 'exported-services')).toEqual([
      expect.objectContaining({ Name: 'team-a', Partition: 'team-a' }),
    ]);
  });

  it('named default on partition team-a: refused with file, line and the expected name; nothing written', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': teamA, 'config-entries/exports.hcl': exported('default') });
    const run = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/exports.hcl:2:1: Name: exported-services Name must be "team-a", the name of its partition');
    expect(consul.http.requests.filter((r) => r.method === 'PUT' && r.url.startsWith('/v1/config'))).toEqual([]);
  });

  it('a file that names its Partition is held to it by validate alone', async () => {
    const ok = await runCli(['validate'], tempTree({ 'config-entries/exports.hcl': `Partition = "team-a"\n${exported('team-a')}` }));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = await runCli(['validate'], tempTree({ 'config-entries/exports.hcl': `Partition = "team-a"\n${exported('default')}` }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Name: exported-services Name must be "team-a", the name of its partition');
  });
});

describe('exported-services name on CE', () => {
  it('still "default", with Consul CE\'s text', async () => {
    const ce = await startDevServer({ port: 0, host: '127.0.0.1' });
    try {
      const run = await runCli(['plan', '--consul', ce.url], tempTree({ 'config-entries/exports.hcl': exported('team-a') }));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('config-entries/exports.hcl:2:1: Name: exported-services Name must be "default"');
    } finally {
      await ce.close();
    }
  });
});
