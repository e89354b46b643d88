// A loopback GitHub REST API double (node:http on 127.0.0.1:0) holding one in-memory repository:
// git objects with real SHA-1 ids (blobs, trees, commits), refs, commit statuses, issues, issue
// comments, pull requests and labels. It serves exactly the endpoints src/adapters/github/ uses,
// records every request, decodes `%2F` in refs (`git/ref/heads%2Fmain`), pages lists with a Link
// header as GitHub does, and truncates recursive tree listings past `treeEntryLimit` entries.
// The server is unref'd and close() drops open keep-alive sockets, so a forgotten double never
// holds the test process open. The repository archive (`GET .../tarball/{ref}`) answers as GitHub
// does: a 302 to a codeload URL (here `/_codeload/...` on the same server) serving the tar.gz.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';

export interface RecordedRequest {
  method: string;
  /** Decoded path without the query string: `/repos/acme/mesh/git/ref/heads/main`. */
  path: string;
  /** The path as sent (still encoded): `/repos/acme/mesh/git/ref/heads%2Fmain`. */
  rawPath: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface StatusRecord {
  sha: string;
  state: string;
  context: string;
  description: string | undefined;
  target_url: string | undefined;
}

export interface CommentRecord {
  id: number;
  issue_number: number;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface IssueRecord {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  created_at: string;
}

export interface PullRecord {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  head: string;
  /** The owner of the head branch's repository when it is a fork (its label is `<headOwner>:<head>`). */
  headOwner?: string;
  base: string;
  labels: string[];
  /** Set when the pull request is closed (by PATCH, a deleted head branch, or a test as a human). */
  closed_at?: string;
  /** Set when a test merges it (`mergePullRequest`); GitHub's `merged_at`. */
  merged_at?: string;
  /** The commit the merge made on the base branch; GitHub's `merge_commit_sha`. */
  merge_commit_sha?: string;
  /** The head commit when merged: GitHub keeps `head.sha` after the branch is gone. */
  mergedHeadSha?: string;
}

export interface InjectedFailure {
  method?: string;
  path: RegExp;
  status: number;
  body?: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface GitHubDoubleOptions {
  owner?: string;
  repo?: string;
  /** When set, requests must carry `Authorization: token <token>` (or bearer, or an issued installation token). */
  token?: string;
  /** Recursive tree listings longer than this are cut and marked `truncated: true` (GitHub: 100,000 entries). */
  treeEntryLimit?: number;
  defaultBranch?: string;
}

export interface GitHubDouble {
  url: string;
  owner: string;
  repo: string;
  requests: RecordedRequest[];
  statuses: StatusRecord[];
  /** Requests no endpoint of the double serves; tests assert it stays empty. */
  unexpected: string[];
  comments: CommentRecord[];
  /** Issues only (pull requests are in `pulls`, though they share the number space as on GitHub). */
  issues: IssueRecord[];
  pulls: PullRecord[];
  labels: Set<string>;
  treeEntryLimit: number;
  /** The origin Link headers name (a test of a page link to another host); the double's own when unset. */
  pageLinkBase?: string;
  /**
   * A server paging wrongly: the page each `next` Link names, from the page just answered (`(n) => n`:
   * itself). Only the first 20 such links are sent, so a client that follows them ends, and fails its test, instead of hanging.
   */
  pageLinkNext?: (page: number) => number;
  /** Tokens issued by `POST /app/installations/{id}/access_tokens`. */
  installationTokens: string[];
  /** A commit whose tree holds exactly `files`, on top of the branch head; moves the branch. */
  /** Files as text, or as bytes (a Buffer) for content that is not UTF-8. */
  addCommit(files: Record<string, string | Buffer>, message?: string, options?: { branch?: string; date?: string }): string;
  /** An open pull request from a new branch `head` (one commit adding `files`) into the default branch. */
  addPullRequest(init: { head: string; title?: string; body?: string; files?: Record<string, string> }): number;
  /** An open pull request from a fork's branch (which lives in the fork: no ref here). */
  addForkPullRequest(init: { headOwner: string; head: string; title?: string; body?: string }): number;
  refSha(branch: string): string | undefined;
  /** Files of a commit (or branch) as path → text. */
  filesAt(commitOrBranch: string): Record<string, string>;
  commitOf(sha: string): { tree: string; parents: string[]; message: string; date: string } | undefined;
  /** A human closes (or merges) a pull request on GitHub; merging moves the base to the head's tree. */
  closePullRequest(n: number, options?: { merge?: boolean }): void;
  /** A human deletes a branch (GitHub closes open pull requests from it). */
  deleteBranch(branch: string): void;
  /** Requests whose method matches and whose decoded path matches `path`. */
  count(method: string, path: RegExp): number;
  fail(failure: InjectedFailure): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface TreeEntry {
  name: string;
  mode: string; // '100644' | '100755' | '120000' | '040000' | '160000'
  sha: string;
}
interface Commit {
  tree: string;
  parents: string[];
  message: string;
  date: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GitHub's limit on an issue, pull request or comment body, in characters. */
const BODY_LIMIT = 65_536;
const TREE_MODE = '040000';

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'mesh-config';
  const defaultBranch = options.defaultBranch ?? 'main';
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, TreeEntry[]>();
  const commits = new Map<string, Commit>();
  const refs = new Map<string, string>(); // 'refs/heads/main' → commit sha
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const statuses: StatusRecord[] = [];
  const comments: CommentRecord[] = [];
  const issues: IssueRecord[] = [];
  const pulls: PullRecord[] = [];
  const labels = new Set<string>();
  const failures: InjectedFailure[] = [];
  const installationTokens: string[] = [];
  let nextNumber = 1;
  let nextCommentId = 1000;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');

  // --- git objects -------------------------------------------------------------------------
  const hashObject = (type: string, body: Buffer) =>
    createHash('sha1')
      .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
      .digest('hex');

  function putBlob(content: Buffer): string {
    const sha = hashObject('blob', content);
    blobs.set(sha, content);
    return sha;
  }

  function putTree(entries: TreeEntry[]): string {
    const sortKey = (e: TreeEntry) => (e.mode === TREE_MODE ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    const body = Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode === TREE_MODE ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]));
    const sha = hashObject('tree', body);
    trees.set(sha, sorted);
    return sha;
  }

  function putCommit(c: Commit): string {
    const when = `${Math.floor(Date.parse(c.date) / 1000)} +0000`;
    const text = [
      `tree ${c.tree}`,
      ...c.parents.map((p) => `parent ${p}`),
      `author Double <double@example.com> ${when}`,
      `committer Double <double@example.com> ${when}`,
      '',
      c.message,
    ].join('\n');
    const sha = hashObject('commit', Buffer.from(text));
    commits.set(sha, c);
    return sha;
  }

  /** path → {mode, sha} for every blob under a tree. */
  function flatten(treeSha: string, prefix = '', out = new Map<string, { mode: string; sha: string }>()) {
    for (const e of trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.mode === TREE_MODE) flatten(e.sha, path, out);
      else out.set(path, { mode: e.mode, sha: e.sha });
    }
    return out;
  }

  function buildTree(files: Map<string, { mode: string; sha: string }>): string {
    const direct: TreeEntry[] = [];
    const sub = new Map<string, Map<string, { mode: string; sha: string }>>();
    for (const [path, f] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) direct.push({ name: path, ...f });
      else {
        const dir = path.slice(0, slash);
        if (!sub.has(dir)) sub.set(dir, new Map());
        sub.get(dir)!.set(path.slice(slash + 1), f);
      }
    }
    for (const [dir, inner] of sub) direct.push({ name: dir, mode: TREE_MODE, sha: buildTree(inner) });
    return putTree(direct);
  }

  /** Depth-first listing in git's order: a tree entry, then its children. */
  function listRecursive(treeSha: string, prefix: string, out: { path: string; mode: string; sha: string }[]) {
    for (const e of trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      out.push({ path, mode: e.mode, sha: e.sha });
      if (e.mode === TREE_MODE) listRecursive(e.sha, path, out);
    }
    return out;
  }

  function resolveCommit(refOrSha: string): string | undefined {
    if (commits.has(refOrSha)) return refOrSha;
    return refs.get(`refs/heads/${refOrSha}`) ?? refs.get(`refs/${refOrSha}`) ?? refs.get(`refs/tags/${refOrSha}`);
  }

  /** A commit's statuses as GitHub lists them, oldest first. */
  function statusesOf(sha: string): Record<string, unknown>[] {
    return statuses.flatMap((st, i) => (st.sha === sha ? [{ id: i + 1, ...st, description: st.description ?? null, target_url: st.target_url ?? null }] : []));
  }

  function closePull(p: PullRecord) {
    if (p.state === 'open') {
      p.state = 'closed';
      p.closed_at = now();
    }
  }

  function deleteRef(name: string) {
    refs.delete(name);
    for (const p of pulls) if (p.state === 'open' && `refs/heads/${p.head}` === name) closePull(p);
  }

  function isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(commits.get(s)?.parents ?? []));
    }
    return false;
  }

  function addCommit(files: Record<string, string | Buffer>, message = 'commit', opts: { branch?: string; date?: string } = {}): string {
    const branch = opts.branch ?? defaultBranch;
    const parent = refs.get(`refs/heads/${branch}`);
    const map = new Map(Object.entries(files).map(([p, text]) => [p, { mode: '100644', sha: putBlob(typeof text === 'string' ? Buffer.from(text) : text) }]));
    const sha = putCommit({ tree: buildTree(map), parents: parent ? [parent] : [], message, date: opts.date ?? now() });
    refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  // --- JSON shapes -------------------------------------------------------------------------
  let base = '';
  const repoUrl = () => `${base}/repos/${owner}/${repo}`;
  const htmlUrl = `https://github.example/${owner}/${repo}`;
  const labelJson = (name: string) => ({ name, color: 'ededed' });
  const issueJson = (i: IssueRecord) => ({
    id: i.number + 500_000,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map(labelJson),
    html_url: `${htmlUrl}/issues/${i.number}`,
    created_at: i.created_at,
  });
  const pullJson = (p: PullRecord) => ({
    id: p.number + 700_000,
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state,
    labels: p.labels.map(labelJson),
    html_url: `${htmlUrl}/pull/${p.number}`,
    head: { ref: p.head, sha: p.mergedHeadSha ?? (p.headOwner ? '' : (refs.get(`refs/heads/${p.head}`) ?? '')), label: `${p.headOwner ?? owner}:${p.head}` },
    base: { ref: p.base, sha: refs.get(`refs/heads/${p.base}`) ?? '', label: `${owner}:${p.base}` },
    closed_at: p.closed_at ?? null,
    merged_at: p.merged_at ?? null,
    merge_commit_sha: p.merge_commit_sha ?? null,
  });
  const pullAsIssueJson = (p: PullRecord) => ({ ...pullJson(p), pull_request: { url: `${repoUrl()}/pulls/${p.number}` } });
  const commentJson = (c: CommentRecord) => ({
    id: c.id,
    body: c.body,
    html_url: `${htmlUrl}/issues/${c.issue_number}#issuecomment-${c.id}`,
    issue_url: `${repoUrl()}/issues/${c.issue_number}`,
    user: { login: 'consul-gitops[bot]', type: 'Bot' },
    created_at: c.created_at,
    updated_at: c.updated_at,
  });
  const refJson = (name: string) => ({ ref: name, url: `${repoUrl()}/git/${name}`, object: { sha: refs.get(name)!, type: 'commit' } });
  const gitCommitJson = (sha: string) => {
    const c = commits.get(sha)!;
    const person = { name: 'Double', email: 'double@example.com', date: c.date };
    return { sha, message: c.message, tree: { sha: c.tree }, parents: c.parents.map((p) => ({ sha: p })), author: person, committer: person };
  };

  let wrongLinks = 0;
  function page<T>(items: T[], req: RequestContext): T[] {
    const perPage = Math.min(100, Number(req.query.per_page ?? 30) || 30);
    const n = Math.max(1, Number(req.query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    if (n < last) {
      const wrong = api.pageLinkNext && wrongLinks++ < 20 ? api.pageLinkNext(n) : undefined;
      // Naming itself: the very URL asked (its query as sent).
      const next =
        wrong === n ? new URLSearchParams(req.query) : new URLSearchParams({ ...req.query, page: String(wrong ?? n + 1), per_page: String(perPage) });
      const lastQ = new URLSearchParams({ ...req.query, page: String(last), per_page: String(perPage) });
      const linkBase = api.pageLinkBase ?? base;
      req.headers.link = `<${linkBase}${req.rawPath}?${next.toString()}>; rel="next", <${linkBase}${req.rawPath}?${lastQ.toString()}>; rel="last"`;
    }
    return items.slice((n - 1) * perPage, n * perPage);
  }

  // --- routes ------------------------------------------------------------------------------
  interface RequestContext {
    method: string;
    segments: string[];
    rawPath: string;
    query: Record<string, string>;
    body: any;
    authorization: string | undefined;
    /** Response headers the route adds (Link). */
    headers: Record<string, string>;
  }
  type Result = { status: number; body: unknown };

  const ok = (body: unknown, status = 200): Result => ({ status, body });
  const notFound = (): never => {
    throw new HttpError(404, 'Not Found');
  };
  const unprocessable = (message: string): never => {
    throw new HttpError(422, message);
  };
  /**
   * GitHub refuses an issue, pull request or comment body over 65,536 characters (422, "body is too
   * long"); counted in characters (code points), as GitHub counts them.
   */
  const bodyFits = (body: unknown): void => {
    if (typeof body !== 'string') return;
    let n = 0;
    for (const _ of body) if (++n > BODY_LIMIT) unprocessable(`Validation Failed: body is too long (maximum is ${BODY_LIMIT} characters)`);
  };

  function findIssueOrPull(n: number): IssueRecord | PullRecord {
    return issues.find((i) => i.number === n) ?? pulls.find((p) => p.number === n) ?? notFound();
  }

  function createTree(body: any): string {
    const files = body.base_tree ? (trees.has(body.base_tree) ? flatten(body.base_tree) : unprocessable('Invalid tree info')) : new Map();
    if (!Array.isArray(body.tree)) unprocessable('Invalid request: tree is required');
    for (const e of body.tree as any[]) {
      if (typeof e.path !== 'string' || e.path.startsWith('/') || e.path.endsWith('/')) unprocessable(`Invalid tree path ${e.path}`);
      if (e.sha === null) {
        files.delete(e.path);
        continue;
      }
      const sha = typeof e.content === 'string' ? putBlob(Buffer.from(e.content)) : e.sha;
      if (!blobs.has(sha)) unprocessable(`Invalid tree info: blob ${sha} not found`);
      files.set(e.path, { mode: e.mode ?? '100644', sha });
    }
    return buildTree(files);
  }

  function route(req: RequestContext): Result {
    const s = req.segments;
    const m = req.method;
    if (s[0] === 'app' && s[1] === 'installations' && s[3] === 'access_tokens' && m === 'POST') {
      if (!/^bearer /i.test(req.authorization ?? '')) throw new HttpError(401, 'A JSON web token could not be decoded');
      const token = `ghs_double${installationTokens.length}${'x'.repeat(20)}`;
      installationTokens.push(token);
      return ok({ token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' }, 201);
    }
    if (s[0] !== 'repos' || s[1] !== owner || s[2] !== repo) notFound();
    // https://docs.github.com/en/rest/repos/repos#get-a-repository
    if (s.length === 3 && m === 'GET')
      return ok({ id: 42, name: repo, full_name: `${owner}/${repo}`, owner: { login: owner }, default_branch: defaultBranch, html_url: htmlUrl });
    const [, , , area, a, b, c] = s;
    const rest = s.slice(5);

    if (area === 'git') {
      if (a === 'ref' && m === 'GET') {
        const name = `refs/${rest.join('/')}`;
        return refs.has(name) ? ok(refJson(name)) : notFound();
      }
      if (a === 'refs' && m === 'POST') {
        const name = String(req.body.ref ?? '');
        if (!/^refs\/.+/.test(name)) unprocessable('Reference name must start with refs/');
        if (!commits.has(req.body.sha)) unprocessable('Object does not exist');
        if (refs.has(name)) unprocessable('Reference already exists');
        refs.set(name, req.body.sha);
        return ok(refJson(name), 201);
      }
      if (a === 'refs' && m === 'PATCH') {
        const name = `refs/${rest.join('/')}`;
        const current = refs.get(name) ?? notFound();
        if (!commits.has(req.body.sha)) unprocessable('Object does not exist');
        if (!req.body.force && !isAncestor(current, req.body.sha)) unprocessable('Update is not a fast forward');
        refs.set(name, req.body.sha);
        return ok(refJson(name));
      }
      if (a === 'refs' && m === 'DELETE') {
        // https://docs.github.com/en/rest/git/refs#delete-a-reference (204; 422 when it does not exist)
        const name = `refs/${rest.join('/')}`;
        if (!refs.has(name)) unprocessable('Reference does not exist');
        deleteRef(name);
        return ok(undefined, 204);
      }
      if (a === 'trees' && m === 'GET' && b) {
        const commit = resolveCommit(b);
        const treeSha = commit ? commits.get(commit)!.tree : b;
        if (!trees.has(treeSha)) notFound();
        const recursive = req.query.recursive !== undefined && req.query.recursive !== '0' && req.query.recursive !== 'false';
        let entries = recursive ? listRecursive(treeSha, '', []) : trees.get(treeSha)!.map((e) => ({ path: e.name, mode: e.mode, sha: e.sha }));
        const truncated = recursive && entries.length > api.treeEntryLimit;
        if (truncated) entries = entries.slice(0, api.treeEntryLimit);
        return ok({
          sha: treeSha,
          url: `${repoUrl()}/git/trees/${treeSha}`,
          tree: entries.map((e) => ({
            ...e,
            type: e.mode === TREE_MODE ? 'tree' : e.mode === '160000' ? 'commit' : 'blob',
            ...(e.mode === TREE_MODE ? {} : { size: blobs.get(e.sha)?.length ?? 0 }),
            url: `${repoUrl()}/git/${e.mode === TREE_MODE ? 'trees' : 'blobs'}/${e.sha}`,
          })),
          truncated,
        });
      }
      if (a === 'trees' && m === 'POST' && !b) {
        const sha = createTree(req.body);
        return ok(
          {
            sha,
            url: `${repoUrl()}/git/trees/${sha}`,
            tree: trees.get(sha)!.map((e) => ({ path: e.name, mode: e.mode, sha: e.sha, type: e.mode === TREE_MODE ? 'tree' : 'blob' })),
            truncated: false,
          },
          201,
        );
      }
      if (a === 'blobs' && m === 'GET' && b) {
        const content = blobs.get(b) ?? notFound();
        const b64 = content.toString('base64').replace(/.{1,60}/g, '$&\n');
        return ok({ sha: b, size: content.length, url: `${repoUrl()}/git/blobs/${b}`, content: b64, encoding: 'base64' });
      }
      if (a === 'blobs' && m === 'POST' && !b) {
        const { content, encoding = 'utf-8' } = req.body;
        if (typeof content !== 'string') unprocessable('Invalid request: content is required');
        const sha = putBlob(encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8'));
        return ok({ sha, url: `${repoUrl()}/git/blobs/${sha}` }, 201);
      }
      if (a === 'commits' && m === 'GET' && b) return commits.has(b) ? ok(gitCommitJson(b)) : notFound();
      if (a === 'commits' && m === 'POST' && !b) {
        const { message, tree, parents = [] } = req.body;
        if (typeof message !== 'string' || !trees.has(tree)) unprocessable('Invalid request: tree and message are required');
        for (const p of parents) if (!commits.has(p)) unprocessable(`Parent ${p} does not exist`);
        const sha = putCommit({ tree, parents, message, date: now() });
        return ok(gitCommitJson(sha), 201);
      }
    }

    // https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit:
    // the pull request a commit merged, and open ones whose head is the commit.
    if (area === 'commits' && m === 'GET' && a && b === 'pulls' && !c) {
      const sha = resolveCommit(a) ?? unprocessable(`No commit found for SHA: ${a}`);
      return ok(pulls.filter((p) => p.merge_commit_sha === sha || (p.state === 'open' && refs.get(`refs/heads/${p.head}`) === sha)).map(pullJson));
    }
    // https://docs.github.com/en/rest/commits/statuses#list-commit-statuses-for-a-reference (newest first)
    if (area === 'commits' && m === 'GET' && a && b === 'statuses' && !c) {
      const sha = resolveCommit(a) ?? notFound();
      return ok(page(statusesOf(sha).reverse(), req));
    }
    // https://docs.github.com/en/rest/commits/statuses#get-the-combined-status-for-a-specific-reference:
    // the latest status per context, and a state combining them (failure over pending over success).
    if (area === 'commits' && m === 'GET' && a && b === 'status' && !c) {
      const sha = resolveCommit(a) ?? notFound();
      const latest = new Map<string, Record<string, unknown>>();
      for (const st of statusesOf(sha).reverse()) if (!latest.has(st.context as string)) latest.set(st.context as string, st);
      const states = [...latest.values()].map((st) => st.state);
      const state = states.some((x) => x === 'failure' || x === 'error')
        ? 'failure'
        : states.length === 0 || states.includes('pending')
          ? 'pending'
          : 'success';
      return ok({ state, sha, total_count: latest.size, statuses: [...latest.values()], repository: { full_name: `${owner}/${repo}` } });
    }
    if (area === 'commits' && m === 'GET' && a && !b) {
      const sha = resolveCommit(a) ?? unprocessable(`No commit found for SHA: ${a}`);
      const git = gitCommitJson(sha);
      return ok({
        sha,
        html_url: `${htmlUrl}/commit/${sha}`,
        commit: { message: git.message, tree: git.tree, author: git.author, committer: git.committer },
        parents: git.parents,
      });
    }

    // https://docs.github.com/en/rest/commits/commits#compare-two-commits: `status` is how head stands to base.
    if (area === 'compare' && m === 'GET' && a && !b) {
      const [baseRef, headRef] = a.split('...');
      const from = resolveCommit(baseRef ?? '') ?? notFound();
      const to = resolveCommit(headRef ?? '') ?? notFound();
      const status = from === to ? 'identical' : isAncestor(from, to) ? 'ahead' : isAncestor(to, from) ? 'behind' : 'diverged';
      return ok({ status, commits: [], files: [] });
    }

    if (area === 'statuses' && m === 'POST' && a) {
      if (!commits.has(a)) unprocessable(`No commit found for SHA: ${a}`);
      const { state, description, context = 'default', target_url } = req.body;
      if (!['pending', 'success', 'failure', 'error'].includes(state)) unprocessable(`Validation Failed: state ${state}`);
      if (typeof description === 'string' && description.length > 140) unprocessable('Validation Failed: description is too long (maximum is 140 characters)');
      const rec: StatusRecord = { sha: a, state, context, description, target_url };
      statuses.push(rec);
      return ok({ id: statuses.length, ...rec, created_at: now() }, 201);
    }

    if (area === 'issues') {
      if (!a && m === 'GET') {
        const state = req.query.state ?? 'open';
        const wanted = (req.query.labels ?? '').split(',').filter(Boolean);
        const all = [...issues.map((i) => ({ rec: i, json: issueJson(i) })), ...pulls.map((p) => ({ rec: p, json: pullAsIssueJson(p) }))];
        const matching = all
          .filter(({ rec }) => state === 'all' || rec.state === state)
          .filter(({ rec }) => wanted.every((l) => rec.labels.includes(l)))
          .sort((x, y) => y.rec.number - x.rec.number)
          .map(({ json }) => json);
        return ok(page(matching, req));
      }
      if (!a && m === 'POST') {
        const { title, body = '', labels: names = [] } = req.body;
        if (typeof title !== 'string' || !title) unprocessable('Validation Failed: title is missing');
        bodyFits(body);
        for (const l of names) labels.add(l);
        const issue: IssueRecord = { number: nextNumber++, title, body, state: 'open', labels: [...names], created_at: now() };
        issues.push(issue);
        return ok(issueJson(issue), 201);
      }
      if (a === 'comments' && b && m === 'PATCH') {
        const comment = comments.find((x) => x.id === Number(b)) ?? notFound();
        if (typeof req.body.body !== 'string') unprocessable('Validation Failed: body is missing');
        bodyFits(req.body.body);
        comment.body = req.body.body;
        comment.updated_at = now();
        return ok(commentJson(comment));
      }
      const n = Number(a);
      if (Number.isInteger(n) && !b && m === 'PATCH') {
        const item = findIssueOrPull(n);
        bodyFits(req.body.body);
        for (const k of ['title', 'body', 'state'] as const) if (req.body[k] !== undefined) (item as any)[k] = req.body[k];
        return ok('head' in item ? pullAsIssueJson(item) : issueJson(item));
      }
      if (Number.isInteger(n) && b === 'comments' && !c) {
        findIssueOrPull(n);
        if (m === 'GET') return ok(page(comments.filter((x) => x.issue_number === n).map(commentJson), req));
        if (m === 'POST') {
          if (typeof req.body.body !== 'string') unprocessable('Validation Failed: body is missing');
          bodyFits(req.body.body);
          const t = now();
          const comment: CommentRecord = { id: nextCommentId++, issue_number: n, body: req.body.body, created_at: t, updated_at: t };
          comments.push(comment);
          return ok(commentJson(comment), 201);
        }
      }
      if (Number.isInteger(n) && b === 'labels' && m === 'POST') {
        const item = findIssueOrPull(n);
        for (const l of req.body.labels ?? []) {
          labels.add(l);
          if (!item.labels.includes(l)) item.labels.push(l);
        }
        return ok(item.labels.map(labelJson));
      }
    }

    if (area === 'pulls') {
      if (!a && m === 'GET') {
        const state = req.query.state ?? 'open';
        const head = req.query.head;
        const matching = pulls
          .filter((p) => state === 'all' || p.state === state)
          .filter((p) => !head || `${p.headOwner ?? owner}:${p.head}` === head)
          .filter((p) => !req.query.base || p.base === req.query.base)
          .sort((x, y) => y.number - x.number);
        return ok(page(matching.map(pullJson), req));
      }
      if (!a && m === 'POST') {
        const { title, body = '', head, base: baseBranch } = req.body;
        bodyFits(body);
        const headName = String(head ?? '').replace(new RegExp(`^${owner}:`), '');
        if (!title || !refs.has(`refs/heads/${headName}`) || !refs.has(`refs/heads/${baseBranch}`)) unprocessable('Validation Failed: head or base invalid');
        if (pulls.some((p) => p.state === 'open' && !p.headOwner && p.head === headName && p.base === baseBranch))
          unprocessable(`Validation Failed: A pull request already exists for ${owner}:${headName}.`);
        if (refs.get(`refs/heads/${headName}`) === refs.get(`refs/heads/${baseBranch}`))
          unprocessable(`Validation Failed: No commits between ${baseBranch} and ${headName}`);
        const pr: PullRecord = { number: nextNumber++, title, body, state: 'open', head: headName, base: baseBranch, labels: [] };
        pulls.push(pr);
        return ok(pullJson(pr), 201);
      }
      // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files (paged; the head's
      // tree against the base's now; a fork's head lives elsewhere, so it lists nothing here).
      if (Number.isInteger(Number(a)) && b === 'files' && m === 'GET') {
        const pr = pulls.find((p) => p.number === Number(a)) ?? notFound();
        const headSha = pr.headOwner ? undefined : (pr.mergedHeadSha ?? resolveCommit(pr.head));
        const baseSha = resolveCommit(pr.base);
        const head = headSha ? flatten(commits.get(headSha)!.tree) : new Map<string, { sha: string }>();
        const baseFiles = baseSha ? flatten(commits.get(baseSha)!.tree) : new Map<string, { sha: string }>();
        const changed = [...new Set([...head.keys(), ...baseFiles.keys()])]
          .filter((f) => head.get(f)?.sha !== baseFiles.get(f)?.sha)
          .sort()
          .map((filename) => ({ filename, status: !baseFiles.has(filename) ? 'added' : !head.has(filename) ? 'removed' : 'modified' }));
        return ok(page(headSha ? changed : [], req));
      }
      const n = Number(a);
      // https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
      if (Number.isInteger(n) && !b && m === 'GET') return ok(pullJson(pulls.find((p) => p.number === n) ?? notFound()));
      if (Number.isInteger(n) && !b && m === 'PATCH') {
        const pr = pulls.find((p) => p.number === n) ?? notFound();
        bodyFits(req.body.body);
        for (const k of ['title', 'body'] as const) if (req.body[k] !== undefined) pr[k] = req.body[k];
        if (req.body.state === 'closed') closePull(pr);
        if (req.body.state === 'open' && pr.state === 'closed') {
          if (pr.merged_at) unprocessable('Validation Failed: state cannot be changed. The pull request cannot be reopened.');
          pr.state = 'open';
          pr.closed_at = undefined;
        }
        return ok(pullJson(pr));
      }
    }
    // No endpoint of the double matched: a request the product should not be making.
    unexpected.push(`${req.method} /${req.segments.join('/')}`);
    return notFound();
  }

  // --- server ------------------------------------------------------------------------------
  function authorized(header: string | undefined): boolean {
    if (!options.token) return true;
    const m = /^(?:token|bearer) (.+)$/i.exec(header ?? '');
    return !!m && (m[1] === options.token || installationTokens.includes(m[1]));
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = status === 204 ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
    res.end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://double.invalid');
    const rawSegments = url.pathname.split('/').filter(Boolean);
    const segments = rawSegments.map((x) => decodeURIComponent(x));
    // `heads%2Fmain` arrives as one segment: split decoded segments again so refs read the same either way.
    const flat = segments.flatMap((x) => x.split('/'));
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const rec: RecordedRequest = { method, path: `/${flat.join('/')}`, rawPath: url.pathname, query, body, authorization: req.headers.authorization };
    requests.push(rec);
    const isTokenExchange = flat[0] === 'app';
    if (!isTokenExchange && !authorized(req.headers.authorization))
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const failure = failures.find((f) => (!f.method || f.method === method) && f.path.test(rec.path));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      return send(res, failure.status, failure.body ?? { message: `injected failure ${failure.status}` });
    }
    if (method === 'GET' && serveArchive(res, flat)) return;
    const ctx: RequestContext = {
      method,
      segments: flat,
      rawPath: url.pathname,
      query,
      body: body ?? {},
      authorization: req.headers.authorization,
      headers: {},
    };
    try {
      const result = route(ctx);
      send(res, result.status, result.body, ctx.headers);
    } catch (e) {
      if (e instanceof HttpError) send(res, e.status, { message: e.message, documentation_url: 'https://docs.github.com/rest' });
      else send(res, 500, { message: `double: ${(e as Error).message}` });
    }
  }

  // --- repository archive ------------------------------------------------------------------
  /**
   * `GET /repos/{o}/{r}/tarball/{ref}` → 302 to `/_codeload/{o}/{r}/legacy.tar.gz/{sha}`, which
   * serves `git archive --format=tar.gz --prefix={o}-{r}-{sha7}/`: directories, regular files
   * (0644/0755), symbolic links (target = blob), submodules as empty directories, entries dated at
   * the commit. https://docs.github.com/en/rest/repos/contents#download-a-repository-archive-tar
   * True when the request was one of these (answered here).
   */
  function serveArchive(res: ServerResponse, s: string[]): boolean {
    if (s[0] === 'repos' && s[1] === owner && s[2] === repo && s[3] === 'tarball') {
      const sha = resolveCommit(s.slice(4).join('/'));
      if (!sha) send(res, 404, { message: 'Not Found' });
      else send(res, 302, undefined, { location: `${base}/_codeload/${owner}/${repo}/legacy.tar.gz/${sha}` });
      return true;
    }
    if (s[0] !== '_codeload') return false;
    const sha = s[4] ?? '';
    if (s[1] !== owner || s[2] !== repo || s[3] !== 'legacy.tar.gz' || !commits.has(sha)) {
      send(res, 404, { message: 'Not Found' });
      return true;
    }
    const commit = commits.get(sha)!;
    const mtime = new Date(commit.date);
    const prefix = `${owner}-${repo}-${sha.slice(0, 7)}/`;
    const tar = tarPack();
    res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${prefix.slice(0, -1)}.tar.gz` });
    tar.pipe(createGzip()).pipe(res);
    tar.entry({ name: prefix, type: 'directory', mode: 0o775, mtime });
    for (const e of listRecursive(commit.tree, '', [])) {
      const name = `${prefix}${e.path}`;
      if (e.mode === TREE_MODE || e.mode === '160000') tar.entry({ name: `${name}/`, type: 'directory', mode: 0o775, mtime });
      else if (e.mode === '120000') tar.entry({ name, type: 'symlink', linkname: blobs.get(e.sha)!.toString('utf8'), mode: 0o777, mtime });
      else tar.entry({ name, type: 'file', mode: e.mode === '100755' ? 0o775 : 0o664, mtime }, blobs.get(e.sha)!);
    }
    tar.finalize();
    return true;
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.unref();
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const sock of sockets) sock.destroy();
    }));

  const api: GitHubDouble = {
    url: base,
    owner,
    repo,
    requests,
    unexpected,
    statuses,
    comments,
    issues,
    pulls,
    labels,
    treeEntryLimit: options.treeEntryLimit ?? 100_000,
    installationTokens,
    addCommit,
    addPullRequest(init) {
      const head = init.head;
      const baseSha = refs.get(`refs/heads/${defaultBranch}`);
      const files = baseSha ? Object.fromEntries([...flatten(commits.get(baseSha)!.tree)].map(([p, f]) => [p, blobs.get(f.sha)!.toString('utf8')])) : {};
      if (baseSha) refs.set(`refs/heads/${head}`, baseSha);
      addCommit({ ...files, ...(init.files ?? { [`${head}.txt`]: head }) }, `change on ${head}`, { branch: head });
      const pr: PullRecord = { number: nextNumber++, title: init.title ?? head, body: init.body ?? '', state: 'open', head, base: defaultBranch, labels: [] };
      pulls.push(pr);
      return pr.number;
    },
    addForkPullRequest(init) {
      const pr: PullRecord = {
        number: nextNumber++,
        title: init.title ?? init.head,
        body: init.body ?? '',
        state: 'open',
        head: init.head,
        headOwner: init.headOwner,
        base: defaultBranch,
        labels: [],
      };
      pulls.push(pr);
      return pr.number;
    },
    refSha: (branch) => refs.get(`refs/heads/${branch}`),
    filesAt(commitOrBranch) {
      const sha = resolveCommit(commitOrBranch);
      if (!sha) throw new Error(`double: no commit ${commitOrBranch}`);
      return Object.fromEntries([...flatten(commits.get(sha)!.tree)].map(([p, f]) => [p, blobs.get(f.sha)!.toString('utf8')]));
    },
    commitOf: (sha) => commits.get(sha),
    closePullRequest(n, opts = {}) {
      const pr = pulls.find((p) => p.number === n);
      if (!pr || pr.state !== 'open') throw new Error(`double: no open pull request #${n}`);
      if (opts.merge) {
        pr.mergedHeadSha = refs.get(`refs/heads/${pr.head}`);
        pr.merge_commit_sha = addCommit(api.filesAt(pr.head), `Merge pull request #${n}`, { branch: pr.base });
        pr.merged_at = now();
      }
      closePull(pr);
    },
    deleteBranch(branch) {
      if (!refs.has(`refs/heads/${branch}`)) throw new Error(`double: no branch ${branch}`);
      deleteRef(`refs/heads/${branch}`);
    },
    count: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)).length,
    fail: (failure) => void failures.push({ ...failure }),
    close,
    [Symbol.asyncDispose]: close,
  };
  return api;
}
