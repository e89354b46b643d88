// GitHub failing after Consul was already changed: the run must say that the changes are live
// (commit status and the error Lambda logs), not report a plain "reconcile failed" as if nothing
// had happened; and the lock is released on that path too.
import { describe, expect, it } from 'vitest';
import { reconcileCommit, type ReconcileDeps, type ReconcileTarget } from '../../src/app/reconcile-commit.ts';
import { InMemoryConfigEntryStore } from '../support/in-memory-config-entry-store.ts';
import { InMemoryStateStore } from '../support/in-memory-state-store.ts';

const target: ReconcileTarget = { name: 'dc1', dir: 'config-entries', prune: true, stateKeyPrefix: 'consul-gitops/state' };
const sha = 'c'.repeat(40);

function deps(store: InMemoryConfigEntryStore, state: InMemoryStateStore, statuses: { state: string; description: string }[]): ReconcileDeps {
  return {
    source: {
      read: async () => ({
        revision: sha,
        commitTime: '2026-11-25T11:00:00Z',
        files: [{ path: 'config-entries/web.hcl', text: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }],
      }),
    },
    store,
    state,
    reporter: {
      commitStatus: async (_ref, s, description) => {
        if (s === 'success') throw new Error('GitHub answered 502 Bad Gateway');
        statuses.push({ state: s, description });
      },
      upsertPullRequestComment: async () => ({ id: 1, created: true }),
      upsertIssue: async () => undefined,
    },
    now: () => new Date('2026-11-25T13:00:00Z'),
    sleep: async () => undefined,
    holder: 'test',
  };
}

describe('reconcileCommit when GitHub fails after the apply', () => {
  it('says the changes were applied to Consul, in the commit status and in the error', async () => {
    const store = new InMemoryConfigEntryStore();
    const state = new InMemoryStateStore();
    const statuses: { state: string; description: string }[] = [];
    const error = await reconcileCommit(deps(store, state, statuses), target, { owner: 'acme', repo: 'mesh', sha, deliveryId: 'd1', mode: 'apply' }).then(
      () => new Error('resolved'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    // Consul was changed…
    expect((await store.get('service-defaults', 'web'))?.entry.Protocol).toBe('http');
    // …and both the status and the error say so.
    expect(statuses.at(-1)?.state).toBe('error');
    expect(statuses.at(-1)?.description).toMatch(/applied to Consul/i);
    expect(error.message).toMatch(/applied to Consul/i);
    expect(error.message).toContain('GitHub answered 502 Bad Gateway');
    // The lock is released, and the delivery is not recorded (Lambda's retry reports again).
    const lock = JSON.parse(state.values.get('consul-gitops/state/dc1/lock')!.value) as { released?: boolean };
    expect(lock.released).toBe(true);
    expect(state.values.has('consul-gitops/state/dc1/deliveries/apply')).toBe(false);
  });

  it('keeps a failure before any change as a plain reconcile failure', async () => {
    const store = new InMemoryConfigEntryStore();
    const state = new InMemoryStateStore();
    const statuses: { state: string; description: string }[] = [];
    const d = deps(store, state, statuses);
    d.source = { read: async () => Promise.reject(new Error('tree unavailable')) };
    const error = await reconcileCommit(d, target, { owner: 'acme', repo: 'mesh', sha, deliveryId: 'd2', mode: 'apply' }).then(
      () => new Error('resolved'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe('tree unavailable');
    expect(statuses.at(-1)).toEqual({ state: 'error', description: 'reconcile failed: tree unavailable' });
  });
});
