// Credential injection is a Consul Enterprise feature (agent/structs/config_entry_gateways_credential_ce.go
// refuses it on CE only). Against a server reporting `+ent` (the loopback Enterprise double), plan and
// apply take the fields as written and compare them with the live entry, with no spurious diff, and
// CE's refusal is not applied.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const FILE = `Kind = "terminating-gateway"
Name = "camp-egress"
credential_injection {
  uds_path        = "/run/camp-auth/processor.sock"
  message_timeout = "250ms"
}
Services = [
  {
    Name   = "openai-a"
    CAFile = "/etc/ssl/certs/ca-certificates.crt"
    SNI    = "api.openai.com"
    Credential { Mode = "inject", BindingID = "openai-a" }
  },
]
`;

let consul: EnterpriseDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble({ version: '2.1.0+ent' });
});
afterEach(async () => {
  await consul.close();
});

const stored = () => [...consul.entries.values()].filter((e) => e.Kind === 'terminating-gateway');

describe('terminating-gateway credential injection on Consul Enterprise', () => {
  it('apply writes CredentialInjection and each service Credential; the next plan has no changes', async () => {
    const cwd = tempTree({ 'config-entries/tgw.hcl': FILE });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(stored()).toEqual([
      expect.objectContaining({
        CredentialInjection: { UDSPath: '/run/camp-auth/processor.sock', MessageTimeout: '250ms' },
        Services: [expect.objectContaining({ Name: 'openai-a', Credential: { Mode: 'inject', BindingID: 'openai-a' } })],
      }),
    ]);
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', consul.url], cwd);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  it('a BindingID changed by hand is planned back, element by element, not as a field consul-gitops does not know', async () => {
    const cwd = tempTree({ 'config-entries/tgw.hcl': FILE });
    expect((await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd)).code).toBe(0);
    const [live] = stored();
    consul.put({ ...live, Services: [{ ...(live.Services as Record<string, unknown>[])[0], Credential: { Mode: 'inject', BindingID: 'openai-b' } }] });
    const plan = await runCli(['plan', '--consul', consul.url], cwd);
    expect(plan.stdout).toContain('~ update terminating-gateway/camp-egress');
    expect(plan.stdout).toMatch(/BindingID = "openai-b" → "openai-a"/);
    expect(plan.stdout).not.toContain('unknown to consul-gitops');
  });
});
