// GitHubTreeSource against the double: one tree listing, one blob request per config-entry file,
// the blob cache across runs and commits, and the truncated-tree fallbacks.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../../src/adapters/github/contents-source.ts';
import { GitHubError } from '../../../src/adapters/github/errors.ts';
import { renderTree } from '../../../src/core/render.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { clientFor, TOKEN } from './client.ts';
import { fieldText } from '../../../src/model/field-text.ts';

const MESH = 'Kind = "mesh"\nTransparentProxy { MeshDestinationsOnly = true }\n';
const api = (mode: string) => `Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "${mode}"\n`;
const WEB = 'Kind: service-defaults\nName: web\nProtocol: http\n';

const TREE = /\/git\/trees\//;
const BLOB = /\/git\/blobs\//;

let double: GitHubDouble;
afterEach(() => double?.close());

async function setup(options: Parameters<typeof startGitHubDouble>[0] = {}) {
  double = await startGitHubDouble({ token: TOKEN, ...options });
  const octokit = await clientFor(double);
  const ref = (sha: string) => ({ owner: double.owner, repo: double.repo, sha });
  return { octokit, ref };
}

describe('GitHubTreeSource', () => {
  it('reads config-entry files under the directory with one tree listing and one blob request per file', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit(
      {
        'README.md': '# mesh\n',
        'config-entries/mesh.hcl': MESH,
        'config-entries/services/api.hcl': api('permissive'),
        'config-entries/services/web.yaml': WEB,
        'config-entries/README.md': 'not an entry\n',
        'other/ignored.hcl': api('strict'),
      },
      'first',
    );
    const source = new GitHubTreeSource(octokit);

    const state = await source.read(ref(sha), 'config-entries');

    expect(state.revision).toBe(sha);
    expect(state.commitTime).toBe(double.commitOf(sha)!.date);
    expect(state.files).toEqual([
      { path: 'config-entries/mesh.hcl', text: MESH },
      { path: 'config-entries/services/api.hcl', text: api('permissive') },
      { path: 'config-entries/services/web.yaml', text: WEB },
    ]);
    expect(state.ignored).toEqual(['config-entries/README.md']);
    expect(double.count('GET', TREE)).toBe(1);
    expect(double.count('GET', BLOB)).toBe(3);
    expect(double.requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([`GET /repos/acme/mesh-config/git/trees/${sha}`]));
    expect(double.requests.find((r) => TREE.test(r.path))!.query).toEqual({ recursive: '1' });
    // The files render as the CLI would render a checkout.
    const tree = renderTree(state.files);
    expect(tree.decodeErrors).toEqual([]);
    expect(tree.entries.map((e) => `${e.entry.Kind}/${fieldText(e.entry.Name)}`).sort()).toEqual(['mesh/', 'service-defaults/api', 'service-defaults/web']);
  });

  it('fetches no blob again for the same commit, and only the changed blobs for a new one', async () => {
    const { octokit, ref } = await setup();
    const first = double.addCommit({ 'config-entries/mesh.hcl': MESH, 'config-entries/api.hcl': api('permissive'), 'config-entries/web.yaml': WEB });
    const source = new GitHubTreeSource(octokit);
    await source.read(ref(first), 'config-entries');
    expect(double.count('GET', BLOB)).toBe(3);

    const again = await source.read(ref(first), 'config-entries/');
    expect(double.count('GET', BLOB)).toBe(3);
    expect(again.files).toHaveLength(3);
    expect(double.count('GET', TREE)).toBe(2);

    const second = double.addCommit({
      'config-entries/mesh.hcl': MESH,
      'config-entries/api.hcl': api('strict'),
      'config-entries/web.yaml': WEB,
      'config-entries/new.hcl': api('strict').replace('"api"', '"new"'),
    });
    const next = await source.read(ref(second), 'config-entries');
    // api.hcl changed and new.hcl is new: two blob requests; mesh.hcl and web.yaml come from the cache.
    expect(double.count('GET', BLOB)).toBe(5);
    expect(next.revision).toBe(second);
    expect(next.files.find((f) => f.path === 'config-entries/api.hcl')!.text).toBe(api('strict'));
    expect(source.cache.hits).toBeGreaterThanOrEqual(5);
  });

  it('fetches a blob shared by two files once', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit({ 'config-entries/a.hcl': MESH, 'config-entries/b.hcl': MESH });
    const state = await new GitHubTreeSource(octokit).read(ref(sha), 'config-entries');
    expect(state.files.map((f) => f.path)).toEqual(['config-entries/a.hcl', 'config-entries/b.hcl']);
    expect(double.count('GET', BLOB)).toBe(1);
  });

  it('resolves a branch name to its commit before listing, so revision is a SHA', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit({ 'config-entries/mesh.hcl': MESH });
    const state = await new GitHubTreeSource(octokit).read(ref('main'), 'config-entries');
    expect(state.revision).toBe(sha);
    expect(double.count('GET', /\/commits\/main$/)).toBe(1);
  });

  it('reads the whole repository when dir is empty or "."', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit({ 'mesh.hcl': MESH, 'sub/api.hcl': api('strict'), 'README.md': 'x' });
    const state = await new GitHubTreeSource(octokit).read(ref(sha), '.');
    expect(state.files.map((f) => f.path)).toEqual(['mesh.hcl', 'sub/api.hcl']);
    expect(state.ignored).toEqual(['README.md']);
  });

  it('refuses a directory that does not exist at the commit (an empty tree would plan deleting everything)', async () => {
    const { octokit, ref } = await setup();
    const sha = double.addCommit({ 'elsewhere/mesh.hcl': MESH });
    const error = await new GitHubTreeSource(octokit).read(ref(sha), 'config-entries').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).kind).toBe('not-found');
    expect((error as GitHubError).message).toContain('config-entries/ does not exist');

    const empty = await new GitHubTreeSource(octokit, { missingDir: 'empty' }).read(ref(sha), 'config-entries');
    expect(empty.files).toEqual([]);
  });

  describe('truncated trees', () => {
    const filler = (dir: string, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`${dir}/f${String(i).padStart(3, '0')}.txt`, `${dir} ${i}\n`]));

    it('lists the directory subtree by walking down when the cut came before it', async () => {
      const { octokit, ref } = await setup({ treeEntryLimit: 20 });
      const sha = double.addCommit({ ...filler('aaa', 50), 'config-entries/mesh.hcl': MESH, 'config-entries/svc/api.hcl': api('strict') });

      const state = await new GitHubTreeSource(octokit).read(ref(sha), 'config-entries');

      expect(state.files.map((f) => f.path)).toEqual(['config-entries/mesh.hcl', 'config-entries/svc/api.hcl']);
      // root recursive (truncated) + root level (walk) + subtree recursive
      expect(double.count('GET', TREE)).toBe(3);
      expect(double.count('GET', BLOB)).toBe(2);
    });

    it('uses the directory entry of the truncated listing when it is there', async () => {
      const { octokit, ref } = await setup({ treeEntryLimit: 4 });
      const sha = double.addCommit({
        'config-entries/mesh.hcl': MESH,
        'config-entries/api.hcl': api('strict'),
        'config-entries/web.yaml': WEB,
        ...filler('zzz', 30),
      });

      const state = await new GitHubTreeSource(octokit).read(ref(sha), 'config-entries');

      expect(state.files.map((f) => f.path)).toEqual(['config-entries/api.hcl', 'config-entries/mesh.hcl', 'config-entries/web.yaml']);
      expect(double.count('GET', TREE)).toBe(2);
    });

    it('goes level by level when the subtree itself is too large for one listing', async () => {
      const { octokit, ref } = await setup({ treeEntryLimit: 5 });
      const sha = double.addCommit({
        'config-entries/a/one.hcl': MESH,
        'config-entries/a/two.hcl': api('strict'),
        'config-entries/b/three.yaml': WEB,
        'config-entries/b/c/four.hcl': api('permissive').replace('"api"', '"four"'),
        ...filler('config-entries/notes', 3),
      });

      // Blob by blob (the archive off): the request count below is the listing walk's.
      const state = await new GitHubTreeSource(octokit, { archiveAbove: Infinity }).read(ref(sha), 'config-entries');

      expect(state.files.map((f) => f.path)).toEqual([
        'config-entries/a/one.hcl',
        'config-entries/a/two.hcl',
        'config-entries/b/c/four.hcl',
        'config-entries/b/three.yaml',
      ]);
      expect(state.ignored).toHaveLength(3);
      expect(double.count('GET', BLOB)).toBe(4);
    });

    it('reports a missing directory inside a truncated tree', async () => {
      const { octokit, ref } = await setup({ treeEntryLimit: 3 });
      const sha = double.addCommit(filler('aaa', 10));
      await expect(new GitHubTreeSource(octokit).read(ref(sha), 'config-entries/deep')).rejects.toThrow(/does not exist/);
    });
  });

  it('refuses a file over the size limit from the tree listing, before fetching any blob', async () => {
    const { octokit, ref } = await setup();
    const big = `Kind: service-defaults\nName: big\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    const sha = double.addCommit({ 'config-entries/big.yaml': big, 'config-entries/web.yaml': WEB }, 'big');
    const error = await new GitHubTreeSource(octokit).read(ref(sha), 'config-entries').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).message).toBe('config-entries/big.yaml: the file is 2.0 MiB (2097188 bytes), over the 1 MiB limit per file');
    expect(double.count('GET', BLOB)).toBe(0);
    const total = await new GitHubTreeSource(octokit, { limits: { maxFileBytes: 4 * 1024 * 1024, maxTreeBytes: 1024 * 1024 } })
      .read(ref(sha), 'config-entries')
      .catch((e: unknown) => e);
    expect((total as GitHubError).message).toContain('over the 1 MiB limit for the whole tree');
  });
});
