// The drift check asks how the run that ended on the head began (its `pending` start) on every tick
// while the head keeps an end that only the start tells apart (an older version's failed plan or an
// apply's). It read the commit's statuses anew each time, every page down to the start: 10 requests
// behind 1,000 statuses, repeated each tick, and past the last page it took "no start" for "not a
// plan". Now the answer is kept in KV per head, a later tick reads only what is newer (one request),
// and past 1,000 statuses the run says it cannot tell instead of deciding. Schedule → reconcile Lambda
// handlers, the GitHub double (100 statuses a page, as GitHub), the dev server.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { fastForwardedAfterOlderPlan, liveProtocol, logLine, notOkOf, postStatus, statusListings } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

/** The drift check's "Reconcile finished" summaries, one per tick. */
const driftSummaries = () =>
  h.logs
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((l) => l.message === 'Reconcile finished' && l.mode === 'drift')
    .map((l) => l.summary as string);

describe("a head's run start, asked on every tick", () => {
  it('is read down to the start once (10 requests behind 950 statuses), then one request a tick', async () => {
    // An apply's end: nothing is owed, and every tick asks again.
    const { b } = await fastForwardedAfterOlderPlan(h, { after: 950, start: 'planning and applying' });
    await h.tick('evt-1');
    expect(statusListings(h, b)).toBe(10);
    await h.tick('evt-2');
    await h.tick('evt-3');
    expect(statusListings(h, b)).toBe(12);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
  });

  it('finds a start newer than the remembered answer: a later plan run on the head is still told apart', async () => {
    const { b } = await fastForwardedAfterOlderPlan(h, { after: 950, start: 'planning and applying' });
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    // An older version plans the head again (a pull request re-run), and fails as before.
    await postStatus(h.github.url, b, 'pending', 'planning');
    await postStatus(h.github.url, b, 'error', 'reconcile failed: GitHub answered 502 reading the tree');
    await h.tick('evt-2');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusListings(h, b)).toBe(11);
  });

  it('behind more than 1,000 statuses: says it cannot tell, runs nothing, needs a person, and reads one page on the next tick', async () => {
    const { b } = await fastForwardedAfterOlderPlan(h, { after: 1000 });
    await h.tick('evt-1');
    expect(statusListings(h, b)).toBe(10);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    const said = `owed ${b.slice(0, 12)}: cannot tell whether the head of master (${b.slice(0, 12)}) is owed`;
    expect(driftSummaries()).toEqual([expect.stringContaining(said)]);
    expect(logLine(h, 'Reconcile finished', 'drift')?.summary).toContain('not among the newest 1000 statuses of the commit; nothing was run on it');

    await h.tick('evt-2');
    expect(statusListings(h, b)).toBe(11);
    expect(driftSummaries()).toEqual([expect.stringContaining(said), expect.stringContaining(said)]);
    expect(notOkOf(h).slice(-2)).toEqual([1, 1]);
  });
});
