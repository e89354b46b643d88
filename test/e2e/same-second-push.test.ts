// Two pushes to the default branch in the same second (a merge queue, a bot, a Lambda retry of the
// older one after the newer one was applied) have the same committer time, so time alone cannot
// order them. The older one arriving second must still never roll Consul back: git's own order
// (GitHub's compare) decides, on both production paths.
import { afterEach, describe, expect, it } from 'vitest';
import { pushOf } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startServerlessHarness } from '../support/serverless-harness.ts';

const treeWith = (protocol: string) => ({
  'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n`,
});

let h: Pick<ServeHarness, 'consul' | 'github' | 'close'>;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const SECOND = '2026-11-25T10:00:00Z';

async function liveProtocol(): Promise<unknown> {
  const res = await fetch(`${h.consul.url}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>).Protocol;
}

describe('two commits of the same second', () => {
  it('through the Lambda handler: the older one delivered after the newer is refused as stale, Consul keeps the newer', async () => {
    const lambda = await startServerlessHarness();
    h = lambda;
    const a = h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: SECOND });
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master', date: SECOND });
    expect((await lambda.deliver('push', pushOf(b))).statusCode).toBe(202);
    expect(await liveProtocol()).toBe('http');
    expect((await lambda.deliver('push', pushOf(a))).statusCode).toBe(202);
    expect(await liveProtocol()).toBe('http');
    const forA = h.github.statuses.filter((s) => s.sha === a);
    expect(forA.map((s) => s.state)).toEqual(['pending', 'error']);
    expect(forA[1].description).toMatch(/not applied: .*older than/);
  });

  it("a rewritten branch whose new head has the same second as the applied one, and neither in the other's history: refused, nothing applied", async () => {
    const lambda = await startServerlessHarness();
    h = lambda;
    const a = h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: SECOND });
    expect((await lambda.deliver('push', pushOf(a))).statusCode).toBe(202);
    // A force-push replaced master with an unrelated commit of the same second.
    const c = h.github.addCommit(treeWith('http'), 'C: http', { branch: 'rewritten', date: SECOND });
    expect((await lambda.deliver('push', pushOf(c))).statusCode).toBe(202);
    expect(await liveProtocol()).toBe('tcp');
    const forC = h.github.statuses.filter((s) => s.sha === c);
    expect(forC.map((s) => s.state)).toEqual(['pending', 'error']);
    expect(forC[1].description).toContain('cannot be ordered');
  });

  it('through `serve`: in order, the newer one of the same second is applied (not refused)', async () => {
    const serve = await startServeHarness();
    h = serve;
    const a = h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: SECOND });
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master', date: SECOND });
    expect(await serve.deliver('push', pushOf(a))).toBe(202);
    expect(await liveProtocol()).toBe('tcp');
    expect(await serve.deliver('push', pushOf(b))).toBe(202);
    expect(await liveProtocol()).toBe('http');
    expect(h.github.statuses.filter((s) => s.sha === b).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('through `serve`: the older one delivered second is refused, Consul keeps the newer', async () => {
    const serve = await startServeHarness();
    h = serve;
    const a = h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: SECOND });
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master', date: SECOND });
    for (const sha of [b, a]) expect(await serve.deliver('push', pushOf(sha))).toBe(202);
    expect(await liveProtocol()).toBe('http');
    expect(h.github.statuses.filter((s) => s.sha === a).map((s) => s.state)).toEqual(['pending', 'error']);
  });
});
