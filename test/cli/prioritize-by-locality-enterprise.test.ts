// proxy-defaults PrioritizeByLocality is refused by Consul CE only ("Prioritize-by-locality requires
// Consul Enterprise ", agent/structs/config_entry.go ProxyConfigEntry.Validate → validatePrioritizeByLocality
// in its _ce.go file); Consul Enterprise accepts it. Against a `+ent` server, plan and apply must not
// refuse it with CE's text, and the next plan is clean; against CE, the refusal stays.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const FILE = `Kind = "proxy-defaults"
Name = "global"
PrioritizeByLocality {
  Mode = "failover"
}
`;

describe('proxy-defaults PrioritizeByLocality', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble({ version: '1.22.0+ent' });
  });
  afterEach(async () => {
    await consul.close();
  });

  it('an Enterprise target takes it: apply writes it and the next plan has no changes', async () => {
    const cwd = tempTree({ 'config-entries/proxy-defaults.hcl': FILE });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.stderr).not.toContain('requires Consul Enterprise');
    expect(apply.code).toBe(0);
    expect([...consul.entries.values()].find((e) => e.Kind === 'proxy-defaults')).toMatchObject({ PrioritizeByLocality: { Mode: 'failover' } });
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', consul.url], cwd);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });
});

describe('proxy-defaults PrioritizeByLocality on Consul CE', () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('is refused with CE text, naming the field, and nothing is written', async () => {
    const cwd = tempTree({ 'config-entries/proxy-defaults.hcl': FILE });
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(apply.code).not.toBe(0);
    expect(apply.stderr).toContain('PrioritizeByLocality.Mode');
    expect(apply.stderr).toContain('Prioritize-by-locality requires Consul Enterprise');
    const res = await fetch(`${server.url}/v1/config/proxy-defaults/global`);
    expect(res.status).toBe(404);
  });
});
