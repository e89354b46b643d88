// applySavedPlan between its ModifyIndex pre-check and a write: check-and-set still refuses to
// overwrite what another writer changed, and the run reports the conflict instead of re-planning.
import { describe, expect, it } from 'vitest';
import { InMemoryConfigEntryStore } from '../../support/in-memory-config-entry-store.ts';
import { InMemoryStateStore } from '../../support/in-memory-state-store.ts';
import { applySavedPlan } from '../../../src/app/saved-plan.ts';
import { makePlan } from '../../../src/app/make-plan.ts';
import { readEntries, sealPlan } from '../../../src/core/plan/saved-plan.ts';

const now = new Date('2026-11-25T12:00:00Z');
const target = { name: 'default', address: 'http://127.0.0.1:8500' };

describe('applySavedPlan', () => {
  it('reports a check-and-set conflict when Consul changes after the pre-check, and overwrites nothing', async () => {
    const store = new InMemoryConfigEntryStore();
    store.seed({ Kind: 'service-defaults', Name: 'api', Protocol: 'http', Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'api.hcl' } });
    const made = await makePlan([{ path: 'api.hcl', text: 'Kind = "service-defaults"\nName = "api"\nProtocol = "grpc"\n' }], store, {
      prune: false,
      adopt: false,
    });
    expect(made.errors).toEqual([]);
    const saved = sealPlan({
      format: 'consul-gitops-plan',
      version: 1,
      createdAt: now.toISOString(),
      target,
      source: { dir: 'config-entries', contentHash: 'sha256:x' },
      options: { prune: false, adopt: false, only: [] },
      read: readEntries(made.live),
      plan: made.plan!,
    });
    // Another writer lands between the pre-check (list) and this run's write.
    let raced = false;
    store.beforeWrite = () => {
      if (raced) return;
      raced = true;
      void store.write({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' }, store.all()[0].ModifyIndex as number);
    };
    const deps = { store, state: new InMemoryStateStore(), now: () => now, sleep: async () => {}, holder: 'test', leaseMs: 60_000, lockWaitMs: 0 };
    const outcome = await applySavedPlan(
      deps,
      { name: 'default', stateKeyPrefix: 'consul-gitops/state', now: target },
      { plan: saved, file: 'p.json', maxAgeMs: 3_600_000 },
    );
    expect(outcome.kind).toBe('applied');
    if (outcome.kind !== 'applied') return;
    expect(outcome.report.ok).toBe(false);
    expect(outcome.report.results[0].outcome).toMatchObject({ status: 'conflict' });
    expect((outcome.report.results[0].outcome as { message: string }).message).toContain('check-and-set conflict on service-defaults/api: it changed');
    expect(store.all()[0].Protocol).toBe('tcp');
  });
});
