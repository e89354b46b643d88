// Two ways the drift check's owed run (src/app/reconcile-owed.ts) was hidden. (1) A pull request's
// plan and the default branch's apply post on one status context, so a head fast-forwarded from a
// planned pull request (`git push origin feature:master`, GitHub's API here) already carried the
// plan's `success`: with its push lost, the schedule read that as "a run reported on the head" and
// never applied it. (2) The drift check that did run an owed apply published only the drift check's
// figures: the apply's writes and run were missing from the metrics. Webhook → reconcile and
// schedule → reconcile Lambda handlers, the GitHub double and the dev server over HTTP.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { pullRequestOpened, pushOf } from '../support/github-events.ts';
import { appliedThenOwed, fastForwardMaster, liveProtocol, runsOf, statusesOf, treeWith } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

describe('the drift check finds the head a push still owes', () => {
  it("a head fast-forwarded from a planned pull request, its push lost: the plan's status does not hide it, the schedule applies it", async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    expect(await liveProtocol(h.consul.url)).toBe('tcp');

    const pr = h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
    const b = h.github.refSha('feature')!;
    await h.deliver('pull_request', pullRequestOpened(h.github, pr, 'feature'));
    expect(statusesOf(h, b).at(-1)).toMatchObject({ state: 'success', description: 'Plan: 0 to create, 1 to update, 0 to delete.' });

    await fastForwardMaster(h.github.url, b);
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusesOf(h, b).at(-1)).toMatchObject({ state: 'success', description: expect.stringMatching(/^Apply: 1 applied/) });
    const finished = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'Reconcile finished' && l.mode === 'drift');
    expect(finished?.summary).toContain(`owed ${b.slice(0, 12)}: 1 applied`);
  });

  it('a plan that failed on the pull request is not an apply either: the fast-forwarded head is applied', async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    const pr = h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
    const b = h.github.refSha('feature')!;
    // GitHub failed under the plan run (reading the tree): its status is `error`.
    h.github.fail({ method: 'GET', path: /\/git\/trees\//, status: 500, times: 1 });
    await h.deliver('pull_request', pullRequestOpened(h.github, pr, 'feature')).catch(() => undefined);
    expect(statusesOf(h, b).at(-1)).toMatchObject({ state: 'error', description: expect.stringMatching(/^Plan failed: /) });

    await fastForwardMaster(h.github.url, b);
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusesOf(h, b).at(-1)).toMatchObject({ state: 'success', description: expect.stringMatching(/^Apply: 1 applied/) });
  });

  it("an apply's own end on the head stays decided: a refused apply is not run again by the schedule", async () => {
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    // Every managed entry deleted: the mass-delete guard refuses the push.
    const b = h.github.addCommit({ 'config-entries/README.md': 'none yet' }, 'empty', { branch: 'master' });
    await h.deliver('push', pushOf(b));
    expect(statusesOf(h, b).map((s) => s.state)).toEqual(['pending', 'failure']);

    await h.tick('evt-1');
    expect(statusesOf(h, b).map((s) => s.state)).toEqual(['pending', 'failure']);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
  });

  it("the drift check that ran an owed apply publishes the apply's run and writes, besides its own figures", async () => {
    await appliedThenOwed(h);
    h.emf.length = 0;

    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(runsOf(h)).toEqual([
      ['apply', 'applied'],
      ['drift', 'in-sync'],
    ]);
    expect(h.emf.filter((e) => 'EntriesApplied' in e).map((e) => e.EntriesApplied)).toEqual([1]);
    expect(h.emf.filter((e) => 'DriftedEntries' in e).map((e) => e.DriftedEntries)).toEqual([0]);
  });
});
