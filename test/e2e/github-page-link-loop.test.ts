// octokit's pagination asks for the page a Link header names as `next` for as long as one is named.
// A server paging wrongly (a proxy, a GitHub Enterprise Server, a hostile answer) whose Link names the
// page just read, or one read before, made the read loop forever: on every drift check, which pages
// a head's statuses. The GitHub client now stops before asking a page it already read, with a
// `github` error naming the URL (no token). Schedule → reconcile Lambda handlers, the GitHub double
// paging wrongly, the dev server.
import { describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { fastForwardedAfterOlderPlan, liveProtocol, statusListings } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

/** The reconcile function's error, as the schedule's tick meets it. */
async function tickError(): Promise<Error> {
  const error = await h.tick('evt-1').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('a GitHub page whose Link names a page the read already had', () => {
  it('naming itself: asked once, the run fails naming the URL, and nothing is applied on what it would say', async () => {
    // 130 statuses of other checks while the plan ran: its start is on the second page.
    const { b } = await fastForwardedAfterOlderPlan(h, { after: 130 });
    h.github.pageLinkNext = (page) => page;

    const error = await tickError();
    expect(error.message).toContain(`GitHub's answer named ${h.github.url}/repos/Codertocat/Hello-World/commits/${b}/statuses?per_page=100 as the next page`);
    expect(statusListings(h, b)).toBe(1);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    expect(`${error.message}\n${h.logs.join('\n')}`).not.toContain(GITHUB_TOKEN);
  });

  it('naming an earlier page (a cycle): stops at the first page asked again', async () => {
    const { b } = await fastForwardedAfterOlderPlan(h, { after: 250 });
    // Page 1 names page 2, page 2 names page 1 (as `page=1`), page 1 names page 2 again.
    h.github.pageLinkNext = (page) => (page === 2 ? 1 : 2);

    const error = await tickError();
    expect(error.message).toContain('page=2 as the next page, a page this read already had');
    expect(statusListings(h, b)).toBe(3);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
  });
});
