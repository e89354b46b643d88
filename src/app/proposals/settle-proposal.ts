// One proposal's lifecycle step, the same for a service, the grouped PR and the mesh lockdown
// (Renovate's etiquette): open it once, update it in place (no request when nothing changed, the
// body only when only the evidence changed), close it with a comment when it stops being true,
// never reopen one a human closed until the evidence has left "ready" and come back, and stop at a
// merge. GitHub failures are values in the action, never a crash of the whole run.
import type { ProposalMemory } from './proposal-state.ts';
import type { ProposalPullRequest, ProposalPullRequests, ProposalRequest } from '../ports/proposal-pull-requests.ts';
import { parseVersionLine, proposalVersion, versionLine } from './version-marker.ts';

export type Desired =
  /** Ready: the change to propose, and what its evidence is (hashed; window bounds left out). */
  | { kind: 'propose'; request: ProposalRequest; evidence: unknown }
  /** No longer true: close an open PR, with this comment. */
  | { kind: 'withdraw'; verdict: string; comment: string }
  /** Not ready (or the change cannot be made): leave an open PR as it is. */
  | { kind: 'hold'; verdict: string; reason?: string };

export type ActionKind = 'opened' | 'updated' | 'evidence-updated' | 'unchanged' | 'closed' | 'declined' | 'merged' | 'held' | 'failed';

export interface ProposalAction {
  /** `strict:<partition>/<namespace>/<service>`, `strict:all`, `lockdown`. */
  key: string;
  branch: string;
  kind: ActionKind;
  pr?: { number: number; url: string };
  detail?: string;
}

export interface SettleInput {
  key: string;
  branch: string;
  desired: Desired;
  open: ProposalPullRequest | undefined;
  memory: ProposalMemory | undefined;
  now: number;
}

export async function settleProposal(pulls: ProposalPullRequests, input: SettleInput): Promise<{ action: ProposalAction; memory: ProposalMemory | undefined }> {
  const { key, branch, desired } = input;
  let memory = input.memory;
  let pr = input.open;
  const act = (kind: ActionKind, detail?: string, p = pr): ProposalAction => ({
    key,
    branch,
    kind,
    ...(p ? { pr: { number: p.number, url: p.url } } : {}),
    ...(detail ? { detail } : {}),
  });
  try {
    if (!pr && memory?.pr !== undefined) {
      // Our PR is no longer open: a human merged or closed it (deleting its branch closes it too).
      const known = await pulls.get(memory.pr);
      if (known?.state === 'open') pr = known;
      else if (known?.state === 'merged') return { action: act('merged', 'merged: the change is in Git', known), memory: { verdict: memory.verdict } };
      else memory = { verdict: memory.verdict, declinedAt: known?.closedAt ?? input.now, declinedPr: memory.pr };
    }
    if (desired.kind === 'withdraw') {
      if (!pr) return { action: act('held', desired.comment.split('\n')[0]), memory: { verdict: desired.verdict } };
      await pulls.comment(pr.number, desired.comment);
      await pulls.close(pr.number, branch);
      return { action: act('closed', desired.comment.split('\n')[0]), memory: { verdict: desired.verdict } };
    }
    if (desired.kind === 'hold') {
      // Not ready any more: a human's earlier "no" is forgotten, so a later ready verdict proposes again.
      return { action: act('held', desired.reason ?? desired.verdict), memory: { verdict: desired.verdict, ...(pr ? { pr: pr.number } : {}) } };
    }
    if (!pr && memory?.declinedAt !== undefined)
      return {
        action: act('declined', `closed without merging by a human (#${memory.declinedPr}); proposed again once the evidence leaves ready and comes back`),
        memory: { ...memory, verdict: 'ready' },
      };
    const version = proposalVersion(desired.request, desired.evidence);
    const request: ProposalRequest = { ...desired.request, body: `${desired.request.body.trimEnd()}\n\n${versionLine(version)}\n` };
    if (pr) {
      const had = parseVersionLine(pr.body);
      if (had?.change === version.change && pr.title === request.title) {
        if (had.evidence === version.evidence) return { action: act('unchanged'), memory: { verdict: 'ready', pr: pr.number } };
        await pulls.updateText(pr.number, request.title, request.body);
        return { action: act('evidence-updated'), memory: { verdict: 'ready', pr: pr.number } };
      }
    }
    const made = await pulls.ensure(request);
    const p = { number: made.number, url: made.url };
    return { action: { key, branch, kind: made.created ? 'opened' : 'updated', pr: p }, memory: { verdict: 'ready', pr: made.number } };
  } catch (e) {
    return { action: act('failed', e instanceof Error ? e.message : String(e)), memory };
  }
}
