// The write simulation of a wave apply sends side by side (core/plan/write-simulation.ts): a wave
// whose writes pass only in plan order is made sequential (one sub-wave each, in plan order, before
// the next wave); a wave whose writes pass in any order stays one wave. At 4,000 writes, so a check
// per pair of siblings would show.
import { describe, expect, it } from 'vitest';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { entryIdOf, entryKey } from '../../../src/model/entry-id.ts';
import type { Change } from '../../../src/core/plan/plan.ts';
import { refusedWrites } from '../../../src/core/plan/write-simulation.ts';

const change = (action: 'create' | 'update', after: ApiEntry, wave: number, before?: ApiEntry): Change => {
  const id = entryIdOf(after);
  return { action, id, key: entryKey(id), after, ...(before ? { before } : {}), fieldDiffs: [], reason: '', cas: 0, wave };
};
const state = (...entries: ApiEntry[]) => new Map(entries.map((e) => [entryKey(entryIdOf(e)), e]));
const resolver = (name: string, redirectTo?: string): ApiEntry =>
  redirectTo ? { Kind: 'service-resolver', Name: name, Redirect: { Service: redirectTo } } : { Kind: 'service-resolver', Name: name, ConnectTimeout: '5s' };

/** 4,000 resolver creates in wave 50, an intention in wave 80, and the swap of a Redirect (when `swap`) among the resolvers. */
function plan(swap: boolean) {
  const writes: Change[] = [];
  const live: ApiEntry[] = [];
  if (swap) {
    live.push(resolver('a-api', 'a-web'), resolver('a-web'));
    writes.push(change('update', resolver('a-api'), 50, live[0]), change('update', resolver('a-web', 'a-api'), 50, live[1]));
  }
  for (let i = 0; i < 4000; i++) writes.push(change('create', resolver(`svc-${i}`), 50));
  writes.push(change('create', { Kind: 'service-intentions', Name: 'svc-1', Sources: [{ Name: 'svc-2', Action: 'allow' }] }, 80));
  return { writes, live };
}

describe('write simulation: a wave apply sends side by side', () => {
  it('is made sequential, in plan order and before the next wave, when a write passes only after a sibling', () => {
    const { writes, live } = plan(true);
    const final = writes.map((c) => c.after!);
    expect(refusedWrites(writes, state(...live, ...final.filter((e) => !live.some((l) => l.Name === e.Name))))).toEqual([]);
    const waves = writes.slice(0, -1).map((c) => c.wave);
    expect(new Set(waves).size).toBe(waves.length);
    for (let i = 1; i < waves.length; i++) expect(waves[i]).toBeGreaterThan(waves[i - 1]);
    expect(waves[0]).toBe(50);
    expect(waves[waves.length - 1]).toBeLessThan(80);
    expect(writes[writes.length - 1].wave).toBe(80);
  });

  it('stays one wave when its writes pass in any order', () => {
    const { writes } = plan(false);
    expect(refusedWrites(writes, state(...writes.map((c) => c.after!)))).toEqual([]);
    expect(new Set(writes.map((c) => c.wave))).toEqual(new Set([50, 80]));
  });
});
