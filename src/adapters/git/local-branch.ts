// `advise --write-branch`: a proposal's commit as a local branch in the repository holding the
// directory, built with plumbing (hash-object, a temporary index, write-tree, commit-tree,
// update-ref with the old value) so the working tree, the index and the current branch are never
// touched. Running it again updates the same branch: no new commit for the same tree on the same base;
// a branch whose last commit someone else made is left alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BranchWriteResult, ProposalBranchWriter, ProposalCommit } from '../../app/ports/proposal-branches.ts';
import { runGit } from './run-git.ts';
import { ConsulGitopsError } from '../../errors.ts';

export interface LocalBranchOptions {
  /** The proposals' directory (`--dir`): change paths are relative to it. */
  dir: string;
  /** Base ref; default: the default branch (origin/HEAD, else main, else master, else the current branch). */
  baseRef?: string;
  author?: { name: string; email: string };
}

export const DEFAULT_AUTHOR = { name: 'consul-gitops', email: 'consul-gitops@users.noreply.github.com' };

const ZERO = '0'.repeat(40);

class GitFailure extends ConsulGitopsError {
  constructor(message: string) {
    super('git', message);
  }
}

export class LocalBranchWriter implements ProposalBranchWriter {
  /** Commands run from the repository's top level, so every path below is repository-relative. */
  private top = '';

  constructor(private readonly options: LocalBranchOptions) {}

  private async git(
    args: string[],
    extra: { env?: NodeJS.ProcessEnv; input?: string; allowFail?: boolean; raw?: boolean; cwd?: string } = {},
  ): Promise<string> {
    // No inherited GIT_DIR / GIT_INDEX_FILE / GIT_WORK_TREE: only the repository of `dir` is read.
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra.env };
    for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE']) delete env[k];
    if (!extra.env?.GIT_INDEX_FILE) delete env.GIT_INDEX_FILE;
    const run = await runGit(args, { cwd: extra.cwd ?? this.top, env, ...(extra.input !== undefined ? { input: extra.input } : {}) });
    if (run.code !== 0 && !extra.allowFail) throw new GitFailure(`git ${args[0]} failed: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    if (run.code !== 0) return '';
    return extra.raw ? run.stdout : run.stdout.trim();
  }

  async write(commit: ProposalCommit): Promise<BranchWriteResult> {
    const { branch } = commit;
    try {
      const prefix = await this.git(['rev-parse', '--show-prefix'], { cwd: this.options.dir });
      this.top = await this.git(['rev-parse', '--show-toplevel'], { cwd: this.options.dir });
      if ((await this.git(['check-ref-format', '--branch', branch], { allowFail: true })) !== branch)
        return { ok: false, branch, reason: `"${branch}" is not a valid branch name` };
      const ref = `refs/heads/${branch}`;
      if ((await this.git(['symbolic-ref', '-q', 'HEAD'], { allowFail: true })) === ref)
        return { ok: false, branch, reason: `${branch} is the checked-out branch; switch to another branch first` };
      const base = await this.baseCommit();
      const existing = (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFail: true })) || undefined;
      const author = this.options.author ?? DEFAULT_AUTHOR;
      // A branch someone committed to (on top of the proposal, or amended or rebased it) holds their
      // work: update-ref would drop it from the branch. Left alone, and said so.
      if (existing) {
        const who = await this.git(['log', '-1', '--format=%ae%x00%ce%x00%an', existing]);
        const [authorEmail, committerEmail, authorName] = who.split('\0');
        if (authorEmail !== author.email || committerEmail !== author.email)
          return {
            ok: false,
            kept: true,
            branch,
            reason: `left alone: its last commit ${existing.slice(0, 12)} (by ${authorName || 'someone else'}) was not made by consul-gitops, so rewriting the branch would lose it; merge or move that work, then delete the branch (git branch -D ${branch}) for a fresh proposal`,
          };
      }
      const tree = await this.treeFor(base, prefix, commit);
      if (typeof tree !== 'string') return { ok: false, branch, reason: tree.reason };
      if (existing) {
        const [oldTree, oldParent] = await Promise.all([
          this.git(['rev-parse', `${existing}^{tree}`]),
          this.git(['rev-parse', '--verify', '--quiet', `${existing}^1`], { allowFail: true }),
        ]);
        if (oldTree === tree && oldParent === base) return { ok: true, branch, commit: existing, outcome: 'unchanged' };
      }
      const identity = { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email };
      const sha = await this.git(['commit-tree', '--no-gpg-sign', tree, '-p', base, '-F', '-'], {
        env: identity,
        input: commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`,
      });
      // The old value makes the update fail if someone moved the branch meanwhile.
      await this.git(['update-ref', '-m', 'consul-gitops: proposal', ref, sha, existing ?? ZERO]);
      return { ok: true, branch, commit: sha, outcome: existing ? 'updated' : 'created' };
    } catch (e) {
      if (e instanceof GitFailure) return { ok: false, branch, reason: e.message };
      throw e;
    }
  }

  private async baseCommit(): Promise<string> {
    const candidates = this.options.baseRef
      ? [this.options.baseRef]
      : [
          (await this.git(['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'], { allowFail: true })) || 'refs/remotes/origin/HEAD',
          'refs/heads/main',
          'refs/heads/master',
          'HEAD',
        ];
    for (const c of candidates) {
      const sha = await this.git(['rev-parse', '--verify', '--quiet', `${c}^{commit}`], { allowFail: true });
      if (sha) return sha;
    }
    throw new GitFailure(`cannot find the base ${this.options.baseRef ?? 'branch (origin/HEAD, main, master)'}`);
  }

  /** The base's tree with the changes, written through a temporary index; or why not. */
  private async treeFor(base: string, prefix: string, commit: ProposalCommit): Promise<string | { reason: string }> {
    const tmp = await mkdtemp(join(tmpdir(), 'consul-gitops-index-'));
    const env = { GIT_INDEX_FILE: join(tmp, 'index') };
    try {
      await this.git(['read-tree', base], { env });
      for (const change of commit.changes) {
        const path = safePath(prefix, change.path);
        if (!path) return { reason: `refusing the path "${change.path}": it leaves the directory` };
        const listed = (await this.git(['ls-tree', '-z', base, '--', path])).replace(/\0$/, '');
        const [meta] = listed.split('\t');
        const [mode, type, blob] = meta ? meta.split(' ') : [];
        if (change.before === undefined ? listed !== '' : type !== 'blob' || (await this.git(['cat-file', 'blob', blob], { raw: true })) !== change.before)
          return { reason: `${path} on the base differs from the file the proposal was made from; run again on an up-to-date checkout` };
        const sha = await this.git(['hash-object', '-w', '--no-filters', '--stdin'], { input: change.after });
        await this.git(['update-index', '--add', '--cacheinfo', `${mode && type === 'blob' ? mode : '100644'},${sha},${path}`], { env });
      }
      return await this.git(['write-tree'], { env });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
}

/** Repository path of a change, or undefined when it would escape the directory or touch .git. */
function safePath(prefix: string, path: string): string | undefined {
  const parts = path.split('/');
  if (path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')) return undefined;
  return prefix + path;
}
