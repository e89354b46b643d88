// Runs for one target never interleave, and a redelivered webhook does no work twice.
import { describe, expect, it } from 'vitest';
import { TargetBusyError, withTargetLock, type LockOptions } from '../../../src/app/target-lock.ts';
import { recordDelivery, wasDelivered } from '../../../src/app/deliveries.ts';
import { InMemoryStateStore } from '../../support/in-memory-state-store.ts';

function lockOptions(holder: string, clock: { t: number }, waitMs = 1000): LockOptions {
  return {
    key: 'consul-gitops/state/dc1/lock',
    holder,
    leaseMs: 60_000,
    waitMs,
    now: () => new Date(clock.t),
    sleep: async (ms) => {
      clock.t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('target lock', () => {
  it('serialises two runs for the same target', async () => {
    const store = new InMemoryStateStore();
    const events: string[] = [];
    // Real time here: the lease must outlive the run, as it does in production.
    const real = (holder: string): LockOptions => ({
      ...lockOptions(holder, { t: 0 }, 10_000),
      now: () => new Date(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    const run = (name: string) =>
      withTargetLock(store, real(name), async () => {
        events.push(`${name} start`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name} end`);
      });
    await Promise.all([run('a'), run('b')]);
    expect(events).toHaveLength(4);
    expect(events[1]).toBe(`${events[0].split(' ')[0]} end`);
  });

  it('gives up with a clear error when another run holds the target too long', async () => {
    const store = new InMemoryStateStore();
    const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
    let release!: () => void;
    const holding = withTargetLock(store, lockOptions('first', clock), () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setImmediate(r));
    await expect(withTargetLock(store, lockOptions('second', clock, 500), async () => 1)).rejects.toThrow(TargetBusyError);
    release();
    await holding;
  });

  it('takes over a lease that expired (a crashed run)', async () => {
    const store = new InMemoryStateStore();
    const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
    await store.write('consul-gitops/state/dc1/lock', JSON.stringify({ holder: 'crashed', expiresAt: '2026-11-25T09:00:00Z' }), 0);
    expect(await withTargetLock(store, lockOptions('next', clock), async () => 'ran')).toBe('ran');
  });
});

describe('deliveries', () => {
  it('remembers deliveries that were handled', async () => {
    const store = new InMemoryStateStore();
    expect(await wasDelivered(store, 'k', 'd1')).toBe(false);
    await recordDelivery(store, 'k', 'd1');
    await recordDelivery(store, 'k', 'd2');
    await recordDelivery(store, 'k', 'd1');
    expect(await wasDelivered(store, 'k', 'd1')).toBe(true);
    expect(JSON.parse(store.values.get('k')!.value)).toEqual(['d1', 'd2']);
  });
});
