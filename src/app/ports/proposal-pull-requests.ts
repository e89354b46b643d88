// The ports the proposal lifecycle declares: the pull requests on the Git host (GitHub), and the
// posture dashboard issue. src/adapters/github/ implements them; tests use the GitHub double.
import type { FileChange } from '../../core/proposals/proposal.ts';

export interface ProposalPullRequest {
  number: number;
  url: string;
  /** `merged` is closed with the change merged: the story ends there. */
  state: 'open' | 'closed' | 'merged';
  branch: string;
  title: string;
  body: string;
  /** ms since the epoch. */
  closedAt?: number;
  /** The branch's head commit: one consul-gitops did not push means someone edited the branch. */
  headSha?: string;
}

export interface ProposalRequest {
  branch: string;
  title: string;
  body: string;
  labels: readonly string[];
  /** Repository-relative paths (as the tree was read); `after` is the new content. */
  changes: readonly FileChange[];
  /** The commit message (title, blank line, a short summary). */
  message: string;
}

export interface ProposalPullRequests {
  /** Open pull requests whose head branch starts with `branchPrefix`: one listing per run. */
  listOpen(branchPrefix: string): Promise<ProposalPullRequest[]>;
  /**
   * Which of `paths` open pull requests change (their files, paged), PR numbers and branches per
   * path. Bounded: the `maxPulls` newest open PRs only; `unchecked` says how many were left out.
   */
  openPullFiles(paths: ReadonlySet<string>, maxPulls: number): Promise<OpenPullFiles>;
  /** One pull request (to learn how an open one we knew of ended: closed or merged). */
  get(number: number): Promise<ProposalPullRequest | undefined>;
  /**
   * The branch holds one commit with the changes on top of the default branch, and an open pull
   * request for it carries the title, body and labels. Creates what is missing (a branch a human
   * deleted is recreated); an existing pull request is found again rather than duplicated.
   */
  ensure(request: ProposalRequest): Promise<{ number: number; url: string; created: boolean; headSha?: string }>;
  /** Title and body only (fresh evidence, same change): no commit. */
  updateText(number: number, title: string, body: string): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  /** Closes it and deletes its branch (ours; a branch already gone is fine); `keepBranch`: someone else's commits are on it. */
  close(number: number, branch: string, options?: { keepBranch?: boolean }): Promise<void>;
}

export interface PostureIssue {
  /** One issue per target found by its marker, updated in place; `open: false` closes it. */
  upsert(target: string, title: string, body: string, open: boolean): Promise<{ number: number; url?: string } | undefined>;
}

export interface OpenPullFiles {
  changedBy: Map<string, Array<{ number: number; branch: string }>>;
  /** Open PRs whose files were not read (over the bound). */
  unchecked: number;
}
