// GitHubTreeSource reading many files: the whole commit in one archive request (a 302 to codeload,
// as GitHub answers), a few changed files one blob each, and the blob path whenever the archive
// cannot be used (failed, over its bound), always with the same files as the blob-by-blob read.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../../src/adapters/github/contents-source.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { clientFor, TOKEN } from './client.ts';

const TARBALL = /\/tarball\//;
const CODELOAD = /^\/_codeload\//;
const BLOB = /\/git\/blobs\//;

const service = (i: number, protocol = 'http') => `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "${protocol}"\n`;

function repository(count: number, protocol = 'http'): Record<string, string> {
  const files: Record<string, string> = { 'README.md': '# mesh\n', 'config-entries/README.md': 'not an entry\n', 'other/x.hcl': service(0) };
  for (let i = 0; i < count; i++) files[`config-entries/${i % 2 ? 'a' : 'b'}/svc-${i}.hcl`] = service(i, protocol);
  return files;
}

let double: GitHubDouble;
afterEach(() => double?.close());

async function setup() {
  double = await startGitHubDouble({ token: TOKEN });
  const octokit = await clientFor(double);
  const ref = (sha: string) => ({ owner: double.owner, repo: double.repo, sha });
  return { octokit, ref };
}

/** What the blob-by-blob read (the archive turned off) gives for the same commit. */
async function blobByBlob(sha: string) {
  const source = new GitHubTreeSource(await clientFor(double), { archiveAbove: Infinity });
  return source.read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');
}

describe('GitHubTreeSource over the repository archive', () => {
  it('reads a cold tree of 200 files with the commit, one listing and one archive: no blob request', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit(repository(200));
    const source = new GitHubTreeSource(octokit);

    const state = await source.read(ref(sha), 'config-entries');

    expect(double.requests.map((r) => `${r.method} ${r.path.replace(sha, 'SHA')}`).sort()).toEqual([
      'GET /_codeload/acme/mesh-config/legacy.tar.gz/SHA',
      'GET /repos/acme/mesh-config/git/commits/SHA',
      'GET /repos/acme/mesh-config/git/trees/SHA',
      'GET /repos/acme/mesh-config/tarball/SHA',
    ]);
    expect(state.files).toHaveLength(200);
    expect(source.lastRead).toMatchObject({ cached: 0, fromArchive: 200, blobRequests: 0 });
    const before = double.requests.length;
    expect(state).toEqual(await blobByBlob(sha));
    expect(double.count('GET', BLOB)).toBe(double.requests.length - before - 2);
  });

  it('a later push touching two files costs the commit, the listing and two blobs; many files, the archive again', async () => {
    const { octokit, ref } = await setup();
    const files = repository(50);
    const first = double.addCommit(files);
    const source = new GitHubTreeSource(octokit);
    await source.read(ref(first), 'config-entries');
    const cold = double.requests.length;

    const second = double.addCommit({ ...files, 'config-entries/a/svc-1.hcl': service(1, 'grpc'), 'config-entries/new.hcl': service(99) });
    const state = await source.read(ref(second), 'config-entries');
    expect(double.requests.length - cold).toBe(4);
    expect(double.count('GET', BLOB)).toBe(2);
    expect(double.count('GET', TARBALL)).toBe(1);
    expect(state.files.find((f) => f.path === 'config-entries/a/svc-1.hcl')!.text).toContain('grpc');
    expect(state.files).toHaveLength(51);

    const third = double.addCommit(repository(50, 'http2'));
    const warm = double.requests.length;
    const all = await source.read(ref(third), 'config-entries');
    expect(double.requests.length - warm).toBe(4); // commit, listing, archive and its redirect
    expect(double.count('GET', TARBALL)).toBe(2);
    expect(all.files.every((f) => f.text.includes('http2'))).toBe(true);
  });

  it('falls back to blob requests when the archive fails, with the same files', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit(repository(20));
    double.fail({ method: 'GET', path: CODELOAD, status: 502 });
    const source = new GitHubTreeSource(octokit);

    const state = await source.read(ref(sha), 'config-entries');

    expect(source.lastRead.archiveSkipped).toBeDefined();
    expect(double.count('GET', BLOB)).toBe(20);
    expect(state).toEqual(await blobByBlob(sha));
  });

  it('does not download an archive over its bound: the repository is read blob by blob', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit({ ...repository(10), 'big/data.bin': 'x'.repeat(200_000) });
    const source = new GitHubTreeSource(octokit, { archiveMaxBytes: 100_000 });

    const state = await source.read(ref(sha), 'config-entries');

    expect(source.lastRead.archiveSkipped).toMatch(/over the .* archive limit/);
    expect(double.count('GET', TARBALL)).toBe(0);
    expect(state.files).toHaveLength(10);
  });
});
