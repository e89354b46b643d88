// Moving a member (cluster peer or partition) between sameness groups in one apply: Consul
// Enterprise checks each write against the groups stored at that moment
// (agent/consul/state/config_entry.go validateProposedConfigEntryInGraph, `case structs.SamenessGroup`),
// so the group that gives the member up is written (or deleted) before the one that gains it, link by
// link along a chain. Groups exchanging members have no such order: the plan stops before any write,
// names each file and line, and says how two applies make the change. The Enterprise double
// (test/adapters/consul/enterprise-double.ts) refuses a shared member as Consul does.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble } from '../adapters/consul/enterprise-double.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const ENT = 'targets:\n  - name: default\n    dir: config-entries\n    consulVersion: "1.22.5+ent"\n';
const group = (name: string, ...peers: string[]) =>
  `Kind = "sameness-group"\nName = "${name}"\nMembers = [\n${peers.map((p) => `  { Peer = "${p}" },\n`).join('')}]\n`;

let consul: EnterpriseDouble;
beforeEach(async () => {
  consul = await startEnterpriseDouble({ version: '1.22.5+ent' });
});
afterEach(async () => {
  await consul.close();
});

/** Applies `first` (every group managed), then rewrites the files as `next` (undefined: removed). */
async function applyTwice(first: Record<string, string[]>, next: Record<string, string[] | undefined>, extra: string[] = []) {
  const files = Object.fromEntries(Object.entries(first).map(([name, peers]) => [`config-entries/${name}.hcl`, group(name, ...peers)]));
  const cwd = tempTree({ 'consul-gitops.yaml': ENT, ...files });
  const setup = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
  expect(setup.stderr).toBe('');
  expect(setup.code).toBe(0);
  for (const [name, peers] of Object.entries(next)) {
    const path = join(cwd, 'config-entries', `${name}.hcl`);
    if (peers) writeFileSync(path, group(name, ...peers));
    else rmSync(path);
  }
  const before = consul.http.requests.length;
  const run = await runCli(['apply', '--auto-approve', '--consul', consul.url, ...extra], cwd);
  const writes = consul.http.requests.slice(before).filter((r) => (r.method === 'PUT' || r.method === 'DELETE') && r.url.startsWith('/v1/config'));
  return { cwd, run, writes: writes.map((r) => `${r.method} ${r.method === 'PUT' ? (JSON.parse(r.body) as { Name: string }).Name : r.url.split('?')[0]}`) };
}

const peersOf = (name: string) => (consul.entries.get(`sameness-group/default/${name}`)?.Members as { Peer: string }[] | undefined)?.map((m) => m.Peer);

describe('apply moves a member between sameness groups in an order Consul accepts', () => {
  it('the group that gives a peer up is written before the one that gains it', async () => {
    // "a" gains dc2, which "b" gives up: by name "a" would be written first and refused.
    const { run, writes } = await applyTwice({ a: ['dc3'], b: ['dc2'] }, { a: ['dc3', 'dc2'], b: ['dc4'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(writes).toEqual(['PUT b', 'PUT a']);
    expect(peersOf('a')).toEqual(['dc3', 'dc2']);
    expect(peersOf('b')).toEqual(['dc4']);
  });

  it('a group deleted (--prune) gives its peer up before another gains it', async () => {
    // Deletes of sameness groups otherwise run after every write (what refers to them goes first).
    const { run, writes } = await applyTwice({ a: ['dc3'], b: ['dc2'], c: ['dc5'] }, { a: ['dc3', 'dc2'], b: undefined }, ['--prune']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(writes).toEqual(['DELETE /v1/config/sameness-group/b', 'PUT a']);
    expect(peersOf('a')).toEqual(['dc3', 'dc2']);
    expect(peersOf('b')).toBeUndefined();
  });

  it('a chain: c gives dc2 to b, which gives dc3 to a; written c, b, a', async () => {
    const { run, writes } = await applyTwice({ a: ['dc1'], b: ['dc3'], c: ['dc2'] }, { a: ['dc1', 'dc3'], b: ['dc2'], c: ['dc5'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(writes).toEqual(['PUT c', 'PUT b', 'PUT a']);
    expect([peersOf('a'), peersOf('b'), peersOf('c')]).toEqual([['dc1', 'dc3'], ['dc2'], ['dc5']]);
  });
});

describe('groups exchanging members: no order of the writes passes, so nothing is written', () => {
  it('apply stops before any write with each file and line, and the two-step change it suggests applies', async () => {
    const { cwd, run, writes } = await applyTwice({ a: ['dc2'], b: ['dc3'] }, { a: ['dc3'], b: ['dc2'] });
    expect(run.code).toBe(1);
    expect(writes).toEqual([]);
    const message =
      'sameness groups "a" and "b" exchange members (cluster peer "dc3" moves from "b" to "a", cluster peer "dc2" moves from "a" to "b"): ' +
      'Consul checks each write against the groups stored at that moment and refuses a member in two groups, so no order of these writes is accepted';
    expect(run.stderr).toContain(`config-entries/a.hcl:3:1: Members: sameness groups`);
    expect(run.stderr).toContain(`config-entries/b.hcl:3:1: Members: sameness groups`);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('apply it in two steps: first without cluster peer "dc3" in group "a" (so "b" gives it up), then add it there');
    expect(peersOf('a')).toEqual(['dc2']);
    expect(peersOf('b')).toEqual(['dc3']);

    // The two steps the hint gives: "a" without dc3 (it only gives dc2 up), then with it.
    writeFileSync(join(cwd, 'config-entries', 'a.hcl'), group('a'));
    const step1 = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(step1.stderr).toBe('');
    expect(step1.code).toBe(0);
    writeFileSync(join(cwd, 'config-entries', 'a.hcl'), group('a', 'dc3'));
    const step2 = await runCli(['apply', '--auto-approve', '--consul', consul.url], cwd);
    expect(step2.stderr).toBe('');
    expect(step2.code).toBe(0);
    expect([peersOf('a'), peersOf('b')]).toEqual([['dc3'], ['dc2']]);
  });
});
