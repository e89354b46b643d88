// Review: a commit time that is not RFC 3339 must never reach the stale-commit record, wherever it
// enters: a Git source giving a loose date is refused as unorderable and nothing is applied.
import { describe, expect, it } from 'vitest';
import { reconcileCommit, type ReconcileDeps, type ReconcileTarget } from '../../src/app/reconcile-commit.ts';
import { commitTimeProblem, lastApplied, stateKey } from '../../src/app/commit-state.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';
import { InMemoryStateStore } from '../support/in-memory-state-store.ts';

describe('commit times', () => {
  it.each(['2026-11-25T10:00:00Z', '2026-11-25t10:00:00.123z', '2026-11-25T10:00:00+05:30', '2024-02-29T23:59:59-00:00'])('%j is RFC 3339', (t) => {
    expect(commitTimeProblem(t)).toBeUndefined();
  });
  it.each(['yesterday', '', '2026-11-25 10:00:00Z', '2026-11-25T10:00Z', '2026-11-25T24:00:00Z', '2025-02-29T10:00:00Z', '2026-11-25T10:00:00+0100'])(
    '%j is not',
    (t) => {
      expect(commitTimeProblem(t)).toBeDefined();
    },
  );

  it('a push whose commit time is not RFC 3339 is refused, nothing applied or recorded, and the status says why', async () => {
    const store = new InMemoryConfigEntryStore();
    const state = new InMemoryStateStore();
    const statuses: { state: string; description: string }[] = [];
    const target: ReconcileTarget = { name: 'dc1', dir: 'config-entries', prune: false, stateKeyPrefix: 'consul-gitops/state' };
    const deps: ReconcileDeps = {
      source: {
        read: async () => ({
          revision: 'a'.repeat(40),
          commitTime: 'yesterday',
          files: [{ path: 'config-entries/web.hcl', text: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }],
        }),
      },
      store,
      state,
      reporter: {
        commitStatus: async (_ref, s, description) => void statuses.push({ state: s, description }),
        upsertPullRequestComment: async () => ({ id: 1, created: true }),
        upsertIssue: async () => ({ number: 1, created: true }),
      },
      now: () => new Date('2026-11-25T13:00:00Z'),
      sleep: async () => undefined,
      holder: 'test',
    };
    const outcome = await reconcileCommit(deps, target, { owner: 'acme', repo: 'mesh', sha: 'a'.repeat(40), deliveryId: 'd1', mode: 'apply' });
    expect(outcome.kind).toBe('stale');
    expect(await store.get('service-defaults', 'web')).toBeUndefined();
    expect(await lastApplied(state, stateKey(target.stateKeyPrefix, target.name))).toBeUndefined();
    expect(statuses.at(-1)).toMatchObject({ state: 'error', description: expect.stringContaining('"yesterday"') });
  });
});
