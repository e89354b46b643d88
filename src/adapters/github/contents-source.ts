// Desired state straight from GitHub at one commit, without a clone: the commit (for its tree and
// committer time), ONE recursive tree listing, then the config-entry files under the directory.
// Blobs are immutable and addressed by SHA, so an in-memory cache keyed by blob SHA makes a later
// run fetch only the files that changed: a few of them one blob request each, more than a few (a
// cold start, a large push) the whole commit in ONE archive request (archive-source.ts). A tree too
// large for one listing (`truncated: true`) is read again from the directory's own subtree.
// https://docs.github.com/en/rest/git/trees#get-a-tree
import type { Octokit } from 'octokit';
import { formatOfPath, type SourceFile } from '../../core/parse-files.ts';
import { DEFAULT_READ_LIMITS, formatByteSize, formatLimit, type ReadLimits } from '../../config/byte-size.ts';
import { GitHubError } from './errors.ts';
import { escapeControl } from '../../model/errors.ts';
import type { CommitOrder, CommitRef, DesiredState, DesiredStateSource, RepoRef } from '../../app/ports/github.ts';
import { readArchive, type WantedBlob } from './archive-source.ts';
import { notUtf8Message, utf8Text } from '../../formats/utf8.ts';

export interface GitHubTreeSourceOptions {
  /** Budget of the blob cache in bytes of text (default 32 MiB); least recently used blobs go first. */
  cacheMaxBytes?: number;
  /** Blob requests in flight at once (default 8). */
  concurrency?: number;
  /** Which files under the directory are fetched (default: config-entry extensions .hcl/.json/.yaml/.yml). */
  include?: (path: string) => boolean;
  /** A directory absent at the commit is an error (default) or an empty tree. */
  missingDir?: 'error' | 'empty';
  /** Size limits, judged from the sizes in the tree listing before any blob is fetched (default 1 MiB per file, 64 MiB per tree). */
  limits?: ReadLimits;
  /**
   * More files than this missing from the cache are read from the repository archive in one request
   * rather than one blob request each (default 3: a read never spends more than 2 + 3 requests, or
   * 3 plus the archive's redirect). `Infinity` turns the archive off.
   */
  archiveAbove?: number;
  /** The most bytes a repository archive may hold once decompressed (default 256 MiB); a larger one is read blob by blob. */
  archiveMaxBytes?: number;
  /**
   * Told why the archive was not used, or which of its files were not taken: an operator whose reads
   * cost one request per file learns why (logged at info by serve and the Lambda).
   */
  onArchiveSkipped?: (skip: ArchiveSkip) => void;
}

export interface ArchiveSkip {
  commit: string;
  /** Why the archive was not used at all. */
  reason?: string;
  /** Files of the archive not taken, each with why. */
  files?: string[];
  /** How many files are then read one blob request each. */
  blobRequests: number;
}

/** A URL's query (GitHub's archive redirect carries a short-lived `?token=`) never goes into a log. */
const withoutQueries = (text: string) => text.replace(/(https?:\/\/[^\s?#]+)[?#]\S*/g, '$1?…');

/** How the last read got its files: for tests and benchmarks. */
export interface ReadStats {
  cached: number;
  fromArchive: number;
  blobRequests: number;
  /** Why the archive was not used although many files were missing (too large, failed, refused as not the commit's). */
  archiveSkipped?: string;
  /** Files of the archive not taken, each with why (its bytes are not the commit's blob): read as blobs. */
  archiveFilesSkipped?: string[];
}

interface TreeItem {
  path: string;
  mode: string;
  type: string;
  sha: string;
  /** Blob size in bytes, as the tree listing gives it. */
  size?: number;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;

/** Headroom of the archive's bound over twice the listing's estimate: the pax global header and the end-of-archive blocks. */
const ARCHIVE_SLACK_BYTES = 1024 * 1024;

/** Least-recently-used cache of decoded blob text, keyed by blob SHA. */
export class BlobCache {
  private readonly items = new Map<string, string>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  /** Whether the blob is cached, without counting a hit or a miss or refreshing it. */
  peek(sha: string): boolean {
    return this.items.has(sha);
  }

  get(sha: string): string | undefined {
    const text = this.items.get(sha);
    if (text === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.items.delete(sha);
    this.items.set(sha, text);
    return text;
  }

  set(sha: string, text: string): void {
    const size = text.length * 2;
    if (size > this.maxBytes || this.items.has(sha)) return;
    this.items.set(sha, text);
    this.bytes += size;
    for (const [old, oldText] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(old);
      this.bytes -= oldText.length * 2;
    }
  }

  get size(): number {
    return this.items.size;
  }
}

export class GitHubTreeSource implements DesiredStateSource {
  readonly cache: BlobCache;
  private readonly concurrency: number;
  private readonly include: (path: string) => boolean;
  private readonly missingDir: 'error' | 'empty';
  private readonly limits: ReadLimits;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly archiveAbove: number;
  private readonly archiveMaxBytes: number;
  lastRead: ReadStats = { cached: 0, fromArchive: 0, blobRequests: 0 };

  constructor(
    private readonly octokit: Octokit,
    options: GitHubTreeSourceOptions = {},
  ) {
    this.cache = new BlobCache(options.cacheMaxBytes ?? 32 * 1024 * 1024);
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.include = options.include ?? ((p) => formatOfPath(p) !== undefined);
    this.missingDir = options.missingDir ?? 'error';
    this.limits = options.limits ?? DEFAULT_READ_LIMITS;
    this.archiveAbove = options.archiveAbove ?? 3;
    this.archiveMaxBytes = options.archiveMaxBytes ?? 256 * 1024 * 1024;
    this.onArchiveSkipped = options.onArchiveSkipped;
  }

  private readonly onArchiveSkipped: GitHubTreeSourceOptions['onArchiveSkipped'];

  async read(ref: CommitRef, dir: string): Promise<DesiredState> {
    const prefix = normalizeDir(dir);
    // A full SHA pins both requests to the same content, so they can run at once; a branch name
    // is resolved to a commit first so the tree cannot come from a later push.
    const [commit, root] = FULL_SHA.test(ref.sha)
      ? await Promise.all([this.commit(ref), this.tree(ref, ref.sha, true)])
      : await this.commit(ref).then(async (c) => [c, await this.tree(ref, c.treeSha, true)] as const);

    const listed = root.truncated
      ? await this.listTruncated(ref, root, prefix)
      : { items: root.tree, found: prefix === '' || root.tree.some((e) => e.path === prefix && e.type === 'tree') };
    if (!listed.found) {
      if (this.missingDir === 'error')
        throw new GitHubError({
          kind: 'not-found',
          message: `directory ${prefix}/ does not exist at commit ${commit.sha.slice(0, 12)}`,
          method: 'GET',
          path: `/repos/${ref.owner}/${ref.repo}/git/trees/${commit.treeSha}`,
        });
      return { revision: commit.sha, files: [], ignored: [], ...(commit.time ? { commitTime: commit.time } : {}) };
    }

    this.checkPaths(ref, commit.treeSha, listed.items);
    const under = listed.items.filter((e) => e.type !== 'tree' && (prefix === '' || e.path.startsWith(`${prefix}/`)));
    const wanted = under.filter((e) => e.type === 'blob' && e.mode !== '120000' && this.include(e.path));
    const wantedSet = new Set(wanted);
    const ignored = under.filter((e) => !wantedSet.has(e)).map((e) => e.path);
    this.checkSizes(ref, commit.treeSha, wanted);
    const archived = await this.fromArchive({ ...ref, sha: commit.sha }, wanted, root);
    const files = await mapBounded(wanted, this.concurrency, async (e): Promise<SourceFile> => ({
      path: e.path,
      text: archived.get(e.path) ?? (await this.blob(ref, e.sha, e.path)),
    }));
    this.lastRead.blobRequests = wanted.length - this.lastRead.cached - this.lastRead.fromArchive;
    const { archiveSkipped, archiveFilesSkipped } = this.lastRead;
    if (this.onArchiveSkipped && (archiveSkipped || archiveFilesSkipped?.length))
      this.onArchiveSkipped({
        commit: ref.sha,
        ...(archiveSkipped ? { reason: withoutQueries(archiveSkipped) } : {}),
        ...(archiveFilesSkipped?.length ? { files: archiveFilesSkipped.slice(0, 20).map(withoutQueries) } : {}),
        blobRequests: this.lastRead.blobRequests,
      });
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { revision: commit.sha, files, ignored: ignored.sort(), ...(commit.time ? { commitTime: commit.time } : {}) };
  }

  /**
   * How `head` stands to `base` in the repository's history: GitHub's compare status (`ahead`: head
   * has base in its history). One request, made only when two commits cannot be ordered by time.
   * https://docs.github.com/en/rest/commits/commits#compare-two-commits
   */
  async order(repo: RepoRef, base: string, head: string): Promise<CommitOrder> {
    const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
      owner: repo.owner,
      repo: repo.repo,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    if (data.status === 'ahead' || data.status === 'behind' || data.status === 'identical' || data.status === 'diverged') return data.status;
    throw new GitHubError({
      kind: 'protocol',
      message: `compare ${base.slice(0, 12)}...${head.slice(0, 12)} answered status ${JSON.stringify(data.status)}`,
      method: 'GET',
      path: `/repos/${repo.owner}/${repo.repo}/compare/${base}...${head}`,
    });
  }

  /**
   * The wanted files missing from the cache, from the repository archive when there are more than a
   * few of them and the whole repository (as the listing sizes it) fits the archive bound. Files the
   * archive did not give (or an archive that failed) are left to the blob requests.
   */
  private async fromArchive(ref: CommitRef, wanted: readonly TreeItem[], root: { tree: TreeItem[]; truncated: boolean }): Promise<Map<string, string>> {
    const missing = new Map<string, WantedBlob>();
    let cached = 0;
    for (const e of wanted) {
      if (this.cache.peek(e.sha)) cached++;
      else missing.set(e.path, { sha: e.sha, size: e.size ?? 0 });
    }
    this.lastRead = { cached, fromArchive: 0, blobRequests: 0 };
    if (missing.size <= this.archiveAbove) return new Map();
    // Sizes of every blob of the repository plus a 512-byte tar header each: what the archive will hold.
    const estimate = root.truncated ? 0 : root.tree.reduce((n, e) => n + (e.type === 'blob' ? (e.size ?? 0) + 512 : 512), 0);
    if (estimate > this.archiveMaxBytes) {
      this.lastRead.archiveSkipped = `the repository (${formatByteSize(estimate)}) is over the ${formatLimit(this.archiveMaxBytes)} archive limit`;
      return new Map();
    }
    // The archive is bounded by what the listing says it holds, not only by the absolute limit: a
    // gzip bomb stops soon after the size the repository really has. Twice the estimate leaves room
    // for what `git archive` legitimately adds (eol=crlf conversion, long-name headers, padding).
    const bound = estimate ? Math.min(this.archiveMaxBytes, 2 * estimate + ARCHIVE_SLACK_BYTES) : this.archiveMaxBytes;
    const note =
      bound < this.archiveMaxBytes
        ? `, twice what the tree listing sizes the repository at (${formatByteSize(estimate)}) plus ${formatByteSize(ARCHIVE_SLACK_BYTES)}`
        : '';
    const read = await readArchive(this.octokit, ref, missing, bound, note);
    if (!read.ok) {
      this.lastRead.archiveSkipped = read.reason;
      return new Map();
    }
    if (read.skipped.length) this.lastRead.archiveFilesSkipped = read.skipped;
    for (const [path, text] of read.files) this.cache.set(missing.get(path)!.sha, text);
    this.lastRead.fromArchive = read.files.size;
    return read.files;
  }

  /**
   * git never stores an empty, `.`, `..` or `.git` name (git fsck: fsck_tree, "hasDot"/"hasDotdot"/
   * "hasDotgit"), so a listing holding one comes from a hostile or broken server: `dir/../x` would
   * otherwise pass for a file under `dir/`. The whole commit is refused, before any blob is read.
   */
  private checkPaths(ref: CommitRef, treeSha: string, items: readonly TreeItem[]): void {
    for (const e of items) {
      if (e.path.split('/').some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git'))
        throw new GitHubError({
          kind: 'validation',
          message: `tree entry ${escapeControl(JSON.stringify(e.path))} is not a path git stores; the commit is refused`,
          method: 'GET',
          path: `/repos/${ref.owner}/${ref.repo}/git/trees/${treeSha}`,
        });
    }
  }

  /** Refuses the commit before fetching a blob when a file or the whole tree is over the limits. */
  private checkSizes(ref: CommitRef, treeSha: string, wanted: readonly TreeItem[]): void {
    const refuse = (message: string) => {
      throw new GitHubError({ kind: 'validation', message, method: 'GET', path: `/repos/${ref.owner}/${ref.repo}/git/trees/${treeSha}` });
    };
    let total = 0;
    for (const e of wanted) {
      const size = e.size ?? 0;
      if (size > this.limits.maxFileBytes)
        refuse(`${e.path}: the file is ${formatByteSize(size)}, over the ${formatLimit(this.limits.maxFileBytes)} limit per file`);
      total += size;
    }
    if (total > this.limits.maxTreeBytes)
      refuse(`the config-entry files total ${formatByteSize(total)}, over the ${formatLimit(this.limits.maxTreeBytes)} limit for the whole tree`);
  }

  private async commit(ref: CommitRef): Promise<{ sha: string; treeSha: string; time?: string }> {
    if (FULL_SHA.test(ref.sha)) {
      // The git data endpoint: no diff computed, unlike GET /repos/{o}/{r}/commits/{ref}.
      // https://docs.github.com/en/rest/git/commits#get-a-commit-object
      const { data } = await this.octokit.rest.git.getCommit({ owner: ref.owner, repo: ref.repo, commit_sha: ref.sha });
      return { sha: data.sha, treeSha: data.tree.sha, ...(data.committer?.date ? { time: data.committer.date } : {}) };
    }
    // https://docs.github.com/en/rest/commits/commits#get-a-commit
    const { data } = await this.octokit.rest.repos.getCommit({ owner: ref.owner, repo: ref.repo, ref: ref.sha, per_page: 1 });
    const time = data.commit.committer?.date;
    return { sha: data.sha, treeSha: data.commit.tree.sha, ...(time ? { time } : {}) };
  }

  private async tree(ref: CommitRef, sha: string, recursive: boolean): Promise<{ sha: string; tree: TreeItem[]; truncated: boolean }> {
    const { data } = await this.octokit.rest.git.getTree({ owner: ref.owner, repo: ref.repo, tree_sha: sha, ...(recursive ? { recursive: '1' } : {}) });
    const tree: TreeItem[] = [];
    for (const e of data.tree)
      if (e.path && e.sha && e.type)
        tree.push({ path: e.path, mode: e.mode ?? '100644', type: e.type, sha: e.sha, ...(typeof e.size === 'number' ? { size: e.size } : {}) });
    return { sha: data.sha, tree, truncated: data.truncated === true };
  }

  /** The recursive listing was cut: find the directory's subtree and list it on its own. */
  private async listTruncated(ref: CommitRef, root: { sha: string; tree: TreeItem[] }, prefix: string): Promise<{ items: TreeItem[]; found: boolean }> {
    let subtree: string | undefined = prefix === '' ? root.sha : root.tree.find((e) => e.path === prefix && e.type === 'tree')?.sha;
    if (!subtree) {
      subtree = root.sha;
      for (const segment of prefix.split('/')) {
        const level = await this.tree(ref, subtree, false);
        subtree = level.tree.find((e) => e.path === segment && e.type === 'tree')?.sha;
        if (!subtree) return { items: [], found: false };
      }
    }
    return { items: await this.listSubtree(ref, subtree, prefix), found: true };
  }

  private async listSubtree(ref: CommitRef, sha: string, prefix: string): Promise<TreeItem[]> {
    const join = (p: string) => (prefix ? `${prefix}/${p}` : p);
    const full = await this.tree(ref, sha, true);
    if (!full.truncated) return full.tree.map((e) => ({ ...e, path: join(e.path) }));
    // Still too large: one level at a time.
    const level = await this.tree(ref, sha, false);
    const items = level.tree.map((e) => ({ ...e, path: join(e.path) }));
    const nested = await mapBounded(
      items.filter((e) => e.type === 'tree'),
      this.concurrency,
      (e) => this.listSubtree(ref, e.sha, e.path),
    );
    return [...items, ...nested.flat()];
  }

  private blob(ref: CommitRef, sha: string, path: string): Promise<string> {
    const cached = this.cache.get(sha);
    if (cached !== undefined) return Promise.resolve(cached);
    // Two files with the same content share a blob: fetch it once.
    let pending = this.inflight.get(sha);
    if (!pending) {
      pending = this.fetchBlob(ref, sha, path).finally(() => this.inflight.delete(sha));
      this.inflight.set(sha, pending);
    }
    return pending;
  }

  private async fetchBlob(ref: CommitRef, sha: string, path: string): Promise<string> {
    // https://docs.github.com/en/rest/git/blobs#get-a-blob
    const { data } = await this.octokit.rest.git.getBlob({ owner: ref.owner, repo: ref.repo, file_sha: sha });
    const bytes = data.encoding === 'base64' ? Buffer.from(data.content, 'base64') : Buffer.from(data.content, 'utf8');
    // The listing gave the size; the blob itself is checked too, in case the listing left it out.
    if (bytes.length > this.limits.maxFileBytes)
      throw new GitHubError({
        kind: 'validation',
        message: `blob ${sha.slice(0, 12)} is ${formatByteSize(bytes.length)}, over the ${formatLimit(this.limits.maxFileBytes)} limit per file`,
        method: 'GET',
        path: `/repos/${ref.owner}/${ref.repo}/git/blobs/${sha}`,
      });
    const decoded = utf8Text(bytes);
    if (!decoded.ok)
      throw new GitHubError({
        kind: 'validation',
        message: `${escapeControl(path)}: ${notUtf8Message(decoded)}`,
        method: 'GET',
        path: `/repos/${ref.owner}/${ref.repo}/git/blobs/${sha}`,
      });
    this.cache.set(sha, decoded.text);
    return decoded.text;
  }
}

function normalizeDir(dir: string): string {
  return dir
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '')
    .replace(/^\.$/, '');
}

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}
