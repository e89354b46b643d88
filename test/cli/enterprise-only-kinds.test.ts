// sameness-group and control-plane-request-limit exist only on Consul Enterprise. CE refuses them:
// sameness-group's CE Validate always fails (config_entry_sameness_group_ce.go), and CE's
// MakeConfigEntry (agent/structs/config_entry.go) has no case for control-plane-request-limit, so its
// list answers 500 `invalid config entry kind` while sameness-group's list answers `[]` (the dev
// server, which is CE, answers both so). On a `+ent` target, `validate` accepts them and `plan`
// lists them and compares them with the files; on CE or an unknown edition nothing changes.
// No Enterprise server is available here: the Enterprise side runs against the loopback Enterprise
// double (test/adapters/consul/enterprise-double.ts), which lists these kinds as Consul's API client
// reads them (api/config_entry.go makeConfigEntry: SamenessGroup, RateLimitIPConfig). test/support/consul-proxy.ts cannot
// rewrite answers (it forwards, loses or dies), so it only records what a CE plan asks of the dev server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { startConsulProxy } from '../support/consul-proxy.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const SAMENESS = `Kind = "sameness-group"
Name = "east-west"
DefaultForFailover = true
Members = [
  { Partition = "default" },
  { Peer = "dc2" },
]
`;
const LIMIT = `Kind = "control-plane-request-limit"
Name = "global"
Mode = "enforcing"
ReadRate = 100
WriteRate = 50
`;
const files = { 'config-entries/sameness.hcl': SAMENESS, 'config-entries/limit.hcl': LIMIT };
const config = (version: string) => `targets:\n  - name: default\n    dir: config-entries\n    consulVersion: "${version}"\n`;

describe('validate: Enterprise-only kinds', () => {
  it('a `+ent` target accepts sameness-group and control-plane-request-limit', async () => {
    const run = await runCli(['validate', 'config-entries'], tempTree({ 'consul-gitops.yaml': config('1.22.5+ent'), ...files }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('a `+ent` target still checks their fields', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': config('1.22.5+ent'), 'config-entries/sameness.hcl': `${SAMENESS}Members2 = []\n` });
    const run = await runCli(['validate', 'config-entries'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config-entries\/sameness\.hcl:8:1: Members2: invalid config key "Members2"/);
  });

  it.each([
    ['a CE target', { 'consul-gitops.yaml': config('1.22.5') }],
    ['an unknown edition', {}],
  ])('%s refuses both with CE’s text', async (_name, extra) => {
    const run = await runCli(['validate', 'config-entries'], tempTree({ ...extra, ...files }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config-entries\/sameness\.hcl:1:\d+: Kind: sameness-groups are an enterprise-only feature/);
    expect(run.stderr).toMatch(/config-entries\/limit\.hcl:1:\d+: Kind: invalid config entry kind: control-plane-request-limit/);
  });
});

describe('plan on Consul Enterprise (detected `+ent`): Enterprise-only kinds are listed and compared', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble({ version: '1.22.5+ent' });
  });
  afterEach(async () => {
    await consul.close();
  });
  const plan = (cwd: string) => runCli(['plan', '--detailed-exitcode', '--consul', consul.url], cwd);
  const seed = (samenessExtra: Record<string, unknown> = {}) => {
    consul.put({ Kind: 'sameness-group', Name: 'east-west', DefaultForFailover: true, Members: [{ Partition: 'default' }, { Peer: 'dc2' }], ...samenessExtra });
    consul.put({ Kind: 'control-plane-request-limit', Name: 'global', Mode: 'enforcing', ReadRate: 100, WriteRate: 50 });
  };

  it('entries equal to the files: no changes, run after run', async () => {
    seed();
    const cwd = tempTree(files);
    for (let i = 0; i < 2; i++) {
      const run = await plan(cwd);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('No changes.');
      expect(run.code).toBe(0);
    }
    expect(consul.http.requests.map((r) => r.url.split('?')[0])).toEqual(
      expect.arrayContaining(['/v1/config/sameness-group', '/v1/config/control-plane-request-limit']),
    );
  });

  it('a live entry that differs is an update; a missing one a create', async () => {
    seed({ DefaultForFailover: false });
    consul.entries.delete([...consul.entries.keys()].find((k) => k.startsWith('control-plane-request-limit/'))!);
    const run = await plan(tempTree(files));
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/~ update sameness-group\/east-west/);
    expect(run.stdout).toMatch(/~ DefaultForFailover = false → true/);
    expect(run.stdout).toMatch(/\+ create control-plane-request-limit\/global/);
    expect(run.code).toBe(2);
  });

  it('apply writes them; the next plan has no changes', async () => {
    const cwd = tempTree(files);
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.code).toBe(0);
    expect([...consul.entries.values()].map((e) => e.Kind).sort()).toEqual(['control-plane-request-limit', 'sameness-group']);
    const run = await plan(cwd);
    expect(run.stdout).toContain('No changes.');
    expect(run.code).toBe(0);
  });

  it('a saved plan that read them applies: they are read again, not taken as deleted since', async () => {
    seed({ DefaultForFailover: false });
    const cwd = tempTree(files);
    const saved = await runCli(['plan', '--out', 'plan.json', '--adopt', '--consul', consul.url], cwd);
    expect(saved.code).toBe(0);
    const apply = await runCli(['apply', 'plan.json', '--consul', consul.url], cwd);
    expect(apply.stderr).not.toContain('deleted since the plan');
    expect(apply.code).toBe(0);
    expect([...consul.entries.values()].find((e) => e.Kind === 'sameness-group')).toHaveProperty('DefaultForFailover', true);
  });

  it('import writes them, and the imported tree plans no changes', async () => {
    seed();
    const cwd = tempTree({});
    const imported = await runCli(['import', '--consul', consul.url], cwd);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/wrote config-entries\/sameness-group\/east-west\.hcl/);
    expect(imported.stdout).toMatch(/wrote config-entries\/control-plane-request-limit\/global\.hcl/);
    expect(imported.code).toBe(0);
    const run = await plan(cwd);
    expect(run.stdout).toContain('No changes.');
    expect(run.code).toBe(0);
  });
});

describe('plan on Consul CE (the dev server)', () => {
  const dev = devServerPerTest();

  it('never lists the Enterprise-only kinds (control-plane-request-limit would answer 500), and plans as before', async () => {
    const proxy = await startConsulProxy(dev.url, () => 'forward');
    try {
      const run = await runCli(['plan', '--detailed-exitcode', '--consul', proxy.url], tempTree({ 'config-entries/mesh.hcl': 'Kind = "mesh"\n' }));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(2);
      const lists = proxy.seen.filter((s) => s.startsWith('GET /v1/config/'));
      expect(lists).toContainEqual(expect.stringMatching(/^GET \/v1\/config\/mesh\b/));
      expect(lists.filter((s) => /sameness-group|control-plane-request-limit/.test(s))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('import never lists them, and refuses to be asked for one', async () => {
    const proxy = await startConsulProxy(dev.url, () => 'forward');
    try {
      const all = await runCli(['import', '--consul', proxy.url], tempTree({}));
      expect(all.stderr).toBe('');
      expect(all.code).toBe(0);
      expect(proxy.seen).toContainEqual(expect.stringMatching(/^GET \/v1\/config\/mesh\b/));
      expect(proxy.seen.filter((s) => /sameness-group|control-plane-request-limit/.test(s))).toEqual([]);
      const asked = await runCli(['import', '--consul', proxy.url, '--kinds', 'sameness-group'], tempTree({}));
      expect(asked.code).toBe(1);
      expect(asked.stderr).toBe(
        "error: --kinds: sameness-group: only Consul Enterprise has this kind, and this target's Consul is not Enterprise (its version has no +ent)\n",
      );
    } finally {
      await proxy.close();
    }
  });

  it('a sameness-group file is refused with CE’s text', async () => {
    const run = await runCli(['plan', '--consul', dev.url], tempTree({ 'config-entries/sameness.hcl': SAMENESS }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config-entries\/sameness\.hcl:1:\d+: Kind: sameness-groups are an enterprise-only feature/);
  });
});
