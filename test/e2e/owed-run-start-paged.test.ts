// How the run that ended on a fast-forwarded head began ('planning': a plan's run; 'planning and
// applying': an apply's) is read from the commit's statuses, newest first. A commit with more than
// a page of them (other targets' and other checks' contexts, retries) had its start on a later
// page: it was read as no start, the older version's failed plan taken for an apply's end, and the
// head never applied. Schedule → reconcile Lambda handlers, the GitHub double (which pages as GitHub
// does, 100 at most), the dev server.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { fastForwardedAfterOlderPlan, liveProtocol, statusListings } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

describe('the start of the run that ended on a head, behind more than a page of statuses', () => {
  it("is found on a later page: the older version's failed plan is a plan's end, and the drift check applies the head", async () => {
    // 130 statuses of other checks while the plan ran: its start is on the second page.
    const { b } = await fastForwardedAfterOlderPlan(h, { after: 130 });
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusListings(h, b)).toBe(2);
  });

  it('reads one page when the start is on it', async () => {
    const { b } = await fastForwardedAfterOlderPlan(h, { before: 130 });
    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusListings(h, b)).toBe(1);
  });
});
