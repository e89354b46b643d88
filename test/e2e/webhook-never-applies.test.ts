// What the webhook path must never apply, through `serve` (the production accept flow the Lambda
// webhook function shares): a validly signed push from a repository other than the configured one,
// a tag push, a push to another branch, and a pull request from a fork (planned, never applied). Each
// delivery carries config that would change Consul if it were applied, so a check removed from the
// path makes these tests fail (the route unit tests alone did not pin the production path).
import { afterEach, describe, expect, it } from 'vitest';
import { signed } from '../functions/webhook/github-examples.ts';
import { pullRequestOpened, pushOf } from '../support/github-events.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

let h: ServeHarness;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

const api = { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' };

/** POSTs a signed delivery to serve; its status, its answer body, once serve's queue is idle. */
async function post(event: string, payload: unknown): Promise<{ status: number; body: { outcome: string; reason: string } }> {
  const req = await signed(event, payload);
  const res = await fetch(`${h.serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
  const body = (await res.json()) as { outcome: string; reason: string };
  await h.serve.idle();
  return { status: res.status, body };
}

async function nothingApplied(): Promise<void> {
  expect((await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).status).toBe(404);
  expect(h.github.statuses).toEqual([]);
}

describe('deliveries the webhook path never applies (serve)', () => {
  it('a validly signed push from a repository other than GITHUB_REPOSITORY is ignored', async () => {
    // serve is configured for another repository than the one the (signed) push comes from.
    h = await startServeHarness({ env: { GITHUB_REPOSITORY: 'Codertocat/mesh-config' } });
    const sha = h.github.addCommit(api, 'api', { branch: 'master' });
    const { status, body } = await post('push', pushOf(sha));
    expect(status).toBe(202);
    expect(body).toMatchObject({ outcome: 'ignored', reason: 'repository Codertocat/Hello-World is not configured here' });
    await nothingApplied();
  });

  it('a tag push carrying config entries is ignored', async () => {
    h = await startServeHarness();
    const sha = h.github.addCommit(api, 'api', { branch: 'release' });
    const push = { ...pushOf(sha), ref: 'refs/tags/v1.0.0', base_ref: 'refs/heads/master' };
    const { body } = await post('push', push);
    expect(body).toMatchObject({ outcome: 'ignored', reason: 'tag push (refs/tags/v1.0.0) is not deployed' });
    await nothingApplied();
  });

  it('a push to another branch is ignored', async () => {
    h = await startServeHarness();
    const sha = h.github.addCommit(api, 'api', { branch: 'feature' });
    const { body } = await post('push', { ...pushOf(sha), ref: 'refs/heads/feature' });
    expect(body).toMatchObject({ outcome: 'ignored' });
    expect(body.reason).toContain('not to the target branch refs/heads/master');
    await nothingApplied();
  });

  it('a pull request from a fork is planned on the pull request and never applied', async () => {
    h = await startServeHarness();
    // The fork's head commit, readable from the base repository (refs/pull/N/head on GitHub).
    h.github.addCommit(api, 'api from a fork', { branch: 'fork-head' });
    const number = h.github.addForkPullRequest({ headOwner: 'mallory', head: 'fork-head' });
    const pr = pullRequestOpened(h.github, number, 'fork-head');
    pr.pull_request.head.repo = { ...pr.pull_request.head.repo, full_name: 'mallory/Hello-World', fork: true };
    const { body } = await post('pull_request', pr);
    expect(body).toMatchObject({ outcome: 'accepted' });
    expect((await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).status).toBe(404);
    const comment = h.github.comments.find((c) => c.issue_number === number);
    expect(comment?.body).toContain('service-defaults/api');
    expect(h.github.statuses.map((s) => s.description)).not.toContainEqual(expect.stringMatching(/Apply:/));
    // Nothing recorded as applied either.
    expect((await fetch(`${h.consul.url}/v1/kv/consul-gitops/state/default/last-applied`)).status).toBe(404);
  });
});
