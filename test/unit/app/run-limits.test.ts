// A reconcile run's deadline bounds how long it waits for a target's lease and how long it holds one.
import { describe, expect, it } from 'vitest';
import { limitsFor } from '../../../src/app/run-reconcile-event.ts';

describe('run limits from the Lambda deadline', () => {
  it('waits at most half the remaining time, never into the last minute, and holds the lease just past the deadline', () => {
    expect(limitsFor(900_000)).toEqual({ lockWaitMs: 450_000, leaseMs: 915_000 });
    expect(limitsFor(100_000)).toEqual({ lockWaitMs: 40_000, leaseMs: 115_000 });
    expect(limitsFor(60_000)).toEqual({ lockWaitMs: 0, leaseMs: 75_000 });
  });
});
