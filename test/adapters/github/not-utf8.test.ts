// The GitHub source refuses a config-entry file that is not UTF-8, as the local reader does and as
// Consul's scanners do ("illegal UTF-8 encoding"), naming the file: read blob by blob, and read from
// the repository archive (which leaves such a file to the blob request that refuses it).
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubTreeSource } from '../../../src/adapters/github/contents-source.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { clientFor, TOKEN } from './client.ts';

let double: GitHubDouble;
afterEach(() => double?.close());

const latin1 = Buffer.concat([Buffer.from('Kind = "service-defaults"\nName = "api"\nMeta = { team = "'), Buffer.from([0xe9]), Buffer.from('quipe" }\n')]);

describe('GitHubTreeSource and a file that is not UTF-8', () => {
  it.each([
    ['blob by blob', Infinity],
    ['from the archive', 0],
  ])('%s: refused, naming the file, line and column', async (_how, archiveAbove) => {
    double = await startGitHubDouble({ token: TOKEN });
    const files: Record<string, string | Buffer> = { 'config-entries/api.hcl': latin1 };
    for (let i = 0; i < 5; i++) files[`config-entries/svc-${i}.hcl`] = `Kind = "service-defaults"\nName = "svc-${i}"\n`;
    const sha = double.addCommit(files);
    const source = new GitHubTreeSource(await clientFor(double), { archiveAbove });
    await expect(source.read({ owner: double.owner, repo: double.repo, sha }, 'config-entries')).rejects.toThrow(
      'config-entries/api.hcl: not UTF-8 text: byte 0xe9 at line 3, column 18',
    );
  });
});
