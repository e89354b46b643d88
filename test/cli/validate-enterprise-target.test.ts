// `validate` reads paths, not one target, so it must find each file's target (consul-gitops.yaml, the
// deepest `dir` holding it) to know whether Consul CE's refusals of Enterprise features apply: a file
// for a `consulVersion: "2.1.0+ent"` target with credential injection or PrioritizeByLocality is valid,
// as its `plan` says; the same file for a CE target is refused, naming file, line and field.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';

const GATEWAY = `Kind = "terminating-gateway"
Name = "camp-egress"
CredentialInjection {
  UDSPath        = "/run/camp-auth/processor.sock"
  MessageTimeout = "250ms"
}
`;
const PROXY_DEFAULTS = `Kind = "proxy-defaults"
Name = "global"
PrioritizeByLocality {
  Mode = "failover"
}
`;

const targets = (entVersion: string, ceVersion: string) =>
  [
    'targets:',
    '  - name: ent',
    '    dir: config-entries/ent',
    `    consulVersion: "${entVersion}"`,
    '  - name: ce',
    '    dir: config-entries/ce',
    `    consulVersion: "${ceVersion}"`,
    '',
  ].join('\n');

describe('validate against each file’s target', () => {
  it('an Enterprise target’s files may use Enterprise features; a CE target’s same files are refused', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': targets('2.1.0+ent', '2.1.0'),
      'config-entries/ent/tgw.hcl': GATEWAY,
      'config-entries/ent/proxy-defaults.hcl': PROXY_DEFAULTS,
      'config-entries/ce/tgw.hcl': GATEWAY.replace('camp-egress', 'other-egress'),
      'config-entries/ce/proxy-defaults.hcl': PROXY_DEFAULTS,
    });
    const run = await runCli(['validate', 'config-entries/ent', 'config-entries/ce'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config-entries\/ce\/tgw\.hcl:3:\d+: CredentialInjection: credential injection is a consul enterprise feature/);
    expect(run.stderr).toMatch(/config-entries\/ce\/proxy-defaults\.hcl:4:\d+: PrioritizeByLocality\.Mode: Prioritize-by-locality requires Consul Enterprise/);
    expect(run.stderr).not.toContain('config-entries/ent/');
    expect(run.stderr).toContain('2 errors in 2 file(s)');
  });

  it('the same entry in two targets’ dirs (staging and prod) is not "defined twice": each target is its own tree', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': targets('2.1.0', '2.1.0'),
      'config-entries/ent/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\n',
      'config-entries/ce/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\n',
      'config-entries/ce/again.hcl': 'Kind = "proxy-defaults"\nName = "global"\n',
    });
    const run = await runCli(['validate', 'config-entries/ent', 'config-entries/ce'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'config-entries/ce/proxy-defaults.hcl:1:1: Name: proxy-defaults/global is defined twice: here and in config-entries/ce/again.hcl:1',
    );
    expect(run.stderr).not.toContain('config-entries/ent/');
    expect(run.stderr).toContain('1 error in 1 file(s)');
  });

  it('with every target Enterprise, the tree is valid', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': targets('2.1.0+ent', '2.1.0+ent'),
      'config-entries/ent/tgw.hcl': GATEWAY,
      'config-entries/ce/proxy-defaults.hcl': PROXY_DEFAULTS,
    });
    const run = await runCli(['validate', 'config-entries/ent', 'config-entries/ce'], cwd);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('2 entries valid\n');
    expect(run.code).toBe(0);
  });
});
