// Results back to GitHub: commit statuses, one plan comment per pull request edited in place on
// every push (as Atlantis does), and one drift issue kept up to date and closed when drift is gone.
// Our comments and issues are found again by a hidden marker, `<!-- consul-gitops:<marker> -->`,
// as Renovate finds its own (`ensureComment`, `ensureIssue`).
import type { Octokit } from 'octokit';
import {
  RUN_START_STATUSES,
  type CommitRef,
  type CommitState,
  type HeadStatus,
  type RepoRef,
  type ResultReporter,
  type RunStart,
} from '../../app/ports/github.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { knownSecrets } from '../../known-secrets.ts';
import { escapeControl } from '../../model/terminal-text.ts';

export interface GitHubReporterOptions {
  /** Names the status context `consul-gitops/<target>` (a datacenter or partition). */
  target: string;
  /** Label of drift issues (default `consul-gitops-drift`); open issues are searched by it. */
  driftLabel?: string;
}

/** GitHub's limit on a commit status description. */
export const STATUS_DESCRIPTION_MAX = 140;
/** GitHub's limit on an issue or comment body. */
export const BODY_MAX = 65_536;
export const DEFAULT_DRIFT_LABEL = 'consul-gitops-drift';

export function markerComment(marker: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/.test(marker))
    throw new ConsulGitopsError('internal', `invalid marker ${JSON.stringify(marker)}: letters, digits and . _ : / @ - only`);
  return `<!-- consul-gitops:${marker} -->`;
}

/**
 * One line of at most `max` UTF-16 units, never splitting a character, ending in `…` when cut. Known
 * secrets are masked before the cut: one cut through a secret would leave its start unmasked.
 * Control characters and bidirectional marks (an entry name's U+202E) are shown escaped, `\u202e`,
 * as the terminal and the Markdown reports show them: raw, they would reorder the text around them.
 * (A status is plain text: GitHub neither mentions nor links in it.)
 */
export function truncateDescription(text: string, max = STATUS_DESCRIPTION_MAX): string {
  const line = escapeControl(knownSecrets.mask(text).replace(/\s+/g, ' ').trim());
  if (line.length <= max) return line;
  let out = '';
  for (const ch of line) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/** Marker first, then the Markdown (known secrets masked before the cut), cut to GitHub's body limit with a note. */
export function bodyWithMarker(text: string, marker: string): string {
  const markdown = knownSecrets.mask(text);
  const head = `${markerComment(marker)}\n`;
  const body = head + markdown;
  if (body.length <= BODY_MAX) return body;
  const note = '\n\n…(cut: the full text is longer than GitHub allows in one comment)';
  return head + markdown.slice(0, BODY_MAX - head.length - note.length) + note;
}

export class GitHubReporter implements ResultReporter {
  private readonly target: string;
  private readonly driftLabel: string;

  constructor(
    private readonly octokit: Octokit,
    options: GitHubReporterOptions,
  ) {
    if (!options.target) throw new ConsulGitopsError('internal', 'GitHubReporter needs a target name for the status context');
    this.target = options.target;
    this.driftLabel = options.driftLabel ?? DEFAULT_DRIFT_LABEL;
  }

  get context(): string {
    return `consul-gitops/${this.target}`;
  }

  async commitStatus(ref: CommitRef, state: CommitState, description: string, targetUrl?: string): Promise<void> {
    // https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
    await this.octokit.rest.repos.createCommitStatus({
      owner: ref.owner,
      repo: ref.repo,
      sha: ref.sha,
      state,
      context: this.context,
      description: truncateDescription(description),
      ...(targetUrl ? { target_url: targetUrl } : {}),
    });
  }

  async headStatus(ref: RepoRef, branch: string): Promise<HeadStatus | undefined> {
    // One request gives both: the commit the branch names now, and the latest status per context.
    // https://docs.github.com/en/rest/commits/statuses#get-the-combined-status-for-a-specific-reference
    let data;
    try {
      // One try: this runs while serve starts, and a failure is logged and left to the next push, not retried for seconds.
      ({ data } = await this.octokit.rest.repos.getCombinedStatusForRef({
        owner: ref.owner,
        repo: ref.repo,
        ref: branch,
        per_page: 100,
        request: { retries: 0 },
      }));
    } catch (error) {
      // A branch with no commit yet: GitHub answers 404 (no such ref), 409 (the repository is empty)
      // or 422 (no commit found for the ref). Nothing can be owed on it; any other failure is one.
      const status = (error as { status?: unknown } | null)?.status;
      if (status === 404 || status === 409 || status === 422) return undefined;
      throw error;
    }
    const ours = data.statuses.find((s) => s.context === this.context);
    return {
      sha: data.sha,
      ...(ours ? { state: ours.state as CommitState } : {}),
      ...(ours?.description ? { description: ours.description } : {}),
    };
  }

  async runStart(ref: RepoRef, sha: string, known?: RunStart): Promise<RunStart> {
    // https://docs.github.com/en/rest/commits/statuses#list-commit-statuses-for-a-reference (newest
    // first, 100 a page at most). A commit with many targets' and checks' statuses, or retries, can
    // have the start on a later page: pages are read until it is found, up to RUN_START_STATUSES, or
    // until the newest status an earlier ask read (`known`): what lies past it was read then, and a
    // drift check asking every tick about the same head spends one request, not ten.
    const pages = this.octokit.paginate.iterator(this.octokit.rest.repos.listCommitStatusesForRef, {
      owner: ref.owner,
      repo: ref.repo,
      ref: sha,
      per_page: 100,
    });
    let newest: number | undefined;
    let read = 0;
    for await (const { data, headers } of pages) {
      for (const s of data) {
        newest ??= s.id;
        if (known?.newest !== undefined && s.id === known.newest) return { ...known, newest };
        if (s.context === this.context && s.state === 'pending') return { kind: 'found', description: s.description ?? '', newest };
      }
      read += data.length;
      // Stopped before the next page's request: GitHub keeps up to 1,000 statuses per context, and
      // every drift check would read them all again.
      if (read >= RUN_START_STATUSES && /rel="next"/.test(headers.link ?? '')) return { kind: 'unknown', ...(newest !== undefined ? { newest } : {}) };
    }
    return { kind: 'none', ...(newest !== undefined ? { newest } : {}) };
  }

  async upsertPullRequestComment(ref: RepoRef, prNumber: number, markdown: string, marker: string): Promise<{ id: number; created: boolean }> {
    const tag = markerComment(marker);
    const body = bodyWithMarker(markdown, marker);
    // https://docs.github.com/en/rest/issues/comments#list-issue-comments (oldest first)
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      owner: ref.owner,
      repo: ref.repo,
      issue_number: prNumber,
      per_page: 100,
    });
    const existing = comments.find((c) => c.body?.includes(tag));
    if (existing) {
      if (existing.body !== body) await this.octokit.rest.issues.updateComment({ owner: ref.owner, repo: ref.repo, comment_id: existing.id, body });
      return { id: existing.id, created: false };
    }
    const { data } = await this.octokit.rest.issues.createComment({ owner: ref.owner, repo: ref.repo, issue_number: prNumber, body });
    return { id: data.id, created: true };
  }

  async upsertIssue(ref: RepoRef, title: string, markdown: string, marker: string, open: boolean): Promise<{ number: number; created: boolean } | undefined> {
    const tag = markerComment(marker);
    const body = bodyWithMarker(markdown, marker);
    // https://docs.github.com/en/rest/issues/issues#list-repository-issues (pull requests come too: skipped)
    const candidates = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      owner: ref.owner,
      repo: ref.repo,
      state: 'open',
      labels: this.driftLabel,
      per_page: 100,
    });
    const existing = candidates.find((i) => !i.pull_request && i.body?.includes(tag));
    if (!existing) {
      if (!open) return undefined;
      const { data } = await this.octokit.rest.issues.create({ owner: ref.owner, repo: ref.repo, title, body, labels: [this.driftLabel] });
      return { number: data.number, created: true };
    }
    const changed = existing.title !== title || existing.body !== body;
    if (changed || !open)
      await this.octokit.rest.issues.update({
        owner: ref.owner,
        repo: ref.repo,
        issue_number: existing.number,
        title,
        body,
        ...(open ? {} : { state: 'closed' as const, state_reason: 'completed' as const }),
      });
    return { number: existing.number, created: false };
  }
}
