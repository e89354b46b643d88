// Review: the semantic diff must say "no changes" exactly when Consul holds what the files say —
// no spurious diffs for Consul's response shapes, and no missed diffs hidden by zero-value folding.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { renderTree } from '../../src/core/render.ts';
import { planChanges } from '../../src/core/plan/plan.ts';
import { withOwnership } from '../../src/core/plan/ownership.ts';
import type { ApiEntry } from '../../src/model/kind-definition.ts';
import { tempTree, runAgainst } from '../support/run-cli.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Plans one file against one live entry shaped by `liveShape` (what Consul's GET returns). */
function planAgainst(path: string, text: string, liveShape: (e: Record<string, unknown>) => Record<string, unknown>) {
  const tree = renderTree([{ path, text }]);
  expect(tree.decodeErrors).toEqual([]);
  expect(tree.validationErrors).toEqual([]);
  const d = tree.entries[0];
  const live = liveShape(withOwnership(d.normalized, path)) as ApiEntry;
  return planChanges(tree.entries, [{ entry: live, modifyIndex: 5 }], { prune: true, adopt: false });
}

describe('plan against Consul Enterprise response shapes', () => {
  it('treats Partition/Namespace "default" on a live entry as the same entry as a file without them', () => {
    // Consul Enterprise fills Partition and Namespace with "default" (acl.EnterpriseMeta; CE's is empty: acl/enterprisemeta_ce.go).
    const plan = planAgainst('sd/web.hcl', 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n', (e) => ({
      ...e,
      Partition: 'default',
      Namespace: 'default',
    }));
    expect(plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 1 });
    expect(plan.refused).toBeUndefined();
  });
});

describe('plan: zero values', () => {
  it('proxy-defaults Config {} in the file equals "Config": null from Consul', () => {
    const plan = planAgainst('pd.hcl', 'Kind = "proxy-defaults"\nName = "global"\nConfig {}\n', (e) => ({ ...e, Config: null }));
    expect(plan.summary).toMatchObject({ update: 0, noop: 1 });
  });

  it('a resolver subset with an empty filter (all instances) is kept, and DefaultSubset may name it', () => {
    const tree = renderTree([
      {
        path: 'r.hcl',
        text: 'Kind = "service-resolver"\nName = "web"\nDefaultSubset = "all"\nSubsets = {\n  all = {}\n  v1 = { Filter = "Service.Meta.version == v1" }\n}\n',
      },
    ]);
    expect(tree.validationErrors).toEqual([]);
    expect(tree.entries[0].normalized.Subsets).toEqual({ all: {}, v1: { Filter: 'Service.Meta.version == v1' } });
  });

  it('removing an empty subset from the file is a change', () => {
    // Consul returns the subset as {"Filter": "", "OnlyPassing": false}.
    // (A real bexpr filter: Consul refuses a subset whose Filter does not parse.)
    const plan = planAgainst('r.hcl', 'Kind = "service-resolver"\nName = "web"\nSubsets = { v1 = { Filter = "Service.Meta.v == x" } }\n', (e) => ({
      ...e,
      Subsets: { all: { Filter: '', OnlyPassing: false }, v1: { Filter: 'Service.Meta.v == x', OnlyPassing: false } },
    }));
    expect(plan.summary.update).toBe(1);
  });

  it('a header set to the empty string is a change when Consul lacks it', () => {
    const text = 'Kind = "service-splitter"\nName = "web"\nSplits = [{ Weight = 100, RequestHeaders = { Set = { "x-debug" = "" } } }]\n';
    const plan = planAgainst('s.hcl', text, (e) => ({ ...e, Splits: [{ Weight: 100, Service: '', ServiceSubset: '' }] }));
    expect(plan.summary.update).toBe(1);
  });
});

describe('apply then plan against the dev server', () => {
  let server: DevServer;
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });
  const run = (cmd: Parameters<typeof runAgainst>[1], args: string[], cwd: string) => runAgainst(server.url, cmd, args, cwd);

  it('a resolver with an empty subset applies, plans no changes, and dropping the subset is planned', async () => {
    const resolver = (subsets: string) => `Kind = "service-resolver"\nName = "web"\nSubsets = {\n${subsets}}\n`;
    const dir = tempTree({ 'config-entries/r.hcl': resolver('  all = {}\n  v1 = { Filter = "Service.Meta.version == v1" }\n') });
    const apply = await run(applyCommand, [], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const live = (await (await fetch(`${server.url}/v1/config/service-resolver/web`)).json()) as Record<string, unknown>;
    expect(Object.keys(live.Subsets as object).sort()).toEqual(['all', 'v1']);
    expect((await run(planCommand, ['--detailed-exitcode'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'config-entries/r.hcl'), resolver('  v1 = { Filter = "Service.Meta.version == v1" }\n'));
    const again = await run(planCommand, ['--detailed-exitcode'], dir);
    expect(again.stdout).toContain('1 to update');
    expect(again.code).toBe(2);
  });
});
