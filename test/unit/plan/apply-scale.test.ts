// Apply at scale: writes inside a wave go out DEFAULT_APPLY_CONCURRENCY at a time (a wave of 10,000
// creates is bounded by that many round trips in flight, not eight), never more; and with many
// changes, a failure still skips exactly the later changes that depend on it, naming it.
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../../src/core/parse-files.ts';
import { makePlan } from '../../../src/app/make-plan.ts';
import { applyPlan, DEFAULT_APPLY_CONCURRENCY } from '../../../src/app/apply-plan.ts';
import { InMemoryConfigEntryStore } from '../../support/in-memory-config-entry-store.ts';

const services = (n: number): SourceFile[] =>
  Array.from({ length: n }, (_, i) => [
    { path: `sd/svc-${i}.hcl`, text: `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "http"\n` },
    { path: `si/svc-${i}.hcl`, text: `Kind = "service-intentions"\nName = "svc-${i}"\nSources = [{ Name = "web", Action = "allow" }]\n` },
  ]).flat();

/** The store with 1 ms per write, counting writes in flight. */
function slowStore() {
  const store = new InMemoryConfigEntryStore();
  const write = store.write.bind(store);
  const seen = { inFlight: 0, max: 0 };
  store.write = async (entry, cas) => {
    seen.max = Math.max(seen.max, ++seen.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    try {
      return await write(entry, cas);
    } finally {
      seen.inFlight--;
    }
  };
  return { store, seen };
}

describe('apply at scale', () => {
  it(`keeps ${DEFAULT_APPLY_CONCURRENCY} writes in flight inside a wave, never more`, async () => {
    expect(DEFAULT_APPLY_CONCURRENCY).toBe(32);
    const { store, seen } = slowStore();
    const plan = (await makePlan(services(500), store, { prune: true, adopt: false })).plan!;

    const report = await applyPlan(store, plan);

    expect(report.counts.applied).toBe(1000);
    expect(seen.max).toBe(DEFAULT_APPLY_CONCURRENCY);
    expect(report.results.map((r) => r.change.key)).toEqual(plan.changes.map((c) => c.key));
  });

  it('skips exactly the intentions of the services whose defaults failed, among 2,000 changes', async () => {
    const { store } = slowStore();
    for (const i of [7, 250, 499]) store.failWrites.set(`service-defaults/svc-${i}`, 'injected 500');
    const plan = (await makePlan(services(1000), store, { prune: true, adopt: false })).plan!;

    const report = await applyPlan(store, plan);

    expect(report.counts).toMatchObject({ applied: 1994, failed: 3, skipped: 3 });
    const skipped = report.results.filter((r) => r.outcome.status === 'skipped');
    expect(skipped.map((r) => [r.change.id.name, r.outcome.status === 'skipped' && r.outcome.message])).toEqual(
      // In plan order: by key, so svc-7 comes after svc-499.
      [250, 499, 7].map((i) => [`svc-${i}`, `not attempted: service-defaults/svc-${i} failed earlier and this change depends on it`]),
    );
  });
});
