// serve's plan archive in memory stays within its bounds: oldest plans out first, by count and by
// bytes, and a plan larger than the whole budget is refused rather than emptying the store.
import { describe, expect, it } from 'vitest';
import { MemoryPlanStorage } from '../../../src/adapters/plans/plan-storage.ts';

describe('MemoryPlanStorage', () => {
  it('keeps at most maxPlans, dropping the oldest', async () => {
    const store = new MemoryPlanStorage({ maxPlans: 2, maxBytes: 1000 });
    for (const id of ['a', 'b', 'c']) await store.put(id, `plan ${id}`);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual([undefined, 'plan b', 'plan c']);
    expect(store.stats()).toEqual({ plans: 2, bytes: 12 });
  });

  it('keeps at most maxBytes (UTF-8), dropping the oldest until the new plan fits', async () => {
    const store = new MemoryPlanStorage({ maxPlans: 10, maxBytes: 10 });
    await store.put('a', '1234');
    await store.put('b', '5678');
    await store.put('c', 'é→x'); // 2 + 3 + 1 bytes
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual([undefined, '5678', 'é→x']);
    expect(store.stats().bytes).toBe(10);
    await expect(store.put('d', 'x'.repeat(11))).rejects.toThrow('larger than the 10 bytes kept for plans');
    expect(store.stats()).toEqual({ plans: 2, bytes: 10 });
  });
});
