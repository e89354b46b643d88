// A run that outlives its lease (a slow Consul; `serve`, whose runs have no deadline) keeps the
// target: its lease is renewed while it runs, so no other run takes the target over mid-apply. A run
// that stops renewing (killed) still loses the target once its lease expires.
import { describe, expect, it } from 'vitest';
import { TargetBusyError, withTargetLock, type LockOptions } from '../../../src/app/target-lock.ts';
import { InMemoryStateStore } from '../../support/in-memory-state-store.ts';

const KEY = 'consul-gitops/state/dc1/lock';
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Real time: renewal is about time passing while a run works. */
const options = (holder: string, leaseMs: number, waitMs = 0): LockOptions => ({ key: KEY, holder, leaseMs, waitMs, now: () => new Date(), sleep: pause });

describe('target lease renewal', () => {
  it('a run longer than its lease keeps the target: another run meanwhile is refused, and gets it once the first is done', async () => {
    const store = new InMemoryStateStore();
    const events: string[] = [];
    // Margins of hundreds of milliseconds: the machine running the tests may be busy.
    const long = withTargetLock(store, options('long', 600), async () => {
      events.push('long start');
      await pause(2000);
      events.push('long end');
    });
    await pause(1300); // more than twice the lease
    await expect(withTargetLock(store, options('intruder', 600), async () => events.push('intruder ran'))).rejects.toThrow(TargetBusyError);
    await long;
    expect(events).toEqual(['long start', 'long end']);
    expect(await withTargetLock(store, options('next', 600), async () => 'ran')).toBe('ran');
  });

  it('renew: false (a Lambda run, whose lease already ends just past its deadline) leaves the lease as taken', async () => {
    const store = new InMemoryStateStore();
    const first = withTargetLock(store, { ...options('lambda', 300), renew: false }, () => pause(1200));
    await pause(800);
    expect(await withTargetLock(store, options('next', 300), async () => 'ran')).toBe('ran');
    await first;
  });

  it('a lease no longer renewed (its run was killed) expires and is taken over', async () => {
    const store = new InMemoryStateStore();
    await store.write(KEY, JSON.stringify({ holder: 'killed', expiresAt: new Date(Date.now() + 100).toISOString() }), 0);
    await expect(withTargetLock(store, options('next', 150), async () => 1)).rejects.toThrow(TargetBusyError);
    await pause(150);
    expect(await withTargetLock(store, options('next', 150), async () => 'ran')).toBe('ran');
  });
});
