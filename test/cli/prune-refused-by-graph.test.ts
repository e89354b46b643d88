// apply --prune of an entry another still needs: Consul recompiles every chain the delete touches
// (deleteConfigEntryTxn → validateProposedConfigEntryInGraph in agent/consul/state/config_entry.go)
// and refuses the delete. The plan runs the same check on each delete in apply order, so it stops
// before any write when a kept entry needs the deleted one, and orders the deletes (routers,
// splitters and intentions before the defaults and resolvers they need) when both go.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerTest();

const files = {
  'config-entries/web.hcl': `Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n`,
  'config-entries/other.hcl': `Kind = "service-defaults"\nName = "other"\nProtocol = "tcp"\n`,
  'config-entries/resolver.hcl': `Kind = "service-resolver"\nName = "web"\nSubsets = {\n  v1 = { Filter = "Service.Meta.version == v1" }\n}\n`,
  'config-entries/splitter.hcl': `Kind = "service-splitter"\nName = "web"\nSplits = [\n  { Weight = 100, ServiceSubset = "v1" },\n]\n`,
  'config-entries/i.hcl': `Kind = "service-intentions"\nName = "web"\nSources = [\n  { Name = "api", Permissions = [ { Action = "allow", HTTP = { PathPrefix = "/" } } ] },\n]\n`,
};

const get = (kind: string, name: string) => fetch(`${server.url}/v1/config/${kind}/${name}`);

async function applied(): Promise<string> {
  const cwd = tempTree(files);
  const run = await runCli(['apply', '--auto-approve', '--consul', server.url], cwd);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return cwd;
}

async function prune(cwd: string, ...gone: string[]) {
  for (const f of gone) rmSync(join(cwd, 'config-entries', f));
  return runCli(['apply', '--prune', '--auto-approve', '--consul', server.url], cwd);
}

describe('apply --prune of what a kept entry needs', () => {
  it('the service-defaults giving a splitter and L7 intention their protocol: stops before any write', async () => {
    const cwd = await applied();
    const run = await prune(cwd, 'web.hcl');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('discovery chain "web" uses a protocol "tcp" that does not permit advanced routing or splitting behavior');
    expect(run.stdout).not.toContain('Applying:');
    expect((await get('service-defaults', 'web')).status).toBe(200);
  });

  it('the resolver whose subset a splitter names: stops before any write', async () => {
    const cwd = await applied();
    const run = await prune(cwd, 'resolver.hcl');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not have a subset named "v1"');
    expect((await get('service-resolver', 'web')).status).toBe(200);
  });

  it('the service-defaults an L7 intention needs (no chain): stops before any write', async () => {
    const cwd = await applied();
    const first = await prune(cwd, 'splitter.hcl', 'resolver.hcl');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const run = await prune(cwd, 'web.hcl');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service "web" has protocol "tcp", which is incompatible with L7 intentions permissions');
    expect((await get('service-defaults', 'web')).status).toBe(200);
  });

  it('all of them together: deleted in an order Consul accepts', async () => {
    const cwd = await applied();
    const run = await prune(cwd, 'web.hcl', 'resolver.hcl', 'splitter.hcl', 'i.hcl');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const [kind, name] of [
      ['service-defaults', 'web'],
      ['service-resolver', 'web'],
      ['service-splitter', 'web'],
      ['service-intentions', 'web'],
    ])
      expect((await get(kind, name)).status).toBe(404);
  });
});
