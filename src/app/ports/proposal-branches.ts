// The ports the proposal use cases declare: where a verified proposal goes when there is no GitHub
// (a local git branch, `advise --write-branch`). Adapters implement them; the core never sees git.
import type { FileChange } from '../../core/proposals/proposal.ts';

export interface ProposalCommit {
  /** `consul-gitops/strict/<partition>/<namespace>/<service>` (see strictBranchName in src/core/proposals/branch-name.ts). */
  branch: string;
  /** The PR title, a blank line, the PR body: what a reviewer reads in `git log`. */
  message: string;
  /** Paths relative to the proposals' directory (`--dir`), as the tree was read. */
  changes: readonly FileChange[];
}

export type BranchWriteResult =
  | { ok: true; branch: string; commit: string; outcome: 'created' | 'updated' | 'unchanged' }
  /** `kept`: the branch holds someone else's commits and was left as it is (a refusal, not a failure). */
  | { ok: false; branch: string; reason: string; kept?: true };

export interface ProposalBranchWriter {
  /**
   * Creates or updates the branch with one commit on top of the base, without touching the working
   * tree, the index or the current branch. Same tree on the same base: no new commit. A branch
   * whose tip someone else committed is never overwritten.
   */
  write(commit: ProposalCommit): Promise<BranchWriteResult>;
}
