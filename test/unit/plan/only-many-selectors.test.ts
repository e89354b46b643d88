// `--only` with thousands of entries (an emergency apply of a whole team's services): each selector
// was asked of every change, and each change of every selector (selectors × changes: seconds at
// 10,000); now both are looked up once. The restricted plan and its refusals stay as they were.
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../src/core/render.ts';
import { planChanges } from '../../../src/core/plan/plan.ts';
import { restrictPlan, type EntrySelector } from '../../../src/core/plan/only.ts';

const SERVICES = 1_000;
const files = [{ path: 'config-entries/proxy-defaults.hcl', text: 'Kind = "proxy-defaults"\nName = "global"\n' }];
for (let i = 0; i < SERVICES; i++) {
  files.push({ path: `config-entries/svc-${i}.hcl`, text: `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "http"\n` });
  files.push({
    path: `config-entries/router-${i}.yaml`,
    text: `Kind: service-router\nName: svc-${i}\nRoutes:\n  - Match:\n      HTTP:\n        PathPrefix: /v2\n`,
  });
}
const tree = renderTree(files, { consul: { major: 1, minor: 22, patch: 0 }, treeGraph: false });
const options = { prune: true, adopt: false, consulVersion: '1.22.0' };
const plan = planChanges(tree.entries, [], options);

/** Selectors that count how often the restriction reads them. */
function counted(list: EntrySelector[]): { selectors: EntrySelector[]; reads: () => number } {
  let reads = 0;
  const selectors = list.map(({ kind, name }) => ({
    get kind() {
      reads++;
      return kind;
    },
    get name() {
      reads++;
      return name;
    },
  }));
  return { selectors, reads: () => reads };
}

describe('--only with thousands of entries', () => {
  it('reads each selector a fixed number of times, not once per change of the plan', () => {
    const wanted = Array.from({ length: SERVICES }, (_, i) => [
      { kind: 'service-defaults', name: `SVC-${i}` },
      { kind: 'service-router', name: `svc-${i}` },
    ]).flat();
    const { selectors, reads } = counted(wanted);
    const out = restrictPlan(plan, [], selectors, options);
    expect('plan' in out && out.plan.changes.length).toBe(2 * SERVICES);
    expect('plan' in out && out.plan.summary.create).toBe(2 * SERVICES);
    // Two reads (kind, name) per look: the old code read them for every change it passed.
    expect(reads()).toBeLessThanOrEqual(4 * selectors.length * 2);
  });

  it('names, for each router whose service is left out, the changes to add, in plan order', () => {
    const routers = Array.from({ length: SERVICES }, (_, i) => ({ kind: 'service-router', name: `svc-${i}` }));
    const out = restrictPlan(plan, [], routers, options);
    if (!('problems' in out)) throw new Error('expected the restriction to be refused');
    expect(out.problems).toHaveLength(SERVICES);
    const svc7 = out.problems.find((p) => p.change?.id.name === 'svc-7')!;
    expect(svc7.message).toMatch(/^--only leaves the mesh inconsistent: service-router\/svc-7: /);
    // The service's own protocol change and the mesh-wide proxy-defaults, as the plan orders them.
    expect(svc7.hint).toMatch(/^add --only proxy-defaults\/global --only service-defaults\/svc-7(;|$)/);
  });

  it('still names a selector that matches nothing', () => {
    const out = restrictPlan(
      plan,
      [],
      [
        { kind: 'service-router', name: 'svc-0' },
        { kind: 'service-router', name: 'nope' },
      ],
      options,
    );
    expect('problems' in out && out.problems.map((p) => p.message)).toEqual([
      '--only service-router/nope: no file defines this entry and Consul does not hold it',
    ]);
  });
});
