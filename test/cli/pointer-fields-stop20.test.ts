// The pointer pass of stop 20 (issue 11, class 2b) for the kinds not read line by line before:
// proxy-defaults `FailoverPolicy`/`PrioritizeByLocality` (agent/structs/config_entry.go ProxyConfigEntry,
// `*ServiceResolverFailoverPolicy`/`*ServiceResolverPrioritizeByLocality`, `json:",omitempty"`),
// terminating-gateway `CredentialInjection`/`Services[].Credential` (CE's validateCredentialInjection
// refuses them when `!= nil`, config_entry_gateways_credential_ce.go). An empty block is a set
// pointer: kept, written, answered, and compared as such. (control-plane-request-limit's categories,
// also marked, are not observable: consul-gitops refuses that kind whole, entry-rules.ts enterpriseOnly.)
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

describe('proxy-defaults and terminating-gateway pointer blocks (dev server, CE)', () => {
  it('proxy-defaults `FailoverPolicy {}` is planned against an entry without it, written, answered `{}`, then no changes', async () => {
    const put = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'proxy-defaults', Name: 'global' }) });
    expect(await put.text()).toBe('true');
    const dir = tempTree({ 'config-entries/pd.hcl': 'Kind = "proxy-defaults"\nName = "global"\nFailoverPolicy {}\nPrioritizeByLocality {}\n' });
    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.stdout).toContain('+ FailoverPolicy       = {}');
    expect(plan.stdout).toContain('+ PrioritizeByLocality = {}');
    expect(plan.code).toBe(2);
    // The live entry was written outside consul-gitops: --adopt takes it over.
    const apply = await runCli(['apply', '--auto-approve', '--adopt', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/proxy-defaults/global`)).json()) as Record<string, unknown>;
    expect(live.FailoverPolicy).toEqual({});
    expect(live.PrioritizeByLocality).toEqual({});
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(again.stdout).toContain('No changes.');
  });

  it("terminating-gateway `Credential {}` on a service is a set pointer: CE's refusal, from validate and the dev server", async () => {
    const file = 'Kind = "terminating-gateway"\nName = "tgw"\nServices = [{\n  Name = "db"\n  Credential {}\n}]\n';
    const run = await runCli(['validate', 'tgw.hcl'], tempTree({ 'tgw.hcl': file }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service "db": credential injection is a consul enterprise feature');
    const res = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'terminating-gateway', Name: 'tgw', Services: [{ Name: 'db', Credential: {} }] }),
    });
    expect(await res.text()).toContain('service "db": credential injection is a consul enterprise feature');
  });
});
