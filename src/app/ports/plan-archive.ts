// The port for keeping a full plan where a pull request's reviewers can read it, when the PR comment
// cannot hold it (GitHub's 65,536-character comment limit): the reconcile use case stores it and
// links it from the comment and from the commit status's Details; adapters/plans implements it.

export interface ArchivedPlan {
  /** The consul-gitops target the plan was made for. */
  target: string;
  /** The commit the plan was made at. */
  commit: string;
  /** The whole plan as plain text (already redacted: sensitive values read `(sensitive value)`). */
  text: string;
}

export interface PlanArchive {
  /** Keeps the plan and returns a link a reviewer's browser can open without credentials. */
  store(plan: ArchivedPlan): Promise<string>;
}
