// The plan shown on a pull request, remembered, and compared with what its merge applies. GitOps
// applies what Git says on the branch, so a difference (the base moved on, Consul changed since the
// review, the plan on the PR was for an older head) never stops the apply; it is said on the merge
// commit's status and on the pull request, entry by entry, so nobody believes the review covered it.
import type { StateStore } from './ports/config-entry-store.ts';
import type { Plan } from '../core/plan/plan.ts';
import { differencesFromReviewed, reviewedChanges, type PlanDifference, type ReviewedPlan } from '../core/plan/saved-plan-review.ts';
import { ConsulGitopsError } from '../errors.ts';
import type { MergedPullRequest, MergedPullRequests } from './ports/merged-pull-requests.ts';
export type { MergedPullRequest, MergedPullRequests } from './ports/merged-pull-requests.ts';

export type ReviewComparison =
  | { kind: 'same'; pullRequest: number }
  | { kind: 'differs'; pullRequest: number; differences: PlanDifference[] }
  /** No plan on record for the merged head (never planned, or the plan on the PR is for an older head). */
  | { kind: 'unreviewed'; pullRequest: number; reason: string }
  /** GitHub or Consul KV failed while comparing: said, never a reason not to apply. */
  | { kind: 'unknown'; reason: string };

export const reviewedKey = (prefix: string, target: string, pullRequest: number) => `${prefix.replace(/\/+$/, '')}/${target}/reviewed/pr-${pullRequest}`;

/** Keeps the plan posted on a pull request (one record per PR and target, replaced on each push). */
export async function recordReviewedPlan(state: StateStore, key: string, record: Omit<ReviewedPlan, 'version' | 'changes'>, plan: Plan): Promise<void> {
  const value = JSON.stringify({ version: 1, ...record, changes: reviewedChanges(plan) } satisfies ReviewedPlan);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await state.read(key);
    // A plan for a later push of the same PR may have landed first: keep the newer one.
    if (current && isNewer(current.value, record.plannedAt)) return;
    if (await state.write(key, value, current?.modifyIndex ?? 0)) return;
  }
  throw new ConsulGitopsError('state-conflict', `could not record the reviewed plan under ${key}: it kept changing (check-and-set conflicts)`);
}

function isNewer(value: string, plannedAt: string): boolean {
  const r = parseReviewed(value);
  return r !== undefined && Date.parse(r.plannedAt) > Date.parse(plannedAt);
}

function parseReviewed(value: string): ReviewedPlan | undefined {
  try {
    const r = JSON.parse(value) as ReviewedPlan;
    return r && r.version === 1 && Array.isArray(r.changes) && typeof r.headSha === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How the plan about to be applied for `ref` compares with the plan shown on the pull request it
 * merged. Undefined when the commit merged no pull request (a direct push): nothing was reviewed.
 */
export async function compareWithReviewed(
  deps: { state: StateStore; pulls: MergedPullRequests },
  target: { name: string; stateKeyPrefix: string },
  ref: { owner: string; repo: string; sha: string },
  plan: Plan,
): Promise<ReviewComparison | undefined> {
  let merged: MergedPullRequest[];
  try {
    merged = await deps.pulls.mergedAs(ref);
  } catch (e) {
    return { kind: 'unknown', reason: `could not ask GitHub which pull request this commit merged: ${(e as Error).message}` };
  }
  const pr = merged[0];
  if (!pr) return undefined;
  let raw: { value: string } | undefined;
  try {
    raw = await deps.state.read(reviewedKey(target.stateKeyPrefix, target.name, pr.number));
  } catch (e) {
    return { kind: 'unknown', reason: `could not read the plan reviewed on #${pr.number}: ${(e as Error).message}` };
  }
  const reviewed = raw ? parseReviewed(raw.value) : undefined;
  if (!reviewed) return { kind: 'unreviewed', pullRequest: pr.number, reason: `no plan was shown on #${pr.number} for target ${target.name}` };
  if (reviewed.headSha !== pr.headSha)
    return {
      kind: 'unreviewed',
      pullRequest: pr.number,
      reason: `the plan shown on #${pr.number} is for ${reviewed.headSha.slice(0, 7)}, not for its merged head ${pr.headSha.slice(0, 7)}`,
    };
  const differences = differencesFromReviewed(reviewed.changes, reviewedChanges(plan));
  return differences.length ? { kind: 'differs', pullRequest: pr.number, differences } : { kind: 'same', pullRequest: pr.number };
}
