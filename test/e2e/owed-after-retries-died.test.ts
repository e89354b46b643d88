// A push whose reconcile run never reported: on Lambda, every async retry of its event timed out and
// the event sits in the dead-letter queue, or the run met another run's lease and gave up. Nothing
// else would ever run that commit, and its status said `pending` for good. The schedule's drift check
// now runs the default branch's head first when it is owed (pending while no lease holds the target,
// or never reported on while another commit is the last applied), through the ordinary apply path;
// and a run turned away by a busy target leaves `pending` saying until when, retried after that.
// What a dead run leaves (a pending status, a lease) is made through GitHub's and Consul's own APIs;
// everything after it is the webhook → reconcile and schedule → reconcile Lambda handlers.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { pushOf } from '../support/github-events.ts';
import { appliedThenOwed, LOCK, liveProtocol, logLine, pendingAsADeadRunLeavesIt, statusesOf, treeWith } from '../support/dead-run.ts';

let h: ServerlessHarness;
/** How far the functions' clock is ahead of the wall clock: a lease ends when the test moves it, not a second and a half later. */
let skew = 0;
// A short wait for another run's lease: the busy case below is then decided in a tenth of a second.
harnessPerTest(
  (started) => {
    h = started;
    skew = 0;
  },
  { overrides: { lockWaitMs: 100, now: () => new Date(Date.now() + skew) } },
);

const push = async (protocol: string) => {
  const sha = h.github.addCommit(treeWith(protocol), `api: ${protocol}`, { branch: 'master' });
  await h.deliver('push', pushOf(sha)).catch(() => undefined);
  return sha;
};

describe('the schedule finds what a push is still owed', () => {
  it('runs the head whose every retry died (pending, no lease) and reports its end', async () => {
    const { b } = await appliedThenOwed(h);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');

    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusesOf(h, b).map((s) => s.state)).toEqual(['pending', 'pending', 'success']);
    const finished = logLine(h, 'Reconcile finished', 'drift');
    expect(finished?.summary).toContain(`owed ${b.slice(0, 12)}: 1 applied`);
  });

  it('leaves a pending head alone while a live lease holds the target (its run is at work)', async () => {
    await push('tcp');
    const b = h.github.addCommit(treeWith('http'), 'api: http', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, b);
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    expect((await fetch(`${h.consul.url}/v1/kv/${LOCK}`, { method: 'PUT', body: JSON.stringify({ holder: 'working-run', expiresAt }) })).status).toBe(200);

    await h.tick('evt-1').catch(() => undefined);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    expect(statusesOf(h, b).map((s) => s.state)).toEqual(['pending']);
  });

  it('a push turned away by a busy target says until when, and the first schedule after that applies it', async () => {
    await push('tcp');
    // Another run's lease, ending in a second and a half (a killed Lambda's lease ends 15 s after its deadline).
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    expect((await fetch(`${h.consul.url}/v1/kv/${LOCK}`, { method: 'PUT', body: JSON.stringify({ holder: 'other-run', expiresAt }) })).status).toBe(200);
    const b = await push('http');
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    expect(statusesOf(h, b).map((s) => [s.state, s.description])).toEqual([
      ['pending', `target default busy until ${expiresAt}: retried at the first drift check after that (held by other-run)`],
    ]);

    // The lease ends (the functions' clock moves past it), then the schedule ticks.
    skew = Date.parse(expiresAt) - Date.now() + 1;
    await h.tick('evt-2');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusesOf(h, b).map((s) => s.state)).toEqual(['pending', 'pending', 'success']);
  });
});
