// How the run that ended on a fast-forwarded head began ('planning': a plan's run; 'planning and
// applying': an apply's) is read from the commit's statuses, newest first. A commit with more than
// a page of them (other targets' and other checks' contexts, retries) had its start on a later
// page: it was read as no start, the older version's failed plan taken for an apply's end, and the
// head never applied. Schedule → reconcile Lambda handlers, the GitHub double (which pages as GitHub
// does, 100 at most), the dev server.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { pushOf } from '../support/github-events.ts';
import { fastForwardMaster, liveProtocol, postStatus, treeWith } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

const statusListings = (sha: string) => h.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/commits/${sha}/statuses`)).length;

describe('the start of the run that ended on a head, behind more than a page of statuses', () => {
  it("is found on a later page: the older version's failed plan is a plan's end, and the drift check applies the head", async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
    const b = h.github.refSha('feature')!;
    await postStatus(h.github.url, b, 'pending', 'planning');
    // 130 statuses of other checks while the plan ran: its start is on the second page.
    for (let i = 0; i < 130; i++) await postStatus(h.github.url, b, 'success', `check ${i}`, `ci/check-${i % 13}`);
    await postStatus(h.github.url, b, 'error', 'reconcile failed: GitHub answered 502 reading the tree');

    await fastForwardMaster(h.github.url, b);
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusListings(b)).toBe(2);
  });

  it('reads one page when the start is on it', async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
    const b = h.github.refSha('feature')!;
    for (let i = 0; i < 130; i++) await postStatus(h.github.url, b, 'success', `check ${i}`, `ci/check-${i % 13}`);
    await postStatus(h.github.url, b, 'pending', 'planning');
    await postStatus(h.github.url, b, 'error', 'reconcile failed: GitHub answered 502 reading the tree');

    await fastForwardMaster(h.github.url, b);
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusListings(b)).toBe(1);
  });
});
