// The ports the use cases declare for GitHub: where desired state is read from, where results are
// reported, and how file changes are proposed. src/adapters/github implements each (octokit); tests
// use a loopback GitHub double.
import type { SourceFile } from '../../core/parse-files.ts';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface CommitRef extends RepoRef {
  /** A commit SHA (a branch name also resolves, but only a SHA pins the content). */
  sha: string;
}

export interface DesiredState {
  /** The commit SHA the files were read at. */
  revision: string;
  /** Config-entry files under the directory, repository-relative (`config-entries/mesh.hcl`), sorted by path. */
  files: SourceFile[];
  /** Committer date (ISO 8601) of the commit, for the stale-commit rule. */
  commitTime?: string;
  /** Other files under the directory (README.md, symlinks, submodules): listed, not fetched. */
  ignored?: string[];
}

/** How `head` stands to `base` in git's history (GitHub's compare `status`). */
export type CommitOrder = 'ahead' | 'behind' | 'identical' | 'diverged';
/** A CommitOrder, or `{ unknown }` saying why the history cannot be asked here (no repository, a commit missing). */
export type CommitOrderAnswer = CommitOrder | { unknown: string };

export interface DesiredStateSource {
  read(ref: CommitRef, dir: string): Promise<DesiredState>;
  /** Git's order of two commits, for the stale-commit rule when their committer times are equal. */
  order?(repo: RepoRef, base: string, head: string): Promise<CommitOrder>;
}

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface ResultReporter {
  /** A commit status with context `consul-gitops/<target>`; the description is cut to GitHub's 140 characters. */
  commitStatus(ref: CommitRef, state: CommitState, description: string, targetUrl?: string): Promise<void>;
  /** One comment per pull request and marker, edited in place on later runs. */
  upsertPullRequestComment(ref: RepoRef, prNumber: number, markdown: string, marker: string): Promise<{ id: number; created: boolean }>;
  /**
   * One open issue per marker. `open: true` creates or updates it; `open: false` updates and closes it
   * when there is one, and returns undefined when there is none.
   */
  upsertIssue(ref: RepoRef, title: string, markdown: string, marker: string, open: boolean): Promise<{ number: number; created: boolean } | undefined>;
  /** A branch's head commit and the latest status of this reporter's context on it (none: no run reported on it). */
  /** The branch's head and our latest status on it; undefined when the branch has no commit yet. */
  headStatus?(ref: RepoRef, branch: string): Promise<HeadStatus | undefined>;
  /**
   * This reporter's latest `pending` status on a commit (how the run that ended there began), read
   * newest first up to RUN_START_STATUSES statuses. `known`: the answer of an earlier ask about the
   * same commit; statuses up to its `newest` are not read again, and it holds when nothing newer
   * is a start.
   */
  runStart?(ref: RepoRef, sha: string, known?: RunStart): Promise<RunStart>;
}

/** At most this many statuses of a commit are read for a run's start (GitHub lists 100 a page: 10 requests). */
export const RUN_START_STATUSES = 1000;

/**
 * What runStart found: `found`, the start's description; `none`, no start of ours among all the
 * commit's statuses; `unknown`, the commit has more than RUN_START_STATUSES statuses and none of
 * those read is a start. `newest`: the id of the newest status read (none on a commit with none).
 */
export type RunStart = { newest?: number } & ({ kind: 'found'; description: string } | { kind: 'none' } | { kind: 'unknown' });

export interface HeadStatus {
  sha: string;
  state?: CommitState;
  description?: string;
}

export interface FileChange {
  /** Repository-relative path. */
  path: string;
  /** New UTF-8 content; null deletes the file. */
  content: string | null;
  /**
   * The text the content was made from (null: the file did not exist). When set, the base branch
   * must still hold it: a content made from an older copy would undo what changed since.
   */
  madeFrom?: string | null;
}

export interface FileChangePullRequestRequest extends RepoRef {
  /** Branch the pull request targets (`main`). */
  base: string;
  /** Head branch consul-gitops owns (`consul-gitops/strict-api`); force-updated to one commit on top of base. */
  branch: string;
  title: string;
  body: string;
  files: FileChange[];
  labels?: string[];
  /** Commit message (defaults to the title). */
  message?: string;
}

export interface FileChangePullRequest {
  number: number;
  url: string;
  /** True when this call opened the pull request; false when an open one was found and updated. */
  created: boolean;
  /** The head commit of the branch after this call. */
  headSha: string;
}

export interface PullRequestOpener {
  ensureFileChangePullRequest(request: FileChangePullRequestRequest): Promise<FileChangePullRequest>;
}
