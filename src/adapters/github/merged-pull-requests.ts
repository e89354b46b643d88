// Which pull request a commit on the branch merged, from GitHub's "list pull requests associated
// with a commit" (https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit):
// it finds merge, squash and rebase merges alike, where a commit message would not.
import type { Octokit } from 'octokit';
import type { MergedPullRequest, MergedPullRequests } from '../../app/ports/merged-pull-requests.ts';

export class GitHubMergedPullRequests implements MergedPullRequests {
  constructor(private readonly octokit: Octokit) {}

  async mergedAs(ref: { owner: string; repo: string; sha: string }): Promise<MergedPullRequest[]> {
    const res = await this.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: ref.owner, repo: ref.repo, commit_sha: ref.sha, per_page: 100 });
    // The list also holds open pull requests whose branch contains the commit: only the merge itself counts.
    return res.data.filter((p) => p.merged_at && p.merge_commit_sha === ref.sha).map((p) => ({ number: p.number, headSha: p.head.sha }));
  }
}
