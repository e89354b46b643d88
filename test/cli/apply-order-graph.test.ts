// "Valid at the end, refused on the way": the dev server checks each write against the entries stored
// at that moment, as Consul's validateProposedConfigEntryInGraph does (src/dev-server/graph-check.ts).
// Each test applies a tree, changes it so that both states are valid, and applies again through the
// CLI: the plan's waves (src/core/plan/order.ts) must pass every intermediate state.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

const defaults = (name: string, protocol: string) => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "${protocol}"\n`;
const resolver = (name: string, ...subsets: string[]) =>
  `Kind = "service-resolver"\nName = "${name}"\nSubsets = {\n${subsets.map((s) => `  ${s} = { Filter = "Service.Meta.version == ${s}" }\n`).join('')}}\n`;
const splitter = (name: string, ...subsets: string[]) =>
  `Kind = "service-splitter"\nName = "${name}"\nSplits = [\n${subsets.map((s, i) => `  { Weight = ${i === 0 ? 100 : 0}, ServiceSubset = "${s}" },\n`).join('')}]\n`;

/** Applies `first`, then the tree changed by `next` (a file's text, or undefined: removed); returns the second apply. */
async function applyTwice(first: Record<string, string>, next: Record<string, string | undefined>, extra: string[] = []) {
  const cwd = tempTree(Object.fromEntries(Object.entries(first).map(([f, text]) => [`config-entries/${f}`, text])));
  const setup = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
  expect(setup.stderr).toBe('');
  expect(setup.code).toBe(0);
  for (const [f, text] of Object.entries(next)) {
    if (text === undefined) rmSync(join(cwd, 'config-entries', f));
    else writeFileSync(join(cwd, 'config-entries', f), text);
  }
  const run = await runCli(['apply', '--auto-approve', '--consul', server.url, ...extra], cwd);
  // Consul (the dev server) must end as Git says: nothing left for a plan to do.
  const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url, ...extra], cwd);
  return { cwd, run, inSync: again.code === 0 };
}

describe('apply passes every intermediate state of a cross-entry change (dev server)', () => {
  it('a resolver subset created with the splitter that uses it', async () => {
    const { run, inSync } = await applyTwice({ 'web.hcl': defaults('web', 'http') }, { 'r.hcl': resolver('web', 'v1'), 's.hcl': splitter('web', 'v1') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('a splitter deleted with the resolver subset it used (--prune)', async () => {
    const { run, inSync } = await applyTwice(
      { 'web.hcl': defaults('web', 'http'), 'r.hcl': resolver('web', 'v1', 'v2'), 's.hcl': splitter('web', 'v1') },
      { 'r.hcl': resolver('web', 'v2'), 's.hcl': undefined },
      ['--prune'],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('a splitter moved from subset v1 to v2 while the resolver drops v1', async () => {
    const { run, inSync } = await applyTwice(
      { 'web.hcl': defaults('web', 'http'), 'r.hcl': resolver('web', 'v1', 'v2'), 's.hcl': splitter('web', 'v1') },
      { 'r.hcl': resolver('web', 'v2'), 's.hcl': splitter('web', 'v2') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('a protocol set to http with the splitter that needs it, and back to tcp with the splitter deleted (--prune)', async () => {
    const up = await applyTwice({ 'web.hcl': defaults('web', 'tcp') }, { 'web.hcl': defaults('web', 'http'), 's.hcl': splitter('web', '') });
    expect(up.run.stderr).toBe('');
    expect(up.run.code).toBe(0);
    expect(up.inSync).toBe(true);
    writeFileSync(join(up.cwd, 'config-entries', 'web.hcl'), defaults('web', 'tcp'));
    rmSync(join(up.cwd, 'config-entries', 's.hcl'));
    const down = await runCli(['apply', '--auto-approve', '--prune', '--consul', server.url], up.cwd);
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    const sd = await fetch(`${server.url}/v1/config/service-defaults/web`);
    expect(((await sd.json()) as { Protocol: string }).Protocol).toBe('tcp');
  });

  it('an intention losing its L7 permissions while the service goes back to tcp', async () => {
    const l7 = `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Permissions = [ { Action = "allow", HTTP = { PathPrefix = "/" } } ] },\n]\n`;
    const l4 = `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Action = "allow" },\n]\n`;
    const { run, inSync } = await applyTwice({ 'web.hcl': defaults('web', 'http'), 'i.hcl': l7 }, { 'web.hcl': defaults('web', 'tcp'), 'i.hcl': l4 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('a router moved from subset v1 to v2 while the resolver drops v1', async () => {
    const router = (subset: string) =>
      `Kind = "service-router"\nName = "web"\nRoutes = [\n  { Match = { HTTP = { PathPrefix = "/a" } }, Destination = { ServiceSubset = "${subset}" } },\n]\n`;
    const { run, inSync } = await applyTwice(
      { 'web.hcl': defaults('web', 'http'), 'r.hcl': resolver('web', 'v1', 'v2'), 'rt.hcl': router('v1') },
      { 'r.hcl': resolver('web', 'v2'), 'rt.hcl': router('v2') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('intentions losing their L7 permissions while proxy-defaults goes back to tcp', async () => {
    const pd = (protocol: string) => `Kind = "proxy-defaults"\nName = "global"\nConfig {\n  protocol = "${protocol}"\n}\n`;
    const l7 = `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Permissions = [ { Action = "allow", HTTP = { PathPrefix = "/" } } ] },\n]\n`;
    const l4 = `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Action = "allow" },\n]\n`;
    const { run, inSync } = await applyTwice({ 'pd.hcl': pd('http'), 'i.hcl': l7 }, { 'pd.hcl': pd('tcp'), 'i.hcl': l4 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });
});

describe('resolvers naming each other’s subsets: written one after the other, not side by side', () => {
  const redirect = (subset: string) => `Kind = "service-resolver"\nName = "web"\nRedirect {\n  Service = "zed"\n  ServiceSubset = "${subset}"\n}\n`;

  it('the resolver adding subset v2 before the one whose Redirect moves to it', async () => {
    const { run, inSync } = await applyTwice(
      { 'zed.hcl': resolver('zed', 'v1'), 'web.hcl': redirect('v1') },
      { 'zed.hcl': resolver('zed', 'v1', 'v2'), 'web.hcl': redirect('v2') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('the resolver whose Redirect leaves subset v1 before the one dropping it', async () => {
    const { run, inSync } = await applyTwice(
      { 'zed.hcl': resolver('zed', 'v1', 'v2'), 'web.hcl': redirect('v1') },
      { 'zed.hcl': resolver('zed', 'v2'), 'web.hcl': redirect('v2') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(inSync).toBe(true);
  });

  it('a Redirect moving to the subset its target swaps in: the plan stops before any write', async () => {
    const { run } = await applyTwice(
      { 'zed.hcl': resolver('zed', 'v1'), 'web.hcl': redirect('v1') },
      { 'zed.hcl': resolver('zed', 'v2'), 'web.hcl': redirect('v2') },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('config-entries/web.hcl:2:1: Name: service-resolvers "web", "zed" each need another');
    expect(run.stderr).toContain('config-entries/zed.hcl:2:1: Name: service-resolvers "web", "zed" each need another');
    expect(run.stderr).toContain('apply it in two steps: first add the new subsets and keep the old ones, then remove the old ones');
    const read = await fetch(`${server.url}/v1/config/service-resolver/zed`);
    expect(Object.keys(((await read.json()) as { Subsets: object }).Subsets)).toEqual(['v1']);
  });
});

describe('no order of the writes passes: the plan stops before any write', () => {
  it('a splitter moving from v1 to v3 while the resolver swaps v1 for v3: file and line, and the two applies that work', async () => {
    const { cwd, run } = await applyTwice(
      { 'web.hcl': defaults('web', 'http'), 'r.hcl': resolver('web', 'v1', 'v2'), 's.hcl': splitter('web', 'v1') },
      { 'r.hcl': resolver('web', 'v2', 'v3'), 's.hcl': splitter('web', 'v3') },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'config-entries/s.hcl:2:1: Name: service-splitter "web" moves from subset "v1" of service "web" to "v3", which the resolver\'s update adds while it removes "v1"',
    );
    expect(run.stderr).toContain(
      'apply it in two steps: first keep subset "v1" in service-resolver "web" (add "v3", move the service-splitter), then remove it',
    );
    // Nothing was written: the splitter still sends to v1, and the two steps apply.
    const read = await fetch(`${server.url}/v1/config/service-splitter/web`);
    expect(((await read.json()) as { Splits: { ServiceSubset: string }[] }).Splits[0].ServiceSubset).toBe('v1');
    writeFileSync(join(cwd, 'config-entries', 'r.hcl'), resolver('web', 'v1', 'v2', 'v3'));
    const step1 = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(step1.code).toBe(0);
    writeFileSync(join(cwd, 'config-entries', 'r.hcl'), resolver('web', 'v2', 'v3'));
    const step2 = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
    expect(step2.stderr).toBe('');
    expect(step2.code).toBe(0);
  });
});
