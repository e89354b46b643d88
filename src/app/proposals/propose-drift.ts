// `driftMode: propose`, the use case: after the scheduled drift check, bring the target's one drift
// pull request (`consul-gitops/drift/<target>`) in line with the drift found. It goes through the
// proposals' lifecycle (settle-proposal.ts: opened once, updated in place, no request when nothing
// changed, closed with a comment when drift is gone, never reopened against a human's "no") and
// remembers it in Consul KV (proposal-state.ts) under `<stateKeyPrefix>/<target>/drift/proposal/state`.
import { unwrittenDifferences } from '../../reports/unwritten-differences.ts';
import { formatEntryId } from '../../model/entry-id.ts';
import type { StateStore } from '../ports/config-entry-store.ts';
import type { SourceFile } from '../../core/parse-files.ts';
import { hasChanges, type Plan } from '../../core/plan/plan.ts';
import { proposeDriftChanges, type DriftProposal } from '../../core/import/drift-proposal.ts';
import { driftProposalBody, driftProposalTitle } from '../../reports/drift-pr.ts';
import type { ProposalPullRequests } from '../ports/proposal-pull-requests.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';
import { loadProposalState, saveProposalState, type ProposalMemory } from './proposal-state.ts';
import { settleProposal, type Desired, type ProposalAction } from './settle-proposal.ts';

export const DRIFT_BRANCH_PREFIX = 'consul-gitops/drift/';
const KEY = 'drift';

export function driftBranchName(target: string): string {
  return `${DRIFT_BRANCH_PREFIX}${target}`;
}

export function driftProposalStateKey(stateKeyPrefix: string, target: string): string {
  return `${stateKeyPrefix.replace(/\/+$/, '')}/${target}/drift/proposal/state`;
}

export interface DriftProposalPorts {
  pulls: ProposalPullRequests;
  state: StateStore;
}

export interface DriftProposalOptions {
  target: string;
  stateKeyPrefix: string;
  /** The branch Git was read from (the default branch), named in the PR body. */
  branch: string;
  labels: readonly string[];
  /** ms since the epoch. */
  now: number;
  /** The target's `crdNamespaces`, as the drift check's plan used it. */
  crdNamespaces?: CrdNamespaces;
}

export interface DriftProposalOutcome {
  action: ProposalAction;
  /** Absent when Consul matches Git. */
  proposal?: DriftProposal;
  stateSaved: boolean;
}

/** `plan` is the drift check's plan of `files` against Consul. */
export async function proposeDrift(
  files: readonly SourceFile[],
  plan: Plan,
  ports: DriftProposalPorts,
  options: DriftProposalOptions,
): Promise<DriftProposalOutcome> {
  const branch = driftBranchName(options.target);
  const stateKey = driftProposalStateKey(options.stateKeyPrefix, options.target);
  const loaded = await loadProposalState(ports.state, stateKey);
  const open = (await ports.pulls.listOpen(DRIFT_BRANCH_PREFIX)).find((p) => p.branch === branch);
  let proposal: DriftProposal | undefined;
  let desired: Desired;
  const unwritten = unwrittenDifferences(plan);
  if (!hasChanges(plan) && unwritten.length > 0) {
    // Consul still differs, but only where consul-gitops never writes: no file change to accept.
    const which = unwritten.map((c) => `- \`${formatEntryId(c.id)}\`: ${c.reason}`).join('\n');
    desired = {
      kind: 'withdraw',
      verdict: 'not-proposable',
      comment: `Consul still differs from Git, but only in entries consul-gitops does not write:\n\n${which}\n\nClosing this pull request.`,
    };
  } else if (!hasChanges(plan)) {
    desired = { kind: 'withdraw', verdict: 'in-sync', comment: 'Consul matches Git again, so there is nothing left to accept. Closing this pull request.' };
  } else {
    proposal = proposeDriftChanges(files, plan, options.crdNamespaces);
    if (proposal.changes.length === 0) {
      const why =
        proposal.notProposed.map((n) => `- \`${n.entry}\`: ${n.reason}`).join('\n') || '- the entries differ only in what consul-gitops manages itself';
      desired = {
        kind: 'withdraw',
        verdict: 'not-proposable',
        comment: `Consul still differs from Git, but no file change can express it any more:\n\n${why}\n\nClosing this pull request.`,
      };
    } else {
      const title = driftProposalTitle(options.target, proposal);
      desired = {
        kind: 'propose',
        request: {
          branch,
          title,
          body: driftProposalBody({ target: options.target, branch: options.branch, proposal }),
          labels: options.labels,
          changes: proposal.changes,
          message: `${title}\n\n${proposal.proposed.map((e) => `- ${e.entry}: ${e.fields.join(', ')}`).join('\n')}`,
        },
        evidence: { proposed: proposal.proposed, notProposed: proposal.notProposed },
      };
    }
  }
  const { action, memory } = await settleProposal(ports.pulls, { key: KEY, branch, desired, open, memory: loaded.state.proposals[KEY], now: options.now });
  const next: Record<string, ProposalMemory> = memory ? { [KEY]: memory } : {};
  const stateSaved = await saveProposalState(ports.state, stateKey, loaded, { version: 1, proposals: next });
  return { action, ...(proposal ? { proposal } : {}), stateSaved };
}
