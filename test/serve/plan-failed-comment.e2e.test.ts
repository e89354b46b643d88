// A pull request's plan comment is edited in place on every push. When the plan of a newer head
// failed (Consul refused the token, GitHub failed under the run), only the status said so: the
// comment still showed the older head's plan, and a reviewer read a plan for a head that no longer
// plans. The comment now says the plan for that head failed and why, as the status says it but
// whole, never a secret, and no longer shows the older plan. serve, the GitHub double, the dev
// server with ACLs behind a proxy that sends the token Consul no longer knows once it is revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { pullRequestOpened } from '../support/github-events.ts';

const ROOT = 'root-4b5c6d7e-0000-4000-8000-000000000001';
const GONE = 'gone-4b5c6d7e-0000-4000-8000-000000000002';
const acl = { defaultPolicy: 'deny' as const, tokens: [{ secret: ROOT, management: true }] };
const web = (protocol: string) => ({ 'config-entries/web.hcl': `Kind = "service-defaults"\nName = "web"\nProtocol = "${protocol}"\n` });

let h: ServeHarness;
let proxy: ConsulProxy;
let revoked = false;
beforeAll(async () => {
  h = await startServeHarness({ startServe: false, consul: { acl } });
  // Stands for the token being deleted in Consul: every request from then on carries a secret Consul does not know.
  proxy = await startConsulProxy(h.consul.url, (req) => {
    if (revoked) req.headers['x-consul-token'] = GONE;
    return 'forward';
  });
  await h.startServe({ env: { CONSUL_HTTP_ADDR: proxy.url, CONSUL_HTTP_TOKEN: ROOT } });
});
afterAll(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
  await proxy.close();
});

describe("a pull request whose newer head's plan failed", () => {
  it("its plan comment says that head's plan failed and why, in full, and no longer shows the older head's plan", async () => {
    const pr = await h.openPullRequest('feature', web('http'));
    const ours = () => h.github.comments.filter((c) => c.issue_number === pr.number && c.body.includes('consul-gitops:plan-default'));
    expect(ours()).toHaveLength(1);
    expect(ours()[0].body).toContain(pr.head.slice(0, 12));
    expect(ours()[0].body).toMatch(/1 to create/);

    revoked = true;
    const head = h.github.addCommit(web('grpc'), 'web: grpc', { branch: 'feature' });
    const sync = { ...pullRequestOpened(h.github, pr.number, 'feature'), action: 'synchronize', before: pr.head };
    expect(await h.deliver('pull_request', sync)).toBe(202);

    const status = h.github.statuses.filter((s) => s.sha === head).at(-1);
    expect(status).toMatchObject({ state: 'error', description: expect.stringMatching(/^Plan failed: ACL not found/) });
    const comments = ours();
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    expect(body).toContain(`The plan for ${head} could not be made`);
    expect(body).toContain(status!.description);
    expect(body).not.toContain(pr.head.slice(0, 12));
    expect(body).not.toMatch(/to create|to update/);
    expect(body).not.toContain(GONE);
    expect(body).not.toContain(ROOT);
  });

  it('a reason longer than the status holds is whole in the comment; the status is cut at 140 characters', async () => {
    revoked = false;
    const pr = await h.openPullRequest('longer', web('http'));
    const why = `tree read refused: ${'the repository is being moved to another storage node; '.repeat(4)}try again later`;
    h.github.fail({ method: 'GET', path: /\/git\/trees\//, status: 500, body: { message: why } });
    const head = h.github.addCommit(web('grpc'), 'web: grpc', { branch: 'longer' });
    expect(await h.deliver('pull_request', { ...pullRequestOpened(h.github, pr.number, 'longer'), action: 'synchronize', before: pr.head })).toBe(202);

    const status = h.github.statuses.filter((s) => s.sha === head).at(-1);
    expect(status?.state).toBe('error');
    expect(status?.description).toMatch(/^Plan failed: .*…$/);
    const body = h.github.comments.find((c) => c.issue_number === pr.number && c.body.includes('consul-gitops:plan-default'))?.body;
    expect(body).toContain(`The plan for ${head} could not be made`);
    expect(body).toContain(why);
    expect(body).not.toContain(pr.head.slice(0, 12));
  });
});
