// Which pull requests a commit merged: declared by the saved-plan review, implemented by src/adapters/github.

/** A pull request merged as a commit (GitHub: list pull requests associated with a commit). */
export interface MergedPullRequest {
  number: number;
  /** The head commit at merge time: the one whose plan was reviewed. */
  headSha: string;
}

/** The port: which pull requests a commit on the branch merged. */
export interface MergedPullRequests {
  mergedAs(ref: { owner: string; repo: string; sha: string }): Promise<MergedPullRequest[]>;
}
