// Lambda delivers asynchronously and at least once, and GitHub may deliver pushes out of order: an
// older commit arriving after a newer one must be refused as stale, end to end, on both production
// paths (webhook function → Lambda → reconcile function, and `serve`). Consul keeps the newer
// state and the older commit's status says why it was not applied.
import { afterEach, describe, expect, it } from 'vitest';
import { pushOf } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startServerlessHarness } from '../support/serverless-harness.ts';

const treeWith = (protocol: string) => ({
  'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n`,
});

/** The path under test: its Consul and GitHub, and how it stops. */
let h: Pick<ServeHarness, 'consul' | 'github' | 'close'>;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

/** Commit A (older, tcp) then B (newer, http) on master. */
function twoCommits(): { a: string; b: string } {
  const a = h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: '2026-11-25T10:00:00Z' });
  const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master', date: '2026-11-25T11:00:00Z' });
  return { a, b };
}

async function liveProtocol(): Promise<unknown> {
  const res = await fetch(`${h.consul.url}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>).Protocol;
}

function expectStaleRefusal(a: string, b: string): void {
  expect(h.github.statuses.filter((s) => s.sha === b).map((s) => s.state)).toEqual(['pending', 'success']);
  const forA = h.github.statuses.filter((s) => s.sha === a);
  expect(forA.map((s) => s.state)).toEqual(['pending', 'error']);
  expect(forA[1].description).toContain('not applied');
  expect(forA[1].description).toContain('older than');
}

describe('an older commit delivered after a newer one', () => {
  it('through the Lambda handler: is refused as stale and Consul keeps the newer state', async () => {
    const lambda = await startServerlessHarness();
    h = lambda;
    const deliver = async (sha: string) => expect((await lambda.deliver('push', pushOf(sha))).statusCode).toBe(202);
    const { a, b } = twoCommits();
    await deliver(b);
    expect(await liveProtocol()).toBe('http');
    await deliver(a);
    expect(await liveProtocol()).toBe('http');
    expectStaleRefusal(a, b);
  });

  it('through `serve`: is refused as stale and Consul keeps the newer state', async () => {
    const serve = await startServeHarness();
    h = serve;
    const { a, b } = twoCommits();
    for (const sha of [b, a]) {
      // One at a time (deliver waits for serve's queue to be idle): the queue must not be what drops A; the stale-commit rule must.
      expect(await serve.deliver('push', pushOf(sha))).toBe(202);
    }
    expect(await liveProtocol()).toBe('http');
    expectStaleRefusal(a, b);
  });
});
