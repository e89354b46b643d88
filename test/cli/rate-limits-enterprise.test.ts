// service-defaults `RateLimits` is a Go pointer (agent/structs/config_entry.go ServiceConfigEntry
// .RateLimits *RateLimits `json:",omitempty"`) to a struct whose InstanceLevel (a value, not a
// pointer) has no omitempty fields, so a set `RateLimits {}` is stored and GET answers it with its
// zero fields. CE refuses any set RateLimits (config_entry_ce.go validateRatelimit: `rl != nil`);
// Enterprise accepts it. Against the loopback Enterprise double (seeded with GET's shape, since the
// double does not encode Go structs), a written `RateLimits {}` plans no change and one the live
// entry lacks is planned; CE's refusal is not applied to a `+ent` target.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

// What Consul's GET prints for a stored `RateLimits {}`: encoding/json of RateLimits{InstanceLevel:
// InstanceLevelRateLimits{}} (RequestsPerSecond, RequestsMaxBurst int and Routes []… all without omitempty).
const GET_ZERO = { InstanceLevel: { RequestsPerSecond: 0, RequestsMaxBurst: 0, Routes: null } };

let consul: EnterpriseDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble({ version: '1.22.0+ent' });
});
afterEach(async () => {
  await consul.close();
});

const file = (rl: string) => ({ 'config-entries/web.hcl': `Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n${rl}` });
const live = (extra: Record<string, unknown> = {}) => consul.put({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', ...extra });
const plan = (cwd: string) => runCli(['plan', '--detailed-exitcode', '--consul', consul.url], cwd);

describe('service-defaults RateLimits on Consul Enterprise', () => {
  it.each([
    ['RateLimits {}', 'RateLimits {}\n'],
    ['RateLimits { InstanceLevel {} }', 'RateLimits {\n  InstanceLevel {}\n}\n'],
  ])('%s against the live entry GET answers for it (zero fields): no changes', async (_name, rl) => {
    live({ RateLimits: GET_ZERO });
    const run = await plan(tempTree(file(rl)));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('No changes.');
    expect(run.code).toBe(0);
  });

  it('RateLimits {} against a live entry without it: planned as added, and apply writes it', async () => {
    live();
    const cwd = tempTree(file('RateLimits {}\n'));
    const run = await plan(cwd);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/\+ RateLimits\s+= \{\}/);
    expect(run.code).toBe(2);
    const apply = await runCli(['apply', '--auto-approve', '--adopt', '--consul', consul.url], cwd);
    expect(apply.stderr).toBe('');
    expect([...consul.entries.values()].find((e) => e.Kind === 'service-defaults')).toHaveProperty('RateLimits');
  });

  it('a live RateLimits the file lacks is planned away', async () => {
    live({ RateLimits: GET_ZERO });
    const run = await plan(tempTree(file('')));
    expect(run.stdout).toMatch(/- RateLimits\s+= \{/);
    expect(run.code).toBe(2);
  });
});
