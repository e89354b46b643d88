// Class 3 of issue 11: the target's Consul version (consul-gitops.yaml `consulVersion`) decides which
// fields a file may use and how version-dependent Normalize rules read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { planCommand } from '../../src/cli/plan-command.ts';
import { liveFiftyFifty, ROUTE, targetsYaml as yaml, TGW, WEB } from '../support/consul-version-examples.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';

describe("validate against the target's Consul version", () => {
  it("warns, with file, line and field, on a field the target's Consul does not know yet", async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.21.4'), 'config-entries/web.hcl': WEB });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: config-entries/web.hcl:4:1: MaxRequestHeadersKB: Consul 1.21.4 (target "prod") does not know this field, added in Consul 1.22.0',
    );
    expect(run.stderr).toContain('invalid config key "MaxRequestHeadersKB"');
  });

  it('says nothing when the target runs a Consul that knows the field, or states no version', async () => {
    for (const version of ['1.22.0', undefined]) {
      const dir = tempTree({ 'consul-gitops.yaml': yaml(version), 'config-entries/web.hcl': WEB });
      const run = await runCli(['validate', 'config-entries'], dir);
      expect(run.stderr, String(version)).toBe('');
      expect(run.code).toBe(0);
    }
  });

  it('says nothing of DisableAutoHostRewrite on the oldest supported Consul: it predates the range', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.22.0'), 'config-entries/tgw.hcl': TGW });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('names a version outside the supported range', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.16.2'), 'config-entries/tgw.hcl': 'Kind = "terminating-gateway"\nName = "tgw"\n' });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.stderr).toContain('target "prod": Consul 1.16.2 is older than the oldest version consul-gitops supports (1.22.0)');
  });
});

describe("http-route service Weight 0 follows the target's version", () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('draining a backend (Weight 0) shows as no traffic on a current Consul', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml(), 'config-entries/shop.hcl': ROUTE });
    await liveFiftyFifty(server);
    const plan = await runAgainst(server.url, planCommand, [], dir);
    // Zero values show as the file writes them (attributes.ts); 0 is kept, the backend drained.
    expect(plan.stdout).toMatch(/Name {3}= "v2"\n\s+~ Weight = 50 → 0\n/);
  });

  it('on a Consul before the change (1.22.5), Weight 0 is what Consul turns into 1', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.22.5'), 'config-entries/shop.hcl': ROUTE });
    await liveFiftyFifty(server);
    const plan = await runAgainst(server.url, planCommand, [], dir);
    // The plan text shows what that Consul will store, not the file's 0 (plan.ts Change.consulVersion).
    expect(plan.stdout).toMatch(/Name {3}= "v2"\n\s+~ Weight = 50 → 1\n/);
  });
});
