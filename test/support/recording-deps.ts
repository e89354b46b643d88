// What a test needs to call a reconcile use case (detectDrift, reconcileCommit) directly: one
// commit's files as the desired state, the store and state under test, a fixed clock, and a
// reporter that records the commit statuses and issues it would post to GitHub.
import type { ReconcileDeps, ReconcileTarget } from '../../src/app/reconcile-commit.ts';

export interface RecordingDeps {
  deps: ReconcileDeps;
  /** Every issue upserted (the drift issue), oldest first. */
  issues: { body: string; open: boolean }[];
  /** Every commit status posted, oldest first. */
  statuses: { state: string; description: string }[];
}

/** The repository and branch the drift job reads. */
export const DRIFT_JOB = { owner: 'acme', repo: 'mesh', branch: 'main' };

/** Target `name` reading config-entries/, with its state under consul-gitops/state. */
export function target(name: string, prune: boolean): ReconcileTarget {
  return { name, dir: 'config-entries', prune, stateKeyPrefix: 'consul-gitops/state' };
}

export function recordingDeps(init: {
  files: { path: string; text: string }[];
  store: ReconcileDeps['store'];
  state: ReconcileDeps['state'];
  /** The commit's time (default 2026-11-25T11:00:00Z, two hours before the clock). */
  commitTime?: string;
}): RecordingDeps {
  const issues: RecordingDeps['issues'] = [];
  const statuses: RecordingDeps['statuses'] = [];
  const deps: ReconcileDeps = {
    source: { read: async () => ({ revision: 'a'.repeat(40), commitTime: init.commitTime ?? '2026-11-25T11:00:00Z', files: init.files }) },
    store: init.store,
    state: init.state,
    reporter: {
      commitStatus: async (_ref, state, description) => void statuses.push({ state, description }),
      upsertPullRequestComment: async () => ({ id: 1, created: true }),
      upsertIssue: async (_r, _t, body, _k, open) => (issues.push({ body, open }), { number: 1, created: true }),
    },
    now: () => new Date('2026-11-25T13:00:00Z'),
    sleep: async () => undefined,
    holder: 'test',
  };
  return { deps, issues, statuses };
}
