// Path tricks in Git tree entries, as the Lambda path reads a commit (GitHubTreeSource over the
// GitHub API double): git itself never stores `..`, `.`, empty or `.git` names (git fsck refuses
// them), so a listing holding one comes from a hostile or broken server. The commit is refused
// naming the path, before any blob is fetched; nothing "outside" the directory is read as inside it.
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../src/adapters/github/contents-source.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { clientFor } from '../adapters/github/client.ts';

let double: GitHubDouble;
afterEach(() => double?.close());

const ENTRY = 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n';

describe('path tricks in Git tree entries', () => {
  it.each(['config-entries/../outside.hcl', 'config-entries/./dot.hcl', 'config-entries/.git/hooks.hcl', 'config-entries/dc1/../../escape.hcl'])(
    '%s: the commit is refused naming the path, no blob fetched',
    async (trick) => {
      double = await startGitHubDouble();
      const sha = double.addCommit({ 'config-entries/ok.hcl': ENTRY, [trick]: ENTRY });
      const source = new GitHubTreeSource(await clientFor(double));
      const error = (await source.read({ owner: double.owner, repo: double.repo, sha }, 'config-entries').catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toContain('is not a path git stores');
      // The first entry on the way that git would never store: the directory `..`, `.` or `.git`.
      const segments = trick.split('/');
      const bad = segments.slice(0, segments.findIndex((x) => x === '.' || x === '..' || x === '.git') + 1).join('/');
      expect(error.message).toContain(`"${bad}"`);
      expect(double.count('GET', /\/git\/blobs\//)).toBe(0);
    },
  );

  it('a control character in a file name is read as the file it is (git allows it), and only escaped when shown', async () => {
    double = await startGitHubDouble();
    const sha = double.addCommit({ 'config-entries/ok.hcl': ENTRY, 'config-entries/odd\u001b.hcl': ENTRY.replace('api', 'odd') });
    const state = await new GitHubTreeSource(await clientFor(double)).read({ owner: double.owner, repo: double.repo, sha }, 'config-entries');
    expect(state.files.map((f) => f.path)).toEqual(['config-entries/odd\u001b.hcl', 'config-entries/ok.hcl']);
  });
});
