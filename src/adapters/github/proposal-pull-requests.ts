// The proposal lifecycle's ports on GitHub: our pull requests (found by head branch in our own
// repository, never a fork's branch of the same name), opened and updated through
// GitHubPullRequestOpener, commented on, closed with their branch deleted; and the posture
// dashboard issue through GitHubReporter's marker-found issue.
import type { Octokit } from 'octokit';
import type { OpenPullFiles, PostureIssue, ProposalPullRequest, ProposalPullRequests, ProposalRequest } from '../../app/ports/proposal-pull-requests.ts';
import { isNotFound } from './errors.ts';
import { GitHubPullRequestOpener } from './pull-requests.ts';
import { GitHubReporter } from './reporter.ts';
import type { RepoRef } from '../../app/ports/github.ts';

interface PullJson {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  merged_at?: string | null;
  closed_at?: string | null;
  head: { ref: string; label?: string; sha?: string };
}

export class GitHubProposalPullRequests implements ProposalPullRequests {
  private readonly opener: GitHubPullRequestOpener;

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    /** The branch proposals are based on and target: the repository's default branch. */
    readonly base: string,
  ) {
    this.opener = new GitHubPullRequestOpener(octokit);
  }

  /** Reads the repository's default branch (https://docs.github.com/en/rest/repos/repos#get-a-repository). */
  static async forDefaultBranch(octokit: Octokit, repo: RepoRef): Promise<GitHubProposalPullRequests> {
    const { data } = await octokit.rest.repos.get({ ...repo });
    return new GitHubProposalPullRequests(octokit, repo, data.default_branch);
  }

  private toProposal(p: PullJson): ProposalPullRequest {
    const state = p.merged_at ? 'merged' : p.state === 'open' ? 'open' : 'closed';
    const closedAt = p.closed_at ? Date.parse(p.closed_at) : undefined;
    return {
      number: p.number,
      url: p.html_url,
      state,
      branch: p.head.ref,
      title: p.title,
      body: p.body ?? '',
      ...(closedAt !== undefined && !Number.isNaN(closedAt) ? { closedAt } : {}),
      ...(p.head.sha ? { headSha: p.head.sha } : {}),
    };
  }

  async listOpen(branchPrefix: string): Promise<ProposalPullRequest[]> {
    // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests (one paged listing per run)
    const pulls = (await this.octokit.paginate(this.octokit.rest.pulls.list, { ...this.repo, state: 'open', base: this.base, per_page: 100 })) as PullJson[];
    // A fork's branch of the same name is someone else's PR: its label is `<fork owner>:<branch>`.
    return pulls.filter((p) => p.head.ref.startsWith(branchPrefix) && p.head.label === `${this.repo.owner}:${p.head.ref}`).map((p) => this.toProposal(p));
  }

  async openPullFiles(paths: ReadonlySet<string>, maxPulls: number): Promise<OpenPullFiles> {
    const changedBy: OpenPullFiles['changedBy'] = new Map();
    if (paths.size === 0) return { changedBy, unchecked: 0 };
    // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests (newest first)
    const pulls = (await this.octokit.paginate(this.octokit.rest.pulls.list, { ...this.repo, state: 'open', base: this.base, per_page: 100 })) as PullJson[];
    const checked = pulls.slice(0, maxPulls);
    for (const p of checked) {
      // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files (paged; GitHub stops at 3000 files)
      const files = (await this.octokit.paginate(this.octokit.rest.pulls.listFiles, { ...this.repo, pull_number: p.number, per_page: 100 })) as Array<{
        filename: string;
        previous_filename?: string;
      }>;
      for (const f of files)
        for (const path of [f.filename, f.previous_filename])
          if (path && paths.has(path)) changedBy.set(path, [...(changedBy.get(path) ?? []), { number: p.number, branch: p.head.ref }]);
    }
    return { changedBy, unchecked: pulls.length - checked.length };
  }

  async get(number: number): Promise<ProposalPullRequest | undefined> {
    try {
      // https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
      const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
      return this.toProposal(data);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async ensure(request: ProposalRequest): Promise<{ number: number; url: string; created: boolean; headSha?: string }> {
    const made = await this.opener.ensureFileChangePullRequest({
      ...this.repo,
      base: this.base,
      branch: request.branch,
      title: request.title,
      body: request.body,
      labels: [...request.labels],
      message: request.message,
      files: request.changes.map((c) => ({ path: c.path, content: c.after, madeFrom: c.before ?? null })),
    });
    return { number: made.number, url: made.url, created: made.created, ...(made.headSha ? { headSha: made.headSha } : {}) };
  }

  async updateText(number: number, title: string, body: string): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.repo, pull_number: number, title, body });
  }

  async comment(number: number, body: string): Promise<void> {
    // https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
    await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: number, body });
  }

  async close(number: number, branch: string, options: { keepBranch?: boolean } = {}): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.repo, pull_number: number, state: 'closed' });
    if (options.keepBranch) return;
    try {
      // https://docs.github.com/en/rest/git/refs#delete-a-reference (422 when it is already gone)
      await this.octokit.rest.git.deleteRef({ ...this.repo, ref: `heads/${branch}` });
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status !== 422 && status !== 404) throw e;
    }
  }
}

export const POSTURE_LABEL = 'consul-gitops-posture';

/** The `mTLS posture: <target>` issue, found by its marker among issues labelled consul-gitops-posture. */
export class GitHubPostureIssue implements PostureIssue {
  private readonly reporters = new Map<string, GitHubReporter>();

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  async upsert(target: string, title: string, body: string, open: boolean): Promise<{ number: number } | undefined> {
    let reporter = this.reporters.get(target);
    if (!reporter) this.reporters.set(target, (reporter = new GitHubReporter(this.octokit, { target, driftLabel: POSTURE_LABEL })));
    const got = await reporter.upsertIssue(this.repo, title, body, `posture/${target}`, open);
    return got ? { number: got.number } : undefined;
  }
}
