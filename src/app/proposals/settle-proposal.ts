// One proposal's lifecycle step, the same for a service, the grouped PR and the mesh lockdown
// (Renovate's etiquette): open it once, update it in place (no request when nothing changed, the
// body only when only the evidence changed), close it with a comment when it stops being true,
// never reopen one a human closed until the evidence has left "ready" and come back, and stop at a
// merge. GitHub failures are values in the action, never a crash of the whole run. A branch someone
// pushed to is theirs as well: its body says the evidence covers only consul-gitops' change, nothing
// is pushed over their commits, and closing the PR keeps the branch.
import type { ProposalMemory } from './proposal-state.ts';
import type { ProposalPullRequest, ProposalPullRequests, ProposalRequest } from '../ports/proposal-pull-requests.ts';
import { parseVersionLine, proposalVersion, versionLine } from './version-marker.ts';
import { HAND_EDITED_MARK, handEditedNotice, KEPT_BRANCH_NOTE } from '../../reports/hand-edited-branch.ts';
import { fitBody, GITHUB_BODY_LIMIT, text } from '../../reports/markdown.ts';

export type Desired =
  /** Ready: the change to propose, and what its evidence is (hashed; window bounds left out). */
  | { kind: 'propose'; request: ProposalRequest; evidence: unknown }
  /** No longer true: close an open PR, with this comment. */
  | { kind: 'withdraw'; verdict: string; comment: string }
  /**
   * Not ready (or the change cannot be made): leave an open PR open. With `notReady`, the service's
   * verdict left ready without plaintext coming back: the open PR's body is marked as not ready now.
   */
  | { kind: 'hold'; verdict: string; reason?: string; notReady?: true };

export type ActionKind =
  | 'opened'
  | 'updated'
  | 'evidence-updated'
  | 'unchanged'
  /** Someone pushed to the branch: the body says so, nothing is pushed over it. */
  | 'hand-edited'
  | 'closed'
  | 'declined'
  | 'merged'
  | 'held'
  | 'failed';

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
    // The head consul-gitops pushed to this PR's branch, and whether the branch moved on since.
    const ours = pr && memory?.pr === pr.number ? memory.head : undefined;
    const edited = pr?.headSha !== undefined && ours !== undefined && pr.headSha !== ours;
    const remember = (m: ProposalMemory): ProposalMemory => (ours !== undefined && m.pr === pr?.number ? { ...m, head: ours } : m);
    if (desired.kind === 'withdraw') {
      if (!pr) return { action: act('held', desired.comment.split('\n')[0]), memory: { verdict: desired.verdict } };
      // A drift PR's closing comment lists every entry no file change expresses: hundreds of them pass
      // GitHub's limit, and a refused comment (422) left the PR open. Cut, the note after it kept.
      const whole = edited ? `${desired.comment}\n\n${KEPT_BRANCH_NOTE}` : desired.comment;
      const fits = whole.length <= GITHUB_BODY_LIMIT;
      await pulls.comment(
        pr.number,
        fits ? whole : fitBody(desired.comment, edited ? KEPT_BRANCH_NOTE : '', GITHUB_BODY_LIMIT, '`consul-gitops plan` lists every entry'),
      );
      await pulls.close(pr.number, branch, edited ? { keepBranch: true } : {});
      return { action: act('closed', desired.comment.split('\n')[0]), memory: { verdict: desired.verdict } };
    }
    if (desired.kind === 'hold') {
      // Its evidence no longer holds, but a stats outage must not close it: the body says it is not ready now (written once per verdict).
      if (pr && desired.notReady) {
        const body = notReadyNotice(desired.verdict) + withoutNotReadyNotice(pr.body);
        if (body !== pr.body) await pulls.updateText(pr.number, pr.title, body.length <= GITHUB_BODY_LIMIT ? body : fitBody(body, '', GITHUB_BODY_LIMIT));
      }
      // Not ready any more: a human's earlier "no" is forgotten, so a later ready verdict proposes again.
      return { action: act('held', desired.reason ?? desired.verdict), memory: remember({ verdict: desired.verdict, ...(pr ? { pr: pr.number } : {}) }) };
    }
    if (!pr && memory?.declinedAt !== undefined)
      return {
        action: act('declined', `closed without merging by a human (#${memory.declinedPr}); proposed again once the evidence leaves ready and comes back`),
        memory: { ...memory, verdict: 'ready' },
      };
    const version = proposalVersion(desired.request, desired.evidence);
    const request: ProposalRequest = { ...desired.request, body: `${desired.request.body.trimEnd()}\n\n${versionLine(version)}\n` };
    if (pr && edited) {
      const body = `${handEditedNotice(pr.headSha!, ours)}\n${request.body}`;
      const detail = `the branch was pushed to by someone else (head ${pr.headSha!.slice(0, 7)}): not updated, the PR says so`;
      // Written once per head and evidence, as for an unedited PR (the window's bounds alone change no body).
      const had = parseVersionLine(pr.body);
      const said = pr.body.startsWith(handEditedNotice(pr.headSha!, ours));
      if (!said || pr.title !== request.title || had?.change !== version.change || had.evidence !== version.evidence)
        await pulls.updateText(pr.number, request.title, body);
      return { action: act('hand-edited', detail), memory: remember({ verdict: 'ready', pr: pr.number }) };
    }
    if (pr) {
      const had = parseVersionLine(pr.body);
      if (had?.change === version.change && pr.title === request.title && !pr.body.includes(HAND_EDITED_MARK)) {
        // A memory from before heads were remembered takes the head it finds as consul-gitops' own.
        const head = ours ?? pr.headSha;
        const m: ProposalMemory = { verdict: 'ready', pr: pr.number, ...(head ? { head } : {}) };
        if (had.evidence === version.evidence && !pr.body.includes(NOT_READY_MARK)) return { action: act('unchanged'), memory: m };
        await pulls.updateText(pr.number, request.title, request.body);
        return { action: act('evidence-updated'), memory: m };
      }
    }
    const made = await pulls.ensure(request);
    const p = { number: made.number, url: made.url };
    return {
      action: { key, branch, kind: made.created ? 'opened' : 'updated', pr: p },
      memory: { verdict: 'ready', pr: made.number, ...(made.headSha ? { head: made.headSha } : {}) },
    };
  } catch (e) {
    return { action: act('failed', e instanceof Error ? e.message : String(e)), memory };
  }
}

const NOT_READY_MARK = '<!-- consul-gitops:not-ready -->';

/** What opens the body of an open proposal whose service is not ready now (no plaintext back, or it would be closed). */
function notReadyNotice(verdict: string): string {
  return [
    NOT_READY_MARK,
    '> [!CAUTION]',
    `> **Not ready for strict mTLS now**: the latest run's verdict is **${text(verdict)}**, so the evidence below no longer holds. ` +
      'Do not merge until this notice is gone: consul-gitops removes it when the service is ready again, and closes this pull request if plaintext comes back ' +
      '(`consul-gitops advise` and the mTLS posture issue say why).',
    '',
    '',
  ].join('\n');
}

function withoutNotReadyNotice(body: string): string {
  if (!body.startsWith(NOT_READY_MARK)) return body;
  const end = body.indexOf('\n\n');
  return end < 0 ? '' : body.slice(end + 2);
}
