// Review: self-heal must obey the stale-commit rule the webhook path obeys: a branch whose HEAD is
// older than the last applied commit (force-pushed back) must not roll the mesh back.
import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/app/detect-drift.ts';
import { recordApplied, stateKey } from '../../src/app/commit-state.ts';
import type { ReconcileDeps, ReconcileTarget } from '../../src/app/reconcile-commit.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';
import { InMemoryStateStore } from '../support/in-memory-state-store.ts';

describe('detectDrift with self-heal', () => {
  it('reports drift instead of applying a HEAD older than the last applied commit', async () => {
    const store = new InMemoryConfigEntryStore();
    const state = new InMemoryStateStore();
    const target: ReconcileTarget = { name: 'dc1', dir: 'config-entries', prune: true, stateKeyPrefix: 'consul-gitops/state' };
    const key = stateKey(target.stateKeyPrefix, target.name);
    // The newer commit B (http) was applied; the branch was then force-pushed back to older commit A (tcp).
    await store.write(
      { Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' } },
      0,
    );
    await recordApplied(state, key, { commit: 'b'.repeat(40), commitTime: '2026-11-25T12:00:00Z' }, new Date('2026-11-25T12:01:00Z'));
    const issues: { open: boolean }[] = [];
    const deps: ReconcileDeps = {
      source: {
        read: async () => ({
          revision: 'a'.repeat(40),
          commitTime: '2026-11-25T11:00:00Z',
          files: [{ path: 'config-entries/web.hcl', text: 'Kind = "service-defaults"\nName = "web"\nProtocol = "tcp"\n' }],
        }),
      },
      store,
      state,
      reporter: {
        commitStatus: async () => undefined,
        upsertPullRequestComment: async () => ({ id: 1, created: true }),
        upsertIssue: async (_r, _t, _m, _k, open) => (issues.push({ open }), { number: 1, created: true }),
      },
      now: () => new Date('2026-11-25T13:00:00Z'),
      sleep: async () => undefined,
      holder: 'test',
    };
    const outcome = await detectDrift(deps, target, { owner: 'acme', repo: 'mesh', branch: 'main', selfHeal: true });
    expect(outcome.kind).toBe('drift');
    expect((await store.get('service-defaults', 'web'))!.entry.Protocol).toBe('http');
    expect(issues).toEqual([{ open: true }]);
  });
});
