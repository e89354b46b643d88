// Before plan runs opened their ends with 'Plan failed: ', a pull request's plan that failed said
// 'reconcile failed: …' as an apply does. A head planned by that version and then fast-forwarded
// onto the default branch (its push lost) carried that status: the drift check read it as an
// apply's end and never applied the head. Such an end is a plan's when its run began as a plan run
// does ('planning'). Schedule → reconcile Lambda handlers, the GitHub double, the dev server.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { pushOf } from '../support/github-events.ts';
import { fastForwardMaster, liveProtocol, postStatus, treeWith } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

describe("a fast-forwarded head whose last status is an older version's failed plan", () => {
  it("is applied by the drift check: 'reconcile failed:' after 'planning' is a plan's end", async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
    const b = h.github.refSha('feature')!;
    await postStatus(h.github.url, b, 'pending', 'planning');
    await postStatus(h.github.url, b, 'error', 'reconcile failed: GitHub answered 502 reading the tree');

    await fastForwardMaster(h.github.url, b);
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
  });

  it("an apply's 'reconcile failed:' (its run began 'planning and applying') stays decided", async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    const b = h.github.addCommit(treeWith('http'), 'api: http', { branch: 'master' });
    await postStatus(h.github.url, b, 'pending', 'planning and applying');
    await postStatus(h.github.url, b, 'error', 'reconcile failed: GitHub answered 502 reading the tree');

    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
  });
});
