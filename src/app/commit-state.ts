// The reconciler's memory per target, kept in Consul KV with check-and-set: the last applied
// commit and its time. Applying an older commit is refused, so an out-of-order webhook delivery
// never rolls a mesh back.
import * as z from 'zod/mini';
import type { StateStore } from '../core/ports.ts';
import { ConsulGitopsError } from '../errors.ts';

export const DEFAULT_STATE_PREFIX = 'consul-gitops/state';

const AppliedCommit = z.object({ commit: z.string(), commitTime: z.string(), appliedAt: z.string() });
export type AppliedCommit = z.infer<typeof AppliedCommit>;

export interface CommitRef {
  commit: string;
  /** RFC 3339 committer time (see commitTimeProblem); the order of commits on the default branch. */
  commitTime: string;
}

/**
 * Why `value` is not an RFC 3339 date-time (§5.6: `2026-11-25T10:00:00Z`, `…+02:00`), or undefined
 * when it is one. The stale-commit rule compares these times; anything `Date.parse` reads loosely
 * ("yesterday" is NaN, which compares false both ways) would switch the rule off for good.
 */
export function commitTimeProblem(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!m) return 'expected an RFC 3339 time with a zone, like 2026-11-25T10:00:00Z or 2026-11-25T11:00:00+01:00';
  const [year, month, day, hour, minute, second, , offH, offM] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => Number(m[i] ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  // §5.6 ranges; second 60 is a leap second.
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 60 || offH! > 23 || offM! > 59)
    return 'a field of the date or time is out of range (RFC 3339 §5.6)';
  if (!Number.isFinite(Date.parse(value))) return 'not a time JavaScript can compare';
  return undefined;
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
  const problem = commitTimeProblem(ref.commitTime);
  if (problem) return `commit ${ref.commit.slice(0, 12)} has commit time "${ref.commitTime}": ${problem}; refusing to apply a commit that cannot be ordered`;
  const last = await lastApplied(store, key);
  if (!last || last.commit === ref.commit) return undefined;
  if (Date.parse(ref.commitTime) < Date.parse(last.commitTime))
    return `commit ${ref.commit.slice(0, 12)} (${ref.commitTime}) is older than ${last.commit.slice(0, 12)} (${last.commitTime}), applied at ${last.appliedAt}: refusing to roll the mesh back`;
  return undefined;
}

/** Records an applied commit unless a newer one was recorded meanwhile (CAS, retried on conflict). */
export async function recordApplied(store: StateStore, key: string, ref: CommitRef, now: Date): Promise<void> {
  const problem = commitTimeProblem(ref.commitTime);
  if (problem) throw new ConsulGitopsError('stale-commit', `not recording commit ${ref.commit.slice(0, 12)}: commit time "${ref.commitTime}": ${problem}`);
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await lastApplied(store, key);
    if (last && Date.parse(last.commitTime) > Date.parse(ref.commitTime)) return;
    const value = JSON.stringify({ commit: ref.commit, commitTime: ref.commitTime, appliedAt: now.toISOString() });
    if (await store.write(key, value, last?.modifyIndex ?? 0)) return;
  }
  throw new ConsulGitopsError('state-conflict', `could not record the applied commit under ${key}: it kept changing (check-and-set conflicts)`);
}
