// The reconciler's memory per target, kept in Consul KV with check-and-set: the last applied
// commit and its time. Applying an older commit is refused, so an out-of-order webhook delivery
// never rolls a mesh back.
import * as z from 'zod/mini';
import type { StateStore } from '../core/ports.ts';

export const DEFAULT_STATE_PREFIX = 'consul-gitops/state';

const AppliedCommit = z.object({ commit: z.string(), commitTime: z.string(), appliedAt: z.string() });
export type AppliedCommit = z.infer<typeof AppliedCommit>;

export interface CommitRef {
  commit: string;
  /** ISO 8601 committer time; the order of commits on the default branch. */
  commitTime: string;
}

export const stateKey = (prefix: string, target: string) => `${prefix.replace(/\/+$/, '')}/${target}/last-applied`;

export async function lastApplied(store: StateStore, key: string): Promise<(AppliedCommit & { modifyIndex: number }) | undefined> {
  const raw = await store.read(key);
  if (!raw) return undefined;
  const parsed = AppliedCommit.safeParse(JSON.parse(raw.value));
  return parsed.success ? { ...parsed.data, modifyIndex: raw.modifyIndex } : undefined;
}

/** Why this commit must not be applied, or undefined when it may. */
export async function staleReason(store: StateStore, key: string, ref: CommitRef): Promise<string | undefined> {
  const last = await lastApplied(store, key);
  if (!last || last.commit === ref.commit) return undefined;
  if (Date.parse(ref.commitTime) < Date.parse(last.commitTime))
    return `commit ${ref.commit.slice(0, 12)} (${ref.commitTime}) is older than ${last.commit.slice(0, 12)} (${last.commitTime}), applied at ${last.appliedAt}: refusing to roll the mesh back`;
  return undefined;
}

/** Records an applied commit unless a newer one was recorded meanwhile (CAS, retried on conflict). */
export async function recordApplied(store: StateStore, key: string, ref: CommitRef, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await lastApplied(store, key);
    if (last && Date.parse(last.commitTime) > Date.parse(ref.commitTime)) return;
    const value = JSON.stringify({ commit: ref.commit, commitTime: ref.commitTime, appliedAt: now.toISOString() });
    if (await store.write(key, value, last?.modifyIndex ?? 0)) return;
  }
  throw new Error(`could not record the applied commit under ${key}: it kept changing (check-and-set conflicts)`);
}
