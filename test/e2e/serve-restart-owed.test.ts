// serve answers a push 202 and runs it from an in-memory queue: a process killed after the answer
// (a deploy, OOM, a drained node) lost the job, the commit's status stayed `pending` for good and
// nothing was applied, and GitHub does not redeliver by itself. On start serve now checks, per
// target, the default branch's head: still `pending` (a run stopped before it reported), or never
// reported on while the last applied commit is another one (a push lost before its run began, or
// sent while serve was down), it is run through the ordinary apply path. A head whose run reported
// an end is left alone, and a target nothing was ever applied to waits for its first push.
// The state a killed serve leaves is made with GitHub's own API (a pending status of serve's
// context); everything after it is serve starting and running as in production.
import { afterEach, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { CONTEXT, liveProtocol, pendingAsADeadRunLeavesIt, treeWith } from '../support/dead-run.ts';

let h: ServeHarness;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const statesOf = (sha: string) => h.github.statuses.filter((s) => s.sha === sha && s.context === CONTEXT).map((s) => s.state);
const logLines = () => h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('serve started after a process that answered a push and never finished it', () => {
  it('runs the head whose status was left pending, and reports its end', async () => {
    h = await startServeHarness();
    expect(await h.push(treeWith('tcp'))).toBe(202);
    await h.serve.close();
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, b);

    await h.startServe();
    await h.serve.idle();
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statesOf(b)).toEqual(['pending', 'pending', 'success']);
    expect(logLines().find((l) => l.message === 'Owed run queued: a push was answered and never finished')).toMatchObject({
      target: 'default',
      sha: b,
      reason: `the head of master (${b.slice(0, 12)}) has a pending consul-gitops status: a run stopped before it reported`,
    });
  });

  it('runs a head no run reported on when the last applied commit is another (a push lost before its run began)', async () => {
    h = await startServeHarness();
    expect(await h.push(treeWith('tcp'))).toBe(202);
    await h.serve.close();
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master' });

    await h.startServe();
    await h.serve.idle();
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statesOf(b)).toEqual(['pending', 'success']);
  });

  it('leaves alone a head whose run reported an end, and a target nothing was ever applied to', async () => {
    h = await startServeHarness({ startServe: false });
    const a = h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master' });
    await h.startServe();
    await h.serve.idle();
    expect(await liveProtocol(h.consul.url)).toBeUndefined();
    expect(h.github.statuses).toEqual([]);
    expect(logLines().find((l) => l.message === 'Nothing owed from before the start')).toMatchObject({
      reason: 'nothing was applied on this target yet: the next push to master applies',
    });

    expect(await h.push(treeWith('http'))).toBe(202);
    const reported = h.github.statuses.length;
    await h.startServe();
    await h.serve.idle();
    expect(h.github.statuses.length).toBe(reported);
    expect(a).not.toBe(h.github.refSha('master'));
  });
});
