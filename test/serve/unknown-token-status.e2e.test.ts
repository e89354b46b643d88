// A token Consul does not know (deleted, expired, another cluster's) is answered `403 ACL not found`
// and nothing more. The CLI adds a hint (test/cli/unknown-token.test.ts); under serve and Lambda the
// commit status is all a person sees, and said "reconcile failed: ACL not found". It now says, within
// GitHub's 140 characters, that Consul knows no token with the secret and where that secret was
// set, never the secret itself: for a push's apply, a pull request's plan, and a target's tokenEnv.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { startServerlessHarness } from '../support/serverless-harness.ts';
import { pushOf } from '../support/github-events.ts';

const ROOT = 'root-7c1d2e3f-0000-4000-8000-000000000001';
const GONE = 'gone-7c1d2e3f-0000-4000-8000-000000000002';
const WEB = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };
const acl = { defaultPolicy: 'deny' as const, tokens: [{ secret: ROOT, management: true }] };

const hint = (from: string) => `ACL not found: no token in Consul has the secret in ${from} (deleted, expired or another cluster's)`;

function expectHinted(s: { description?: string } | undefined, opening: string, from: string): void {
  expect(s?.description).toBe(`${opening}${hint(from)}`);
  expect(s!.description!.length).toBeLessThanOrEqual(140);
  expect(s!.description).not.toContain(GONE);
}

describe('serve with CONSUL_HTTP_TOKEN set to a secret Consul does not know', () => {
  let h: ServeHarness;
  beforeAll(async () => {
    h = await startServeHarness({ startServe: false, consul: { acl } });
    await h.startServe({ env: { CONSUL_HTTP_TOKEN: GONE } });
  });
  afterAll(() => h.close());

  it("a push's status says the token is unknown to Consul and names CONSUL_HTTP_TOKEN", async () => {
    expect(await h.push(WEB)).toBe(202);
    const last = h.github.statuses.at(-1);
    expect(last?.state).toBe('error');
    expectHinted(last, 'reconcile failed: ', 'CONSUL_HTTP_TOKEN');
    expect((await fetch(`${h.consul.url}/v1/config/service-defaults/web`, { headers: { 'x-consul-token': ROOT } })).status).toBe(404);
  });

  it("a pull request's plan status says the same", async () => {
    const pr = await h.openPullRequest('feature', WEB);
    const last = h.github.statuses.filter((s) => s.sha === pr.head).at(-1);
    expect(last?.state).toBe('error');
    expectHinted(last, 'Plan failed: ', 'CONSUL_HTTP_TOKEN');
  });
});

describe('the reconcile Lambda with a target whose tokenEnv holds a secret Consul does not know', () => {
  let consul: DevServer;
  beforeAll(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1', acl });
  });
  afterAll(() => consul.close());

  it('the status names the target’s tokenEnv variable', async () => {
    const h = await startServerlessHarness({
      env: {
        CONSUL_HTTP_ADDR: consul.url,
        TARGETS_CONFIG: 'targets:\n  - name: default\n    dir: config-entries\n    consul:\n      tokenEnv: DC1_CONSUL_TOKEN\n',
        DC1_CONSUL_TOKEN: GONE,
      },
    });
    try {
      const sha = h.github.addCommit(WEB, 'web', { branch: 'master' });
      await h.deliver('push', pushOf(sha)).catch(() => undefined);
      const last = h.github.statuses.filter((s) => s.sha === sha).at(-1);
      expect(last?.state).toBe('error');
      expectHinted(last, 'reconcile failed: ', 'tokenEnv DC1_CONSUL_TOKEN');
      expect(h.logs.join('\n')).not.toContain(GONE);
    } finally {
      await h.close();
    }
  });
});
