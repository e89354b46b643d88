// The reconciler's memory per target, kept in Consul KV with check-and-set: the last applied
// commit and its time, and which entries it keeps in Consul. Applying an older commit is refused,
// so an out-of-order webhook delivery never rolls a mesh back. Writes of an apply of a commit that
// failed midway go to a second record, so the next plan knows them as ours and does not call them
// "changed outside consul-gitops".
import { gunzipSync, gzipSync } from 'node:zlib';
import * as z from 'zod/mini';
import type { StateStore } from './ports/config-entry-store.ts';
import type { Plan } from '../core/plan/plan.ts';
import type { OwnWrites } from '../core/plan/changed-outside.ts';
import type { ApplyReport } from './apply-plan.ts';
import type { CommitOrderAnswer } from './ports/github.ts';
import { ConsulGitopsError } from '../errors.ts';

export const DEFAULT_STATE_PREFIX = 'consul-gitops/state';

/** `managed`: the entry keys the apply keeps in Consul, packed (pack: gzip, base64): 10,000 keys stay far under KV's 512 KB. */
const AppliedCommit = z.object({ commit: z.string(), commitTime: z.string(), appliedAt: z.string(), managed: z.optional(z.string()) });
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
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // §5.6 ranges; second 60 is a leap second.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60 || offH > 23 || offM > 59)
    return 'a field of the date or time is out of range (RFC 3339 §5.6)';
  if (!Number.isFinite(Date.parse(value))) return 'not a time JavaScript can compare';
  return undefined;
}

export const stateKey = (prefix: string, target: string) => `${prefix.replace(/\/+$/, '')}/${target}/last-applied`;

/** Where writes are recorded that no last-applied record covers yet (next to the last-applied key). */
export const writtenKey = (appliedKey: string) => appliedKey.replace(/last-applied$/, 'last-written');

/**
 * `written`: entry key → an index at or above our write of it; 0 stands for this record's own
 * ModifyIndex, which is known only once it is stored (KV gets a Raft index after the entries did).
 * `deleted`: keys this record's applies deleted. Both packed.
 */
const WrittenEntries = z.object({ written: z.string(), deleted: z.string(), at: z.string() });

function pack(value: unknown): string {
  return gzipSync(JSON.stringify(value)).toString('base64');
}

function unpack<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(gunzipSync(Buffer.from(text, 'base64')).toString('utf8')) as T;
  } catch {
    return fallback; // an unreadable record only costs labels, never a plan
  }
}

/**
 * A state key holds what no consul-gitops run wrote (edited by hand, another tool, a cut write).
 * Read as "no record", a last-applied key would switch the stale-commit guard off; thrown bare, it
 * was a SyntaxError naming nothing. The run stops and says which key, and what to do.
 */
export class StateRecordUnreadableError extends ConsulGitopsError {
  constructor(
    readonly key: string,
    what: string,
    why: string,
    fix: string,
  ) {
    super('state-unreadable', `the ${what} ${key} in Consul KV is not a consul-gitops record (${why}); ${fix}`);
  }
}

/** The JSON in a state key's value, or StateRecordUnreadableError. */
export function parseStateJson(key: string, value: string, what: string, fix: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new StateRecordUnreadableError(key, what, 'not JSON', fix);
  }
}

const LAST_APPLIED = 'last-applied record';
const lastAppliedFix = (key: string) =>
  `delete the key (\`consul kv delete ${key}\`) and apply the newest commit again (until a commit is recorded anew, an older one is not refused)`;

export async function lastApplied(store: StateStore, key: string): Promise<(AppliedCommit & { modifyIndex: number }) | undefined> {
  const raw = await store.read(key);
  if (!raw) return undefined;
  const parsed = AppliedCommit.safeParse(parseStateJson(key, raw.value, LAST_APPLIED, lastAppliedFix(key)));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.');
    throw new StateRecordUnreadableError(key, LAST_APPLIED, field ? `no "${field}" string` : 'not a JSON object', lastAppliedFix(key));
  }
  return { ...parsed.data, modifyIndex: raw.modifyIndex };
}

/**
 * Git's order of two commits (how `head` stands to `base`), when the caller can ask the repository;
 * `{ unknown }` when it cannot (CLI: not a repository, or a commit it lacks), saying why. Committer
 * times have one-second resolution and are whatever the committer's clock said: only the history
 * says which of two commits is older.
 */
export type CommitOrderOf = (base: string, head: string) => Promise<CommitOrderAnswer>;

/**
 * Why this commit must not be applied, or undefined when it may. With `order`, the history decides
 * whenever the commit is not the applied one: committer dates are whatever the committer's clock (or
 * a forger) wrote, so a commit dated in the future would otherwise block every later commit, and an
 * older one given a later date would roll the mesh back. Without `order` (CLI `apply --commit`
 * outside a repository) the dates decide, as before.
 */
export async function staleReason(store: StateStore, key: string, ref: CommitRef, order?: CommitOrderOf): Promise<string | undefined> {
  const problem = commitTimeProblem(ref.commitTime);
  if (problem) return `commit ${ref.commit.slice(0, 12)} has commit time "${ref.commitTime}": ${problem}; refusing to apply a commit that cannot be ordered`;
  const last = await lastApplied(store, key);
  if (!last || last.commit === ref.commit) return undefined;
  const older = `commit ${ref.commit.slice(0, 12)} (${ref.commitTime}) is older than ${last.commit.slice(0, 12)} (${last.commitTime}), applied at ${last.appliedAt}`;
  const [mine, theirs] = [Date.parse(ref.commitTime), Date.parse(last.commitTime)];
  if (!order) return mine < theirs ? `${older}: refusing to roll the mesh back` : undefined;
  // A failure to ask goes to the caller (the run is retried).
  const how = await order(last.commit, ref.commit);
  if (typeof how === 'object') {
    // The history cannot be asked here: the dates decide, as without `order`, but never a tie.
    if (mine !== theirs) return mine < theirs ? `${older}: refusing to roll the mesh back` : undefined;
    throw new ConsulGitopsError(
      'git',
      `cannot order commit ${ref.commit.slice(0, 12)} and the applied ${last.commit.slice(0, 12)} (the same commit time) by the history: ${how.unknown}; fetch both commits (git fetch) and run again, nothing was applied`,
    );
  }
  if (how === 'ahead' || how === 'identical') return undefined;
  const fix = `; to apply it anyway, delete the record (\`consul kv delete ${key}\`) and apply it again`;
  if (how === 'behind') {
    if (mine > theirs)
      return `commit ${ref.commit.slice(0, 12)} is older than the applied ${last.commit.slice(0, 12)} by the history (${last.commit.slice(0, 12)} has it in its history), though dated ${ref.commitTime}, after ${last.commitTime}: refusing to roll the mesh back (applied at ${last.appliedAt})`;
    return `${older}${mine === theirs ? ` (the same second; ${last.commit.slice(0, 12)} has it in its history)` : ''}: refusing to roll the mesh back`;
  }
  if (mine === theirs)
    return `cannot be ordered: commit ${ref.commit.slice(0, 12)} and the applied ${last.commit.slice(0, 12)} have the same commit time (${ref.commitTime}) and neither is in the other's history (was the branch rewritten?)${fix}`;
  return `cannot be ordered: neither commit ${ref.commit.slice(0, 12)} (${ref.commitTime}) nor the applied ${last.commit.slice(0, 12)} (${last.commitTime}, applied at ${last.appliedAt}) is in the other's history (was the branch rewritten?), and commit times are the committer's word${fix}`;
}

/** `order`, asked at most once per pair of commits (the stale check and the record ask the same pair). */
export function rememberOrder(order: CommitOrderOf): CommitOrderOf {
  const known = new Map<string, ReturnType<CommitOrderOf>>();
  return (base, head) => {
    const k = `${base}...${head}`;
    let answer = known.get(k);
    if (!answer) {
      answer = order(base, head);
      known.set(k, answer);
      answer.catch(() => known.delete(k));
    }
    return answer;
  };
}

/**
 * Records an applied commit unless a newer one was recorded meanwhile (CAS, retried on conflict):
 * newer by the history when `order` can ask it, else by commit time.
 */
export async function recordApplied(
  store: StateStore,
  key: string,
  ref: CommitRef,
  now: Date,
  managed?: readonly string[],
  order?: CommitOrderOf,
): Promise<void> {
  const problem = commitTimeProblem(ref.commitTime);
  if (problem) throw new ConsulGitopsError('stale-commit', `not recording commit ${ref.commit.slice(0, 12)}: commit time "${ref.commitTime}": ${problem}`);
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await lastApplied(store, key);
    if (last && last.commit !== ref.commit) {
      const how = order ? await order(last.commit, ref.commit) : undefined;
      const newer = how === undefined || typeof how === 'object' ? Date.parse(last.commitTime) > Date.parse(ref.commitTime) : how === 'behind';
      if (newer) return;
    }
    const value = JSON.stringify({
      commit: ref.commit,
      commitTime: ref.commitTime,
      appliedAt: now.toISOString(),
      ...(managed ? { managed: pack([...managed].sort()) } : {}),
    });
    if (await store.write(key, value, last?.modifyIndex ?? 0)) return;
  }
  throw new ConsulGitopsError('state-conflict', `could not record the applied commit under ${key}: it kept changing (check-and-set conflicts)`);
}

interface WrittenRecord {
  written: Map<string, number>;
  deleted: Set<string>;
  modifyIndex: number;
}

async function lastWritten(store: StateStore, key: string): Promise<WrittenRecord | undefined> {
  const raw = await store.read(key);
  if (!raw) return undefined;
  // Unreadable, it only costs labels ("changed outside"), never a plan: read as no record, and the
  // next partial apply writes it anew.
  let value: unknown;
  try {
    value = JSON.parse(raw.value);
  } catch {
    return undefined;
  }
  const parsed = WrittenEntries.safeParse(value);
  if (!parsed.success) return undefined;
  const written = new Map(Object.entries(unpack<Record<string, number>>(parsed.data.written, {})).map(([k, i]) => [k, i === 0 ? raw.modifyIndex : i]));
  return { written, deleted: new Set(unpack<string[]>(parsed.data.deleted, [])), modifyIndex: raw.modifyIndex };
}

/** What the records say of consul-gitops's own writes on a target, for markChangedOutside. */
export async function ownWrites(store: StateStore, appliedKey: string): Promise<(OwnWrites & { lastApplied?: AppliedCommit }) | undefined> {
  // Read side by side; a failure is reported in a fixed order (the last-applied record's first), not
  // whichever answer came back first, so one Consul gives the same notice on every run (the plan
  // memo replays it; the two keys' refusals name different keys).
  const [appliedRead, writtenRead] = await Promise.allSettled([lastApplied(store, appliedKey), lastWritten(store, writtenKey(appliedKey))]);
  if (appliedRead.status === 'rejected') throw appliedRead.reason;
  if (writtenRead.status === 'rejected') throw writtenRead.reason;
  const [applied, written] = [appliedRead.value, writtenRead.value];
  if (!applied && !written) return undefined;
  const managed = new Set(unpack<string[]>(applied?.managed, []));
  // A written record older than the last-applied one says nothing the newer record does not.
  const since = written && (!applied || written.modifyIndex > applied.modifyIndex) ? written : undefined;
  for (const k of since?.written.keys() ?? []) managed.add(k);
  for (const k of since?.deleted ?? []) managed.delete(k);
  return {
    ...(applied ? { lastAppliedIndex: applied.modifyIndex, lastApplied: applied } : {}),
    ...(since ? { writtenAt: since.written } : {}),
    managed,
  };
}

/** Entries a report says were written (or may have been: outcome unknown) and deleted. */
function writesOf(report: ApplyReport): { written: string[]; deleted: string[] } {
  const touched = report.results.filter((r) => r.outcome.status === 'applied' || r.outcome.status === 'unknown');
  return {
    written: touched.filter((r) => r.change.action !== 'delete').map((r) => r.change.key),
    deleted: touched.filter((r) => r.change.action === 'delete').map((r) => r.change.key),
  };
}

/**
 * Records an apply of a commit: a whole apply becomes the last-applied record (with the entries it
 * keeps in Consul); one that failed midway adds what it did write to the written record, so the
 * next plan does not take those writes for drift. Without a commit (CLI `apply` without --commit)
 * nothing is recorded, as before: such a run asks nothing of KV.
 */
export async function recordApplyOutcome(
  store: StateStore,
  key: string,
  ref: CommitRef | undefined,
  plan: Plan,
  report: ApplyReport,
  now: Date,
  order?: CommitOrderOf,
): Promise<void> {
  if (!ref) return;
  const { written, deleted } = writesOf(report);
  if (report.ok) {
    const before = await ownWrites(store, key);
    const managed = new Set(before?.managed ?? []);
    for (const c of plan.changes) if ((c.action === 'create' || c.action === 'update' || c.action === 'noop') && !c.requiresAdopt) managed.add(c.key);
    for (const k of deleted) managed.delete(k);
    await recordApplied(store, key, ref, now, [...managed], order);
    return;
  }
  if (written.length || deleted.length) await recordWritten(store, writtenKey(key), key, written, deleted, now);
}

/** Adds writes to the written record (CAS, retried on conflict), keeping earlier writes not yet covered by a last-applied record. */
async function recordWritten(
  store: StateStore,
  key: string,
  appliedKey: string,
  written: readonly string[],
  deleted: readonly string[],
  now: Date,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [raw, applied] = await Promise.all([store.read(key), lastApplied(store, appliedKey)]);
    const prev = raw ? await lastWritten(store, key) : undefined;
    const keep = prev && (!applied || prev.modifyIndex > applied.modifyIndex) ? prev : undefined;
    const entries: Record<string, number> = {};
    for (const [k, i] of keep?.written ?? []) entries[k] = i;
    const gone = new Set(keep?.deleted ?? []);
    for (const k of written) {
      entries[k] = 0;
      gone.delete(k);
    }
    for (const k of deleted) {
      delete entries[k];
      gone.add(k);
    }
    const value = JSON.stringify({ written: pack(entries), deleted: pack([...gone].sort()), at: now.toISOString() });
    if (await store.write(key, value, raw?.modifyIndex ?? 0)) return;
  }
  throw new ConsulGitopsError('state-conflict', `could not record the entries written under ${key}: it kept changing (check-and-set conflicts)`);
}
