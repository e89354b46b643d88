// A plan's write order along long chains: sameness groups each gaining the peer the one before gives
// up (sameness-order.ts), and resolvers each redirecting to a subset the next one adds
// (release-order.ts). Both walked the chain by recursion, one call per link: at about 10,000 links
// (40,000 where the frames were smaller) the call stack overflowed (RangeError) and the plan failed.
// Chains of 20,000 and 50,000 are ordered link by link.
import { describe, expect, it } from 'vitest';
import { orderChanges } from '../../../src/core/plan/order.ts';
import { memberCycleProblems } from '../../../src/core/plan/sameness-order.ts';
import { releaseProblems } from '../../../src/core/plan/release-order.ts';
import { entryKey } from '../../../src/model/entry-id.ts';
import type { Change } from '../../../src/core/plan/plan.ts';

const LINKS = 20_000;
/** Chains walked by the smaller recursive frames (the depth of each change) overflowed at about 40,000. */
const LONG_LINKS = 50_000;

function update(kind: string, name: string, before: Record<string, unknown>, after: Record<string, unknown>): Change {
  const id = { kind, name, namespace: '', partition: kind === 'sameness-group' ? 'default' : '' };
  return {
    action: 'update',
    id,
    key: entryKey(id),
    before: { Kind: kind, Name: name, ...before },
    after: { Kind: kind, Name: name, ...after },
    fieldDiffs: [],
    reason: 'differs from the file',
    cas: 1,
    wave: 0,
  };
}

/** Group g<i> held peer p<i> and now holds p<i-1>, which g<i-1> gives up: g0 first, then g1, … (`closed`: g0 takes the last one's peer). */
function groupChain(closed = false, links = LINKS): Change[] {
  return Array.from({ length: links + 1 }, (_, i) =>
    update('sameness-group', `g${i}`, { Members: [{ Peer: `p${i}` }] }, { Members: [{ Peer: i === 0 ? (closed ? `p${links}` : 'new') : `p${i - 1}` }] }),
  );
}

/** Resolver r<i> adds subset `s` and redirects to r<i+1>'s `s`, which r<i+1> adds in the same plan: the last one first. */
function resolverChain(): Change[] {
  return Array.from({ length: LONG_LINKS + 1 }, (_, i) =>
    update(
      'service-resolver',
      `r${i}`,
      {},
      { Subsets: { s: { Filter: 'Service.Meta.v == 1' } }, ...(i < LONG_LINKS ? { Redirect: { Service: `r${i + 1}`, ServiceSubset: 's' } } : {}) },
    ),
  );
}

const names = (changes: Change[]) => changes.map((c) => c.id.name);

describe('sameness groups passing peers along a chain of 20,000', () => {
  const inOrder = Array.from({ length: LINKS + 1 }, (_, i) => `g${i}`).join(' ');

  it('writes each group after the one that gives its new peer up', () => {
    expect(names(orderChanges(groupChain())).join(' ')).toBe(inOrder);
    expect(memberCycleProblems(groupChain())).toEqual([]);
  });

  it('does so with 50,000 listed the other way round', () => {
    const chain = groupChain(false, LONG_LINKS);
    expect(names(orderChanges([...chain].reverse())).join(' ')).toBe(names(chain).join(' '));
  });

  it('refuses the chain closed into a ring, naming every group once', () => {
    const problems = memberCycleProblems(groupChain(true));
    expect(problems).toHaveLength(LINKS + 1);
    expect(new Set(problems.map((p) => p.change.id.name)).size).toBe(LINKS + 1);
    expect(problems[0].message).toContain('exchange members');
  });
});

describe('resolvers redirecting along a chain of 50,000', () => {
  it('writes each resolver after the one whose new subset it redirects to', () => {
    const inOrder = Array.from({ length: LONG_LINKS + 1 }, (_, i) => `r${LONG_LINKS - i}`).join(' ');
    const changes = resolverChain();
    expect(names(orderChanges(changes)).join(' ')).toBe(inOrder);
    expect(releaseProblems(changes)).toEqual([]);
  });
});
