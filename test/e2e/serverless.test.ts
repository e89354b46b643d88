// The serverless path end to end over loopback: a signed GitHub push → webhook function → Lambda
// API (double) → reconcile function → the dev server holds the entries → the GitHub double got a
// success status. And a pull request → plan comment; and the schedule → drift issue.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { configPush, example, SECRET, signed } from '../functions/webhook/github-examples.ts';

const GITHUB_TOKEN = 'ghp_e2eTOKENnever-logged-0123456789';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/api-intentions.yaml':
    'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceIntentions\nmetadata:\n  name: api\nspec:\n  destination:\n    name: api\n  sources:\n    - name: web\n      action: allow\n',
};

let consul: DevServer;
let github: GitHubDouble;
let lambda: LambdaDouble;
let logs: string[];

beforeEach(async () => {
  consul = await startDevServer({ port: 0 });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  lambda = await startLambdaDouble();
  logs = [];
  const reconcile = createReconcileHandler({
    env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN, GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master' },
    overrides: { github: { throttle: false, retries: 0 } },
    log: (l) => logs.push(l),
  });
  lambda.onInvoke = (inv) => reconcile(inv.payload);
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close(), lambda.close()]);
});

const lambdaClient = () =>
  new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

function webhook() {
  return createHandler({
    env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET },
    lambda: lambdaClient(),
    log: (l) => logs.push(l),
  });
}

async function deliver(event: string, payload: unknown) {
  const req = await signed(event, payload);
  const res = await webhook()({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
  await Promise.all(lambda.runs);
  return res;
}

describe('serverless path', () => {
  it('push to the default branch → entries in Consul and a success status on the commit', async () => {
    const sha = github.addCommit(tree, 'onboard api', { branch: 'master' });
    const push = configPush();
    push.after = sha;
    const res = await deliver('push', push);
    expect(res.statusCode).toBe(202);
    expect(lambda.invocations).toHaveLength(1);
    expect(lambda.invocations[0]).toMatchObject({ invocationType: 'Event', payload: { mode: 'apply', sha } });
    const live = (await (await fetch(`${consul.url}/v1/config/service-defaults/api`)).json()) as Record<string, unknown>;
    expect(live).toMatchObject({ MutualTLSMode: 'permissive', Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' } });
    const statuses = github.statuses.filter((s) => s.sha === sha);
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'success']);
    expect(statuses[1]).toMatchObject({ context: 'consul-gitops/default' });
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  it('a redelivered push does no work twice', async () => {
    const sha = github.addCommit(tree, 'onboard api', { branch: 'master' });
    const push = configPush();
    push.after = sha;
    const req = await signed('push', push, { deliveryId: 'same-delivery' });
    const event = { headers: req.headers, body: req.body, isBase64Encoded: false } as never;
    await createHandler({ env: { RECONCILE_FUNCTION_NAME: 'r', DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET }, lambda: lambdaClient(), log: () => {} })(event);
    await createHandler({ env: { RECONCILE_FUNCTION_NAME: 'r', DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET }, lambda: lambdaClient(), log: () => {} })(event);
    await Promise.all(lambda.runs);
    // Two containers both invoked reconcile; the second run saw the delivery in Consul KV and stopped.
    expect(lambda.invocations).toHaveLength(2);
    expect(github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('pull request → plan only, posted as one comment updated in place', async () => {
    github.addCommit(tree, 'base', { branch: 'master' });
    const changed = { ...tree, 'config-entries/api.hcl': tree['config-entries/api.hcl'].replace('permissive', 'strict') };
    const number = github.addPullRequest({ head: 'strict-api', files: changed });
    const head = github.refSha('strict-api')!;
    const pr = example('pull_request', (p) => p.action === 'opened');
    pr.number = number;
    pr.pull_request.number = number;
    pr.pull_request.head.sha = head;
    pr.pull_request.base.ref = 'master';
    const res = await deliver('pull_request', pr);
    expect(res.statusCode).toBe(202);
    expect(lambda.invocations[0]!.payload).toMatchObject({ mode: 'plan', pullRequest: { number } });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('Plan: 3 to create, 0 to update, 0 to delete.');
    // File links follow the configured GitHub (here the double standing in for an Enterprise host), never github.com.
    expect(github.comments[0]!.body).toContain(`href="${github.url}/Codertocat/Hello-World/blob/${head}/config-entries/api.hcl#L1"`);
    expect(github.comments[0]!.body).not.toContain('https://github.com/');
    // Nothing was written to Consul for a pull request.
    expect(await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()).toEqual([]);
    expect(github.statuses.find((s) => s.sha === head && s.state === 'success')).toBeDefined();
  });

  it('a tree with errors fails the commit status with file and line, and applies nothing', async () => {
    const sha = github.addCommit({ ...tree, 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permisive"\n' }, 'typo', { branch: 'master' });
    const push = configPush();
    push.after = sha;
    await deliver('push', push);
    const status = github.statuses.filter((s) => s.sha === sha).at(-1)!;
    expect(status.state).toBe('failure');
    expect(status.description).toContain('error(s) in config entries');
    expect(await (await fetch(`${consul.url}/v1/config/mesh`)).json()).toEqual([]);
  });

  it('an unreachable Consul ends the commit status in error, not pending, and the run fails for a retry', async () => {
    const sha = github.addCommit(tree, 'onboard api', { branch: 'master' });
    const closed = await startDevServer({ port: 0 });
    await closed.close(); // a port nothing listens on any more
    const reconcile = createReconcileHandler({
      env: { CONSUL_HTTP_ADDR: closed.url, GITHUB_TOKEN, GITHUB_API_URL: github.url },
      overrides: { github: { throttle: false, retries: 0 }, consul: { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } } },
      log: () => {},
    });
    await expect(
      reconcile({ repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/master', deliveryId: 'd-down', mode: 'apply' }),
    ).rejects.toThrow();
    const states = github.statuses.filter((s) => s.sha === sha);
    expect(states.map((s) => s.state)).toEqual(['error']);
    expect(states[0]!.description).toContain('reconcile failed');
  });

  it('schedule → drift check → one drift issue, closed once Consul matches again', async () => {
    github.addCommit(tree, 'onboard api', { branch: 'master' });
    const schedule = createScheduleHandler({
      env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', GITHUB_REPOSITORY: 'Codertocat/Hello-World', DEFAULT_BRANCH: 'master' },
      lambda: lambdaClient(),
      log: () => {},
    });
    await schedule({ id: 'evt-1' });
    await Promise.all(lambda.runs);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ state: 'open' });
    expect(github.issues[0]!.body).toContain('3 to create');
    // Someone applies the branch; the next run finds no drift and closes the issue.
    const sha = github.refSha('master')!;
    const push = configPush();
    push.after = sha;
    await deliver('push', push);
    lambda.runs.length = 0;
    await schedule({ id: 'evt-2' });
    await Promise.all(lambda.runs);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ state: 'closed' });
  });
});
