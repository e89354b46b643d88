// What a restarted `serve` owes: a push it answered 202 for and never finished. serve's queue lives in
// memory, so a process killed after the answer (a deploy, OOM, a node drained) lost the job: the
// commit's status stayed `pending` forever and nothing was applied, and GitHub does not redeliver on
// its own. On start, per target, the default branch's head is checked: a head whose consul-gitops
// status is still `pending` (a run stopped before it reported), or a head no run reported on while
// the last applied commit is another one (a push lost before its run began, or sent while serve was
// down), is run again through the ordinary apply path (lock, stale-commit rule, report). A head
// whose apply reported an end (success, failure, error) is left alone: it was decided and said; a
// pull request's plan status on it (a fast-forward merge) counts as no report.
import type { StateStore } from './ports/config-entry-store.ts';
import { RUN_START_STATUSES, type HeadStatus, type RepoRef, type RunStart } from './ports/github.ts';
import { lastApplied, stateKey } from './commit-state.ts';
import { lockKey } from './apply-commit.ts';
import { liveLease } from './target-lock.ts';
import { isPlanStatus } from './reconcile-commit.ts';

/** `unknown`: whether the head is owed cannot be told (how its run began is past the statuses read); nothing is run on it. */
/** `status`: the head's consul-gitops status, when it is owed for being `pending`. */
export type Owed = { kind: 'apply' | 'nothing' | 'unknown'; sha: string; why: string; status?: string };

export interface OwedDeps {
  headStatus(ref: RepoRef, branch: string): Promise<HeadStatus | undefined>;
  /** How the run that ended on a commit began (its `pending` status): tells an older version's plan end from an apply's. */
  runStart?(ref: RepoRef, sha: string, known?: RunStart): Promise<RunStart>;
  state: StateStore;
}

export async function owedOnStart(deps: OwedDeps, target: { name: string; stateKeyPrefix: string }, repo: RepoRef, branch: string): Promise<Owed> {
  const head = await deps.headStatus(repo, branch);
  if (!head) return { kind: 'nothing', sha: '', why: `${branch} has no commit yet: its first push applies` };
  const short = head.sha.slice(0, 12);
  if (head.state === 'pending')
    return {
      kind: 'apply',
      sha: head.sha,
      why: `the head of ${branch} (${short}) has a pending consul-gitops status: a run stopped before it reported`,
      ...(head.description !== undefined ? { status: head.description } : {}),
    };
  // A pull request's plan posts on the same context: a head fast-forwarded from a planned pull
  // request carries the plan's end, which says nothing of an apply.
  const older = head.state !== undefined && !isPlanStatus(head.description) ? await olderPlanEnd(deps, target, repo, head) : false;
  if (older === 'unknown')
    return {
      kind: 'unknown',
      sha: head.sha,
      why: `cannot tell whether the head of ${branch} (${short}) is owed: its status "${head.description}" ends a pull request's plan (of a version before plan statuses said "Plan") or an apply, and how its run began is not among the newest ${RUN_START_STATUSES} statuses of the commit; nothing was run on it (push it again to apply it)`,
    };
  const planned = head.state !== undefined && (isPlanStatus(head.description) || older);
  if (head.state && !planned) return { kind: 'nothing', sha: head.sha, why: `a run reported ${head.state} on the head of ${branch} (${short})` };
  const last = await lastApplied(deps.state, stateKey(target.stateKeyPrefix, target.name));
  if (!last) return { kind: 'nothing', sha: head.sha, why: `nothing was applied on this target yet: the next push to ${branch} applies` };
  if (last.commit === head.sha) return { kind: 'nothing', sha: head.sha, why: `the head of ${branch} (${short}) is the last applied commit` };
  const reported = planned ? `only a pull request's plan reported on the head of ${branch} (${short})` : `no run reported on the head of ${branch} (${short})`;
  return {
    kind: 'apply',
    sha: head.sha,
    why: `${reported}, and the last applied commit is ${last.commit.slice(0, 12)}: its push was lost (serve stopped before the run began, or was down)`,
  };
}

/**
 * What a drift check (the Lambda schedule, serve's timer) finds owed: the same rule as on start, but
 * a pending head is owed only while no run holds the target's lease. Every run that posts `pending`
 * holds the lease first, so a pending status with the lease free or expired is one whose run died
 * (every Lambda retry of it timed out, the event is in the dead-letter queue) or one a busy target
 * turned away ("retried after …"); while a lease is live, its run is still at work and it is left.
 */
export async function owedAtDriftCheck(
  deps: OwedDeps & { now: () => Date },
  target: { name: string; stateKeyPrefix: string },
  repo: RepoRef,
  branch: string,
): Promise<Owed> {
  const owed = await owedOnStart(deps, target, repo, branch);
  if (owed.kind !== 'apply') return owed;
  const lease = await liveLease(deps.state, lockKey(target.stateKeyPrefix, target.name), deps.now());
  if (lease)
    return {
      kind: 'nothing',
      sha: owed.sha,
      why: `a run (${lease.holder}) holds the target until ${lease.expiresAt}; the head ${owed.sha.slice(0, 12)} is checked again at the next drift check after that`,
    };
  return { ...owed, why: owed.why.replace(': a run stopped before it reported', ' and no run holds the target: its run stopped before it reported') };
}

/**
 * Before plan runs opened their ends with 'Plan failed: ' and 'Plan: ', a pull request's failed or
 * invalid plan said 'reconcile failed: …' or '<n> error(s) in config entries; nothing applied', as an
 * apply does. Such a status on a fast-forwarded head is a plan's when its run began as a plan run
 * does ('planning'; an apply begins 'planning and applying'). Asked only for those two texts.
 */
async function olderPlanEnd(deps: OwedDeps, target: { name: string; stateKeyPrefix: string }, repo: RepoRef, head: HeadStatus): Promise<boolean | 'unknown'> {
  const d = head.description ?? '';
  if (!deps.runStart || !(d.startsWith('reconcile failed: ') || /^\d+ error\(s\) in config entries; nothing applied$/.test(d))) return false;
  // The answer for this head is kept in KV: every drift check asks again while the head keeps this
  // status, and reads only the statuses newer than the last answer's.
  const key = runStartKey(target.stateKeyPrefix, target.name);
  const raw = await deps.state.read(key);
  const known = raw ? rememberedStart(raw.value, head.sha) : undefined;
  const found = await deps.runStart(repo, head.sha, known);
  const value = JSON.stringify({ sha: head.sha, ...found });
  // A lost check-and-set race: another run remembered an answer just now; either serves the next ask.
  if (value !== raw?.value) await deps.state.write(key, value, raw?.modifyIndex ?? 0);
  if (found.kind === 'unknown') return 'unknown';
  return found.kind === 'found' && found.description === 'planning';
}

/** Where a target's last runStart answer is kept (next to its last-applied record). */
export const runStartKey = (prefix: string, target: string) => `${prefix.replace(/\/+$/, '')}/${target}/run-start`;

/** The remembered answer when it is this commit's; anything else (another head, a value no run wrote) is none: it is only a saving. */
function rememberedStart(value: string, sha: string): RunStart | undefined {
  try {
    const v = JSON.parse(value) as { sha?: unknown; kind?: unknown; newest?: unknown; description?: unknown };
    if (v.sha !== sha || typeof v.newest !== 'number') return undefined;
    if (v.kind === 'found' && typeof v.description === 'string') return { kind: 'found', description: v.description, newest: v.newest };
    if (v.kind === 'none' || v.kind === 'unknown') return { kind: v.kind, newest: v.newest };
  } catch {
    // not JSON: as no answer
  }
  return undefined;
}
