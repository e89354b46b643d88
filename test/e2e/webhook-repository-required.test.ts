// An organisation-wide webhook signs every repository's pushes with one secret: without
// GITHUB_REPOSITORY, a validly signed push to another repository of the organisation (same branch
// name) was applied to this Consul. The webhook function and `serve` now fail closed (they refuse to
// run without it, naming the variable), a delivery from another repository is ignored with a log
// line, and the reconcile function drops an event for another repository. Production paths only:
// the Lambda handlers over the Lambda API double, `serve` through its command.
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/webhook/handler.ts';
import { serveCommand } from '../../src/cli/serve-command.ts';
import { SECRET, signed } from '../functions/webhook/github-examples.ts';
import { pullRequestOpened, pushOf } from '../support/github-events.ts';
import { GITHUB_TOKEN, OWNER, REPO, RECONCILE_FUNCTION_NAME, startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';

const api = { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' };
const REQUIRED =
  "GITHUB_REPOSITORY: required (the repository whose pushes are applied and whose pull requests are planned: a webhook signs every repository's deliveries with the same secret, so any other repository's are ignored)";

let h: ServerlessHarness;
afterEach(async () => {
  await h.close();
});

/** The same push as GitHub sends it, from another repository of the same owner. */
function fromSibling(payload: Record<string, any>): Record<string, any> {
  payload.repository = { ...payload.repository, name: 'other-mesh', full_name: `${OWNER}/other-mesh` };
  return payload;
}

const apiStatus = async () => (await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).status;

describe('the webhook function', () => {
  it('without GITHUB_REPOSITORY refuses every delivery, naming the variable, and starts nothing', async () => {
    h = await startServerlessHarness();
    const sha = h.github.addCommit(api, 'api', { branch: 'master' });
    const logs: string[] = [];
    const webhook = createHandler({
      env: { RECONCILE_FUNCTION_NAME, DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET },
      lambda: h.lambdaClient(),
      log: (l) => logs.push(l),
    });
    const req = await signed('push', pushOf(sha));
    await expect(webhook({ headers: req.headers, body: req.body, isBase64Encoded: false } as never)).rejects.toThrow(
      `invalid webhook configuration: ${REQUIRED}`,
    );
    await Promise.all(h.lambda.runs);
    expect(h.lambda.invocations).toEqual([]);
    expect(await apiStatus()).toBe(404);
  });

  it('ignores a validly signed push and pull request from another repository, with a log line', async () => {
    h = await startServerlessHarness();
    const sha = h.github.addCommit(api, 'api', { branch: 'master' });
    const push = await h.deliver('push', fromSibling(pushOf(sha)));
    expect(push.statusCode).toBe(202);
    expect(JSON.parse(push.body as string)).toMatchObject({ outcome: 'ignored', reason: `repository ${OWNER}/other-mesh is not configured here` });
    h.github.addCommit(api, 'api on a branch', { branch: 'feature' });
    const number = h.github.addPullRequest({ head: 'feature', files: api });
    const pr = await h.deliver('pull_request', fromSibling(pullRequestOpened(h.github, number, 'feature')));
    expect(JSON.parse(pr.body as string)).toMatchObject({ outcome: 'ignored' });
    expect(h.logs.filter((l) => l.includes(`repository ${OWNER}/other-mesh is not configured here`))).toHaveLength(2);
    expect(h.lambda.invocations).toEqual([]);
    expect(await apiStatus()).toBe(404);
    expect(h.github.statuses).toEqual([]);
  });
});

describe('the reconcile function', () => {
  it('drops an event for a repository other than its GITHUB_REPOSITORY (an invoke by hand), applying nothing', async () => {
    h = await startServerlessHarness();
    const sha = h.github.addCommit(api, 'api', { branch: 'master' });
    const client = h.lambdaClient();
    const { InvokeCommand } = await import('@aws-sdk/client-lambda');
    const event = { repository: { owner: OWNER, name: 'other-mesh' }, sha, ref: 'refs/heads/master', deliveryId: 'd-sibling', mode: 'apply' };
    await client.send(new InvokeCommand({ FunctionName: RECONCILE_FUNCTION_NAME, InvocationType: 'Event', Payload: JSON.stringify(event) }));
    await Promise.all(h.lambda.runs);
    const ignored = h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'Reconcile event ignored: not the configured repository');
    expect(ignored).toMatchObject({ level: 'WARN', repository: `${OWNER}/other-mesh`, configured: `${OWNER}/${REPO}` });
    expect(await apiStatus()).toBe(404);
    expect(h.github.statuses).toEqual([]);
  });
});

describe('serve', () => {
  it('without GITHUB_REPOSITORY refuses to start, naming the variable', async () => {
    h = await startServerlessHarness();
    let stderr = '';
    let stdout = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    const env = { GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN, GITHUB_API_URL: h.github.url, CONSUL_HTTP_ADDR: h.consul.url };
    const code = await serveCommand(['--port', '0'], io, Promise.resolve(), { env, log: () => {} });
    expect(code).toBe(1);
    expect(stderr).toContain(`error: invalid serve configuration: ${REQUIRED}`);
    expect(stdout).not.toContain('listening');
  });
});
