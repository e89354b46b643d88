// A pull request that changes files, through the git data API (no clone), as
// octokit-plugin-create-pull-request does: base ref → blobs → tree → commit → branch ref → PR.
// Idempotent: the head branch is consul-gitops' own and always holds exactly one commit on top of
// the base; when it already does with the same tree nothing is committed, and an open pull
// request for the branch is updated (title, body, labels) rather than opened again.
import { createHash } from 'node:crypto';
import type { Octokit } from 'octokit';
import { GitHubError, isNotFound } from './errors.ts';
import type { FileChangePullRequest, FileChangePullRequestRequest, PullRequestOpener, RepoRef } from '../../app/ports/github.ts';
import { ConsulGitopsError } from '../../errors.ts';

/** The files already read as requested on the base branch: there is nothing to propose. */
export class NoChangesError extends ConsulGitopsError {
  constructor(message: string) {
    super('no-changes', message);
    this.name = 'NoChangesError';
  }
}

const PREFIX = '[consul-gitops pull request]';

/** Git's id of a blob holding `text` (sha1 of `blob <bytes>\0<bytes>`). */
function blobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function validate(req: FileChangePullRequestRequest): void {
  if (!req.branch || !req.base) throw new ConsulGitopsError('internal', `${PREFIX} "branch" and "base" are required`);
  if (req.branch === req.base) throw new ConsulGitopsError('internal', `${PREFIX} "branch" cannot be the same as "base" (${req.base})`);
  if (req.files.length === 0) throw new ConsulGitopsError('internal', `${PREFIX} no files to change`);
  for (const f of req.files)
    if (!f.path || f.path.startsWith('/') || f.path.split('/').includes('..'))
      throw new ConsulGitopsError('internal', `${PREFIX} invalid path ${JSON.stringify(f.path)}`);
  if (!req.title.trim()) throw new ConsulGitopsError('internal', `${PREFIX} "title" is required`);
}

export class GitHubPullRequestOpener implements PullRequestOpener {
  constructor(private readonly octokit: Octokit) {}

  async ensureFileChangePullRequest(req: FileChangePullRequestRequest): Promise<FileChangePullRequest> {
    validate(req);
    const repo = { owner: req.owner, repo: req.repo };
    const baseSha = await this.refSha(repo, req.base);
    if (!baseSha)
      throw new GitHubError({
        kind: 'not-found',
        message: `base branch ${req.base} does not exist`,
        method: 'GET',
        path: `/repos/${req.owner}/${req.repo}/git/ref/heads/${req.base}`,
      });
    const baseTree = await this.treeOf(repo, baseSha);
    await this.checkMadeFrom(repo, baseTree, req);
    const tree = await this.createTree(repo, baseTree, req);
    if (tree === baseTree) throw new NoChangesError(`${PREFIX} the files on ${req.base} already have this content`);

    const headSha = await this.ensureBranch(repo, req, baseSha, tree);
    return this.ensurePullRequest(repo, req, headSha);
  }

  private async refSha(repo: RepoRef, branch: string): Promise<string | undefined> {
    try {
      // https://docs.github.com/en/rest/git/refs#get-a-reference (octokit sends `heads%2F<branch>`)
      const { data } = await this.octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Each file given with `madeFrom` must be on the base as the change was made from it: a proposal
   * made from a checkout behind the base would otherwise undo, in its whole-file content, what the
   * base changed since. Compared by git blob id first, so an unchanged file costs no blob read.
   */
  private async checkMadeFrom(repo: RepoRef, baseTree: string, req: FileChangePullRequestRequest): Promise<void> {
    for (const f of req.files) {
      if (f.madeFrom === undefined) continue;
      const entry = await this.entryAt(repo, baseTree, f.path);
      if (
        f.madeFrom === null ? entry === undefined : entry !== undefined && (entry === blobId(f.madeFrom) || (await this.blobText(repo, entry)) === f.madeFrom)
      )
        continue;
      const how = f.madeFrom === null ? 'it exists there now' : entry === undefined ? 'it is gone there' : 'it changed since';
      throw new ConsulGitopsError(
        'base-changed',
        `${f.path} on ${req.base} is not the file this proposal was made from (${how}): update the checkout (git pull) and run again`,
      );
    }
  }

  /** The blob id of `path` in a tree, walking one directory at a time; undefined when there is no such file. */
  private async entryAt(repo: RepoRef, tree: string, path: string): Promise<string | undefined> {
    const parts = path.split('/');
    let sha = tree;
    for (const [i, part] of parts.entries()) {
      // https://docs.github.com/en/rest/git/trees#get-a-tree
      const { data } = await this.octokit.rest.git.getTree({ ...repo, tree_sha: sha });
      const e = data.tree.find((x) => x.path === part);
      const last = i === parts.length - 1;
      if (!e?.sha || e.type !== (last ? 'blob' : 'tree')) return undefined;
      sha = e.sha;
    }
    return sha;
  }

  private async blobText(repo: RepoRef, sha: string): Promise<string> {
    // https://docs.github.com/en/rest/git/blobs#get-a-blob
    const { data } = await this.octokit.rest.git.getBlob({ ...repo, file_sha: sha });
    return Buffer.from(data.content, 'base64').toString('utf8');
  }

  private async treeOf(repo: RepoRef, commitSha: string): Promise<string> {
    // https://docs.github.com/en/rest/git/commits#get-a-commit-object
    const { data } = await this.octokit.rest.git.getCommit({ ...repo, commit_sha: commitSha });
    return data.tree.sha;
  }

  private async createTree(repo: RepoRef, baseTree: string, req: FileChangePullRequestRequest): Promise<string> {
    const entries = [];
    for (const f of req.files) {
      if (f.content === null) {
        entries.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: null });
        continue;
      }
      // https://docs.github.com/en/rest/git/blobs#create-a-blob (base64: any UTF-8 content round-trips)
      const { data } = await this.octokit.rest.git.createBlob({ ...repo, content: Buffer.from(f.content, 'utf8').toString('base64'), encoding: 'base64' });
      entries.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: data.sha });
    }
    // https://docs.github.com/en/rest/git/trees#create-a-tree
    const { data } = await this.octokit.rest.git.createTree({ ...repo, base_tree: baseTree, tree: entries });
    return data.sha;
  }

  /** The branch holds one commit with `tree` on top of `baseSha`, reusing the one already there. */
  private async ensureBranch(repo: RepoRef, req: FileChangePullRequestRequest, baseSha: string, tree: string): Promise<string> {
    const current = await this.refSha(repo, req.branch);
    if (current) {
      const { data: head } = await this.octokit.rest.git.getCommit({ ...repo, commit_sha: current });
      if (head.tree.sha === tree && head.parents.length === 1 && head.parents[0].sha === baseSha) return current;
    }
    // https://docs.github.com/en/rest/git/commits#create-a-commit
    const { data: commit } = await this.octokit.rest.git.createCommit({ ...repo, message: req.message ?? req.title, tree, parents: [baseSha] });
    if (!current) {
      try {
        // https://docs.github.com/en/rest/git/refs#create-a-reference
        await this.octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${req.branch}`, sha: commit.sha });
        return commit.sha;
      } catch (e) {
        if ((e as { status?: number }).status !== 422) throw e;
        // Created meanwhile by a concurrent run: fall through and move it.
      }
    }
    // https://docs.github.com/en/rest/git/refs#update-a-reference
    await this.octokit.rest.git.updateRef({ ...repo, ref: `heads/${req.branch}`, sha: commit.sha, force: true });
    return commit.sha;
  }

  private async findOpen(repo: RepoRef, req: FileChangePullRequestRequest) {
    // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
    const { data } = await this.octokit.rest.pulls.list({ ...repo, state: 'open', head: `${req.owner}:${req.branch}`, base: req.base, per_page: 10 });
    return data[0];
  }

  private async ensurePullRequest(repo: RepoRef, req: FileChangePullRequestRequest, headSha: string): Promise<FileChangePullRequest> {
    let pr = await this.findOpen(repo, req);
    if (pr) {
      if (pr.title !== req.title || (pr.body ?? '') !== req.body)
        await this.octokit.rest.pulls.update({ ...repo, pull_number: pr.number, title: req.title, body: req.body });
    } else {
      try {
        // https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
        const { data } = await this.octokit.rest.pulls.create({ ...repo, base: req.base, head: req.branch, title: req.title, body: req.body });
        await this.addLabels(repo, data.number, data.labels, req.labels);
        return { number: data.number, url: data.html_url, created: true, headSha };
      } catch (e) {
        if ((e as { status?: number }).status !== 422) throw e;
        pr = await this.findOpen(repo, req); // opened meanwhile by a concurrent run
        if (!pr) throw e;
      }
    }
    await this.addLabels(repo, pr.number, pr.labels, req.labels);
    return { number: pr.number, url: pr.html_url, created: false, headSha };
  }

  private async addLabels(repo: RepoRef, number: number, present: readonly { name?: string }[], wanted: readonly string[] = []): Promise<void> {
    const have = new Set(present.map((l) => l.name));
    const missing = wanted.filter((l) => !have.has(l));
    // https://docs.github.com/en/rest/issues/labels#add-labels-to-an-issue
    if (missing.length) await this.octokit.rest.issues.addLabels({ ...repo, issue_number: number, labels: missing });
  }
}
