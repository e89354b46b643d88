// A commit whose run died after posting `pending` (killed, every retry dead) kept that status for
// good once a newer push or a newer pull-request head replaced it: nothing would ever run it again.
// The run of the newer commit now settles it: `error`, naming the newer commit (never `success`: it
// was not applied or planned, and branch protection reads it if a branch points at it again). Only
// our own `pending` is touched; a commit whose run reported keeps its status. The dead run's status
// is made through GitHub's API; the rest is the webhook and reconcile Lambda handlers.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { pullRequestOpened, pushOf } from '../support/github-events.ts';
import { CONTEXT, pendingAsADeadRunLeavesIt, treeWith } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

const statusesOf = (sha: string) => h.github.statuses.filter((s) => s.sha === sha && s.context === CONTEXT).map((s) => [s.state, s.description]);

describe('a pending status on a commit a newer one replaced', () => {
  it('on the branch: the next push settles it as error, naming the newer commit', async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'A', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, a);
    const b = h.github.addCommit(treeWith('http'), 'B', { branch: 'master' });
    await h.deliver('push', { ...pushOf(b), before: a });
    expect(statusesOf(b).at(-1)?.[0]).toBe('success');
    expect(statusesOf(a)).toEqual([
      ['pending', 'planning and applying'],
      ['error', `superseded by ${b.slice(0, 12)} (the next push) before its run reported; see that commit's status`],
    ]);
  });

  it('leaves alone the previous commit whose run reported', async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'A', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    const b = h.github.addCommit(treeWith('http'), 'B', { branch: 'master' });
    await h.deliver('push', { ...pushOf(b), before: a });
    expect(statusesOf(a).map((s) => s[0])).toEqual(['pending', 'success']);
  });

  it('on a pull request: the newer head settles the old head', async () => {
    const number = h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
    const h1 = h.github.refSha('feature')!;
    await pendingAsADeadRunLeavesIt(h.github.url, h1);
    const h2 = h.github.addCommit(treeWith('grpc'), 'grpc', { branch: 'feature' });
    const event = pullRequestOpened(h.github, number, 'feature');
    await h.deliver('pull_request', { ...event, action: 'synchronize', before: h1, after: h2 });
    expect(statusesOf(h2).at(-1)?.[0]).toBe('success');
    expect(statusesOf(h1)).toEqual([
      ['pending', 'planning and applying'],
      ['error', `superseded by ${h2.slice(0, 12)} (the newer head of #${number}) before its run reported; see that commit's status`],
    ]);
  });
});
