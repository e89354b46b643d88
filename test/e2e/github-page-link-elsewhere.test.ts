// A list GitHub pages names its next page in a Link header, and octokit's pagination requests that
// URL as given, with the client's token. A Link naming another host (a proxy or GitHub Enterprise
// Server that rewrites hosts badly, or a hostile answer) would send the token there: the GitHub
// client asks only the API origin it was configured with. Reached here through the drift check's
// paged read of how a run began (schedule → reconcile Lambda handlers, the GitHub double, the dev
// server), with the double's Link headers naming a second local server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { fastForwardedAfterOlderPlan, liveProtocol } from '../support/dead-run.ts';

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

/** The other host: records every request it is sent (with its Authorization header) and answers an empty page. */
let elsewhere: { server: Server; url: string; seen: { url: string; authorization: string | undefined }[] };
beforeEach(async () => {
  const seen: { url: string; authorization: string | undefined }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  elsewhere = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
});
afterEach(async () => {
  elsewhere.server.closeAllConnections();
  await new Promise<void>((resolve) => elsewhere.server.close(() => resolve()));
});

describe("a GitHub page whose Link names another host's next page", () => {
  it('is not followed: the token is never sent to that host, and the head is not applied on what it would say', async () => {
    // 130 statuses of other checks while the plan ran: its start is on the second page.
    await fastForwardedAfterOlderPlan(h, { after: 130 });

    h.github.pageLinkBase = elsewhere.url;
    // The run fails saying so (Lambda retries it; a retry that meets the same answer fails the same way).
    await expect(h.tick('evt-1')).rejects.toThrow(`GitHub's answer named ${elsewhere.url} for the next request`);
    expect(elsewhere.seen).toEqual([]);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
  });
});
