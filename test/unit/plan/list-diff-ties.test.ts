// How an update shows an unnamed list whose length changes (a router's routes): the elements both
// sides share stay hidden, the others are removed or added, in the order the longest common
// subsequence gives, ties included. The golden file holds the plan text of several tie cases as it
// was before the list diff trimmed common ends and bounded its table (issue 12): the same bytes.
// A router with thousands of routes and one added shows that one; the table of every pair of routes
// it built (routes squared) is gone.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderTree } from '../../../src/core/render.ts';
import { planChanges } from '../../../src/core/plan/plan.ts';
import { renderPlanText } from '../../../src/core/plan/render-plan.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { withOwnership } from '../../../src/core/plan/ownership.ts';
import { LIST_CELL_BUDGET } from '../../../src/core/plan/attributes.ts';

const consul = { major: 1, minor: 22, patch: 0 };
const route = (x: string) => ({ Match: { HTTP: { PathPrefix: `/${x}` } }, Destination: { Service: `svc-${x}` } });
const router = (routes: string[]) => JSON.stringify({ Kind: 'service-router', Name: 'api', Routes: routes.map(route) });

/** The plan text of `api`'s routes going from `before` (as Consul holds them) to `after` (as the file says). */
function planText(before: string[], after: string[]): string {
  const live = renderTree([{ path: 'config-entries/api.json', text: router(before) }], { consul, treeGraph: false }).entries[0];
  const stored = normalizeEntry(withOwnership(live.entry, live.file));
  const tree = renderTree([{ path: 'config-entries/api.json', text: router(after) }], { consul, treeGraph: false });
  expect([...tree.decodeErrors, ...tree.validationErrors]).toEqual([]);
  const plan = planChanges(tree.entries, [{ entry: { ...stored, CreateIndex: 5, ModifyIndex: 5 }, modifyIndex: 5 }], {
    prune: true,
    adopt: false,
    consulVersion: '1.22.0',
  });
  return renderPlanText(plan);
}

/** Before → after, one letter per route: swaps, repeats, nothing shared, ends shared around a tie. */
const CASES: [string, string][] = [
  ['ab', 'bac'],
  ['abc', 'cbad'],
  ['ab', 'c'],
  ['aba', 'baba'],
  ['abcd', 'acbde'],
  ['aab', 'abbc'],
  ['abc', 'ac'],
  ['xaby', 'xbayz'],
  ['abcabc', 'cbacbaa'],
  ['', 'ab'],
  ['abab', 'bab'],
  ['xyabzw', 'xybazw'],
  ['abcdefgh', 'hgfedcbaa'],
];

describe('an unnamed list of another length in an update', () => {
  it('shows ties as it always has (golden)', () => {
    const text = CASES.map(([b, a]) => `== ${b || '(none)'} → ${a}\n${planText([...b], [...a])}`).join('\n');
    const url = new URL('../../fixtures/plans/list-diff-ties.txt', import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(url)) writeFileSync(url, text);
    expect(text).toBe(readFileSync(url, 'utf8'));
  });
});

/** `fn`'s result and how often it called Math.max: the list diff's table takes one per cell of two unequal elements. */
function countingMax<T>(fn: () => T): { value: T; calls: number } {
  const max = Math.max;
  let calls = 0;
  Math.max = (...values: number[]) => {
    calls++;
    return max(...values);
  };
  try {
    return { value: fn(), calls };
  } finally {
    Math.max = max;
  }
}

describe('a router with thousands of routes', () => {
  const N = 5_000;
  const routes = Array.from({ length: N }, (_, i) => `r${i}`);

  it('shows one route added among 5,000 without a table of every pair of routes', () => {
    const after = [...routes.slice(0, N / 2), 'new', ...routes.slice(N / 2)];
    const { value: text, calls } = countingMax(() => planText(routes, after));
    expect(text).toMatch(/~ Routes = \[\n\s+\+ \{\n\s+\+ Match\s+= \{\n\s+\+ HTTP = \{\n\s+\+ PathPrefix = "\/new"/);
    expect(text).toContain(`# (${N} unchanged elements hidden)`);
    expect(text).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    // The common ends are not matched pair by pair: a few calls per line of the text (its widths), not N² = 25 million.
    expect(calls).toBeLessThan(100 * N);
  });

  it('compares a changed middle too long to match position by position, and says so', () => {
    // Every route renamed and one more: (N/2 + 1) × (N/2 + 2) pairs, above the budget.
    const half = Math.ceil(Math.sqrt(LIST_CELL_BUDGET)) + 1;
    const before = routes.slice(0, half);
    const after = [...before.map((r) => `${r}-v2`), 'new'];
    const text = planText(before, after);
    expect(text).toContain(`# (compared position by position: ${half} elements before and ${half + 1} after differ, too many to match)`);
    // The first route changed in place, the new one added.
    expect(text).toMatch(/~ PathPrefix = "\/r0" → "\/r0-v2"/);
    expect(text).toMatch(/\+ PathPrefix = "\/new"/);
  });
});
