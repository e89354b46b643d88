// A member (cluster peer or partition) of one sameness group only (issue 11, class 5, stop 21):
// Consul Enterprise refuses the write otherwise, from public source: agent/consul/state/config_entry.go
// validateProposedConfigEntryInGraph, `case structs.SamenessGroup`, with
// `members can only belong to a single sameness group, but cluster peer %q is shared between groups %q and %q`
// (and the partition variant). `validate` on a `+ent` target and `plan` say it with file, line and
// Consul's text before any write. The Enterprise double (test/adapters/consul/enterprise-double.ts)
// refuses such a write as Consul does; nothing else about sameness groups is refused there, since
// the rest of Enterprise's checks (its Validate, checkSamenessGroup) are not public.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const ENT = 'targets:\n  - name: default\n    dir: config-entries\n    consulVersion: "1.22.5+ent"\n';
const group = (name: string, members: string, extra = '') => `Kind = "sameness-group"\nName = "${name}"\n${extra}Members = [\n${members}]\n`;
const peerText = (peer: string, a: string, b: string) =>
  `members can only belong to a single sameness group, but cluster peer "${peer}" is shared between groups "${a}" and "${b}"`;

describe('validate on a +ent target: a member of two sameness groups', () => {
  it('a cluster peer in two groups: each file is refused at its member, with Consul’s text', async () => {
    const tree = {
      'consul-gitops.yaml': ENT,
      'config-entries/a.hcl': group('a', '  { Peer = "dc2" },\n'),
      'config-entries/b.hcl': group('b', '  { Partition = "default" },\n  { Peer = "dc2" },\n'),
    };
    const run = await runCli(['validate', 'config-entries'], tempTree(tree));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`config-entries/b.hcl:5:3: Members[1]: ${peerText('dc2', 'a', 'b')}`);
    expect(run.stderr).toMatch(new RegExp(`config-entries/a\\.hcl:\\d+:\\d+: Members: ${peerText('dc2', 'a', 'b').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('a peer twice in one group, and the local partition (IncludeLocal) listed by another group', async () => {
    const tree = {
      'consul-gitops.yaml': ENT,
      'config-entries/a.hcl': group('a', '  { Peer = "dc2" },\n  { Peer = "dc2" },\n', 'IncludeLocal = true\n'),
      'config-entries/b.hcl': group('b', '  { Partition = "default" },\n'),
    };
    const run = await runCli(['validate', 'config-entries'], tempTree(tree));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`config-entries/a.hcl:6:3: Members[1]: ${peerText('dc2', 'a', 'a')}`);
    expect(run.stderr).toContain(
      'config-entries/b.hcl:4:3: Members[0]: members can only belong to a single sameness group, but partition "default" is shared between groups "a" and "b"',
    );
  });

  it('groups with distinct members validate', async () => {
    const tree = {
      'consul-gitops.yaml': ENT,
      'config-entries/a.hcl': group('a', '  { Peer = "dc2" },\n', 'IncludeLocal = true\n'),
      'config-entries/b.hcl': group('b', '  { Peer = "dc3" },\n  { Partition = "team-b" },\n'),
    };
    const run = await runCli(['validate', 'config-entries'], tempTree(tree));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('plan against Consul Enterprise (the double): a file whose member a live group has', () => {
  let consul: EnterpriseDouble;
  beforeEach(async () => {
    consul = await startEnterpriseDouble({ version: '1.22.5+ent' });
    consul.put({ Kind: 'sameness-group', Name: 'a', Members: [{ Peer: 'dc2' }] });
  });
  afterEach(async () => {
    await consul.close();
  });

  it('plan and apply refuse it with Consul’s text, before any write; the server refuses the same write so', async () => {
    const cwd = tempTree({ 'consul-gitops.yaml': ENT, 'config-entries/b.hcl': group('b', '  { Peer = "dc2" },\n') });
    const apply = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(`config-entries/b.hcl:4:3: Members[0]: ${peerText('dc2', 'a', 'b')}`);
    expect(consul.http.requests.filter((r) => r.method === 'PUT' && r.url.startsWith('/v1/config'))).toEqual([]);
    const put = await fetch(`${consul.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'sameness-group', Name: 'b', Members: [{ Peer: 'dc2' }] }),
    });
    expect(put.status).toBe(500);
    expect(await put.text()).toBe(peerText('dc2', 'a', 'b'));
  });

  it('moving the peer from the live group to the new one in one plan is judged on the final state', async () => {
    const cwd = tempTree({
      'consul-gitops.yaml': ENT,
      'config-entries/a.hcl': group('a', '  { Peer = "dc3" },\n'),
      'config-entries/b.hcl': group('b', '  { Peer = "dc2" },\n'),
    });
    const plan = await runCli(['plan', '--adopt', '--consul', consul.url], cwd);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('+ create sameness-group/b');
    expect(plan.code).toBe(0);
  });
});
