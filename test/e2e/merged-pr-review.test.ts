// A merged pull request through the Lambda handlers: the merge applies what Git says (GitOps), and
// when that is not the plan shown on the pull request's head, the merge commit's status says so,
// naming the entries, and the pull request gets a comment with the whole difference.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { configPush, example, SECRET, signed } from '../functions/webhook/github-examples.ts';
import { captureMetrics } from '../support/serverless-harness.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/api-intentions.hcl': 'Kind = "service-intentions"\nName = "api"\nSources = [{ Name = "web", Action = "allow" }]\n',
};
const strict = { ...tree, 'config-entries/api.hcl': tree['config-entries/api.hcl'].replace('permissive', 'strict') };

let consul: DevServer;
let github: GitHubDouble;
let lambda: LambdaDouble;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  lambda = await startLambdaDouble();
  const reconcile = createReconcileHandler({
    env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN: 'ghp_reviewTOKEN0123456789abcdef', GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master' },
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => undefined,
    metrics: captureMetrics().metrics,
  });
  lambda.onInvoke = (inv) => reconcile(inv.payload);
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close(), lambda.close()]);
});

async function deliver(event: string, payload: unknown) {
  const req = await signed(event, payload);
  const webhook = createHandler({
    env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET },
    lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    log: () => undefined,
  });
  const res = await webhook({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
  expect(res.statusCode).toBe(202);
  await Promise.all(lambda.runs);
}

async function pushed(sha: string) {
  const push = configPush();
  push.after = sha;
  await deliver('push', push);
}

/** The base applied, then a pull request making api strict, planned on its head. */
async function reviewedPullRequest(): Promise<number> {
  await pushed(github.addCommit(tree, 'base', { branch: 'master' }));
  const number = github.addPullRequest({ head: 'strict-api', files: strict });
  await planned(number);
  expect(github.comments.at(-1)!.body).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
  return number;
}

async function planned(number: number) {
  const pr = example('pull_request', (p) => p.action === 'opened');
  pr.number = number;
  pr.pull_request.number = number;
  pr.pull_request.head.sha = github.refSha('strict-api')!;
  pr.pull_request.base.ref = 'master';
  await deliver('pull_request', pr);
}

function mergeStatus(): { state: string; description?: string } {
  const merged = github.refSha('master')!;
  return github.statuses.filter((s) => s.sha === merged).at(-1)!;
}

describe('a merged pull request', () => {
  it('applied as reviewed: the status says only what was applied', async () => {
    const number = await reviewedPullRequest();
    github.closePullRequest(number, { merge: true });
    await pushed(github.refSha('master')!);
    expect(mergeStatus()).toMatchObject({ state: 'success', description: 'Apply: 1 applied, 0 failed, 0 conflicts, 0 not attempted.' });
    expect(github.comments.filter((c) => c.body.includes('not the plan reviewed here'))).toEqual([]);
  });

  it('when Consul changed after the review: applied as Git says, and the status and the pull request name what differs', async () => {
    const number = await reviewedPullRequest();
    // Someone deletes the intentions by hand after the review: the merge recreates them, unreviewed.
    expect((await fetch(`${consul.url}/v1/config/service-intentions/api`, { method: 'DELETE' })).status).toBe(200);
    github.closePullRequest(number, { merge: true });
    await pushed(github.refSha('master')!);
    const status = mergeStatus();
    expect(status.state).toBe('success');
    expect(status.description).toContain(`Differs from the plan reviewed on #${number} in 1 entry: service-intentions/api (no change → create).`);
    expect(status.description).toContain('Apply: 2 applied');
    const comment = github.comments.find((c) => c.body.includes('not the plan reviewed here'))!;
    expect(comment.issue_number).toBe(number);
    expect(comment.body).toContain('`service-intentions/api: create not in the reviewed plan`');
    // GitOps: what Git says is live.
    expect((await fetch(`${consul.url}/v1/config/service-intentions/api`)).status).toBe(200);
    const api = (await (await fetch(`${consul.url}/v1/config/service-defaults/api`)).json()) as { MutualTLSMode?: string };
    expect(api.MutualTLSMode).toBe('strict');
  });

  it('when its head moved after the last plan shown on it: the status says the merged head was never planned', async () => {
    const number = await reviewedPullRequest();
    const reviewedHead = github.refSha('strict-api')!;
    // A push to the branch whose pull_request event never arrived: its plan was never shown.
    github.addCommit({ ...strict, 'config-entries/api.hcl': strict['config-entries/api.hcl'].replace('"http"', '"grpc"') }, 'grpc', { branch: 'strict-api' });
    const mergedHead = github.refSha('strict-api')!;
    github.closePullRequest(number, { merge: true });
    await pushed(github.refSha('master')!);
    const status = mergeStatus();
    expect(status.description).toContain(
      `Not the reviewed plan: the plan shown on #${number} is for ${reviewedHead.slice(0, 7)}, not for its merged head ${mergedHead.slice(0, 7)}`,
    );
    const api = (await (await fetch(`${consul.url}/v1/config/service-defaults/api`)).json()) as { Protocol?: string };
    expect(api.Protocol).toBe('grpc');
  });
});
