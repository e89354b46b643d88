// The stale-commit rule trusted the committer's clock: a commit dated in the future (a forged date,
// or a laptop clock years ahead) blocked every later commit as "older", and an older commit given a
// later date rolled the mesh back over a newer one. The history decides now whenever it can be
// asked (GitHub's compare on the webhook path and `serve`, `git merge-base` for CLI `apply --commit`).
// Commit A is dated 2099, its child B 2026: B is the newer by the history.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pushOf } from '../support/github-events.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { startServeHarness } from '../support/serve-harness.ts';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { commitAll } from '../support/git-repo.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';

const FORGED = '2099-01-01T00:00:00Z';
const REAL = '2026-11-25T10:00:00Z';
const treeWith = (protocol: string) => ({ 'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n` });

async function liveProtocol(consul: string): Promise<unknown> {
  const res = await fetch(`${consul}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>).Protocol;
}

describe('a commit with a forged future committer date, on the webhook path', () => {
  let h: Pick<ServerlessHarness, 'consul' | 'github' | 'close'>;
  afterEach(async () => {
    expect(h.github.unexpected).toEqual([]);
    await h.close();
  });

  /** A (tcp, dated 2099) then its child B (http, dated 2026) on master. */
  const commits = () => ({
    a: h.github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: FORGED }),
    b: h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master', date: REAL }),
  });
  const final = (sha: string) => h.github.statuses.filter((s) => s.sha === sha).at(-1);

  it('through the Lambda handler: does not block its child, which is applied after it', async () => {
    const lambda = await startServerlessHarness();
    h = lambda;
    const { a, b } = commits();
    for (const sha of [a, b]) expect((await lambda.deliver('push', pushOf(sha))).statusCode).toBe(202);
    expect(final(b)).toMatchObject({ state: 'success' });
    expect(await liveProtocol(h.consul.url)).toBe('http');
  });

  it('through the Lambda handler: delivered again after its child, it does not roll the mesh back', async () => {
    const lambda = await startServerlessHarness();
    h = lambda;
    const { a, b } = commits();
    for (const sha of [a, b]) expect((await lambda.deliver('push', pushOf(sha))).statusCode).toBe(202);
    // A second push event for A (a redelivery has the same id and is a duplicate; this one is new).
    expect((await lambda.deliver('push', { ...pushOf(a), before: b }, { deliveryId: 'replayed-a' })).statusCode).toBe(202);
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(final(a)).toMatchObject({ state: 'error' });
    expect(final(a)!.description).toContain(`not applied: commit ${a.slice(0, 12)} is older than the applied ${b.slice(0, 12)} by the history`);
  });

  it('through `serve`: the child applied first, the forged-date parent after it is refused', async () => {
    const serve = await startServeHarness();
    h = serve;
    const { a, b } = commits();
    for (const sha of [b, a]) expect(await serve.deliver('push', pushOf(sha))).toBe(202);
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(final(a)).toMatchObject({ state: 'error' });
  });
});

describe('a commit with a forged future committer date, CLI apply --commit in a git repository', () => {
  const server = devServerPerTest();

  it('the child is applied after the forged-date parent, and the parent after the child is refused', async () => {
    const dir = tempTree(treeWith('tcp'));
    const git = commitAll(dir);
    const a = git('rev-parse', 'HEAD').trim();
    writeFileSync(join(dir, 'config-entries/api.hcl'), treeWith('http')['config-entries/api.hcl']);
    git('commit', '-qam', 'B: http');
    const b = git('rev-parse', 'HEAD').trim();
    const applyAt = (sha: string, time: string) => {
      git('checkout', '-q', sha);
      return runAgainst(server.url, applyCommand, ['--commit', sha, '--commit-time', time, '--lock-wait', '0'], dir);
    };
    expect((await applyAt(a, FORGED)).code).toBe(0);
    const child = await applyAt(b, REAL);
    expect([child.code, child.stderr]).toEqual([0, '']);
    expect(await liveProtocol(server.url)).toBe('http');
    const parent = await applyAt(a, FORGED);
    expect(parent.code).toBe(1);
    expect(parent.stderr).toContain('refusing to roll the mesh back');
    expect(await liveProtocol(server.url)).toBe('http');
  });
});
