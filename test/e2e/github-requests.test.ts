// What a reconcile spends of GitHub's rate limit (5,000 requests an hour), through the production
// path (signed push → webhook function → Lambda → reconcile function): a cold container reads a
// 300-file tree with the commit, one listing and one archive; a warm one reading a push that
// touches two files adds only those two blobs. Statuses are the two every reconcile posts.
import { describe, expect, it } from 'vitest';
import { pushOf } from '../support/github-events.ts';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';

const FILES = 300;

function tree(protocol: string, changed: number[] = []): Record<string, string> {
  const files: Record<string, string> = { 'README.md': '# mesh\n' };
  for (let i = 0; i < FILES; i++)
    files[`config-entries/services/svc-${i}.hcl`] = `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "${changed.includes(i) ? 'grpc' : protocol}"\n`;
  return files;
}

let h: ServerlessHarness;
/** Each test starts a fresh reconcile function: a cold Lambda container. The GitHub double refuses a request without the token. */
harnessPerTest((started) => (h = started), { requireGitHubToken: true });

/** Delivers a push of `sha` and returns the GitHub requests the reconcile made, `METHOD path` with the SHA as `SHA`. */
async function push(sha: string): Promise<string[]> {
  const before = h.github.requests.length;
  expect((await h.deliver('push', pushOf(sha))).statusCode).toBe(202);
  expect(h.github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'success']);
  return h.github.requests.slice(before).map(
    (r) =>
      `${r.method} ${r.path
        .split(sha)
        .join('SHA')
        .replace(/[0-9a-f]{40}/g, 'BLOB')}`,
  );
}

async function liveProtocols(): Promise<Map<string, unknown>> {
  const list = (await (await fetch(`${h.consul.url}/v1/config/service-defaults`)).json()) as { Name: string; Protocol: unknown }[];
  return new Map(list.map((e) => [e.Name, e.Protocol]));
}

describe('GitHub requests per reconcile', () => {
  it(`a cold container reads a ${FILES}-file tree in 4 requests (commit, listing, archive and its redirect), plus the merged-PR lookup`, async () => {
    const requests = await push(h.github.addCommit(tree('http')));

    const reads = requests.filter((r) => !r.startsWith('POST /repos/Codertocat/Hello-World/statuses/'));
    expect(reads.sort()).toEqual([
      'GET /_codeload/Codertocat/Hello-World/legacy.tar.gz/SHA',
      // Not a tree read: the apply asks which pull request merged this commit, to compare with its reviewed plan.
      'GET /repos/Codertocat/Hello-World/commits/SHA/pulls',
      'GET /repos/Codertocat/Hello-World/git/commits/SHA',
      'GET /repos/Codertocat/Hello-World/git/trees/SHA',
      'GET /repos/Codertocat/Hello-World/tarball/SHA',
    ]);
    expect(requests).toHaveLength(7);
    const live = await liveProtocols();
    expect(live.size).toBe(FILES);
    expect(live.get('svc-299')).toBe('http');
  });

  it('a warm container reads a push touching two files with the commit, the listing and two blobs', async () => {
    await push(h.github.addCommit(tree('http')));

    const requests = await push(h.github.addCommit(tree('http', [7, 123])));

    const reads = requests.filter((r) => !r.startsWith('POST /repos/Codertocat/Hello-World/statuses/'));
    expect(reads.sort()).toEqual([
      'GET /repos/Codertocat/Hello-World/commits/SHA/pulls',
      // The stale-commit rule asks the history, not the committer dates, whether this is newer than the applied commit.
      'GET /repos/Codertocat/Hello-World/compare/BLOB...SHA',
      'GET /repos/Codertocat/Hello-World/git/blobs/BLOB',
      'GET /repos/Codertocat/Hello-World/git/blobs/BLOB',
      'GET /repos/Codertocat/Hello-World/git/commits/SHA',
      'GET /repos/Codertocat/Hello-World/git/trees/SHA',
    ]);
    expect(requests).toHaveLength(8);
    const live = await liveProtocols();
    expect([live.get('svc-7'), live.get('svc-123'), live.get('svc-8')]).toEqual(['grpc', 'grpc', 'http']);
  });
});
