// The webhook Lambda and `serve` accept deliveries through one flow (src/app/webhook/accept-delivery.ts):
// the same deliveries, fed to both production paths, get the same status codes and answers, and
// start reconciles for the same targets (Lambda invocations; serve's queued jobs).
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { startServe, type ServeHandle } from '../../../src/serve/server.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { startLambdaDouble, type LambdaDouble } from '../../support/lambda-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { branchPush, configPush, example, SECRET, signed, type SignedRequest } from './github-examples.ts';

let lambda: LambdaDouble;
let client: LambdaClient;
let consul: DevServer;
/** dc2's own Consul: two targets on one Consul are refused (each would prune the other's entries). */
let consul2: DevServer;
let github: GitHubDouble;
let serve: ServeHandle;
const serveLogs: string[] = [];

beforeAll(async () => {
  [lambda, consul, consul2, github] = await Promise.all([
    startLambdaDouble(),
    startDevServer({ port: 0, host: '127.0.0.1' }),
    startDevServer({ port: 0, host: '127.0.0.1' }),
    startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' }),
  ]);
  client = new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  serve = await startServe({
    env: {
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: 'ghp_parityTOKEN0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      TARGETS_CONFIG: JSON.stringify({
        targets: [
          { name: 'dc1', consul: { address: consul.url } },
          { name: 'dc2', consul: { address: consul2.url } },
        ],
      }),
    },
    port: 0,
    host: '127.0.0.1',
    overrides: { github: { throttle: false, retries: 0 } },
    log: (l) => serveLogs.push(l),
    scheduleIntervalMs: 0,
    stopTimeoutMs: 2000,
  });
});

afterAll(async () => {
  client.destroy();
  await serve.close();
  await Promise.all([lambda.close(), consul.close(), consul2.close(), github.close()]);
});

interface Answer {
  status: number;
  body: unknown;
  /** Targets a reconcile was started for. */
  targets: string[];
}

async function viaLambda(handler: ReturnType<typeof createHandler>, request: SignedRequest): Promise<Answer> {
  lambda.invocations.length = 0;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: request.headers,
    requestContext: {},
    body: request.body,
    isBase64Encoded: false,
  };
  const result = await handler(event as unknown as APIGatewayProxyEventV2);
  return {
    status: result.statusCode!,
    body: JSON.parse(String(result.body)),
    targets: lambda.invocations.map((i) => (i.payload as { target: string }).target).sort(),
  };
}

async function viaServe(request: SignedRequest): Promise<Answer> {
  const before = serveLogs.length;
  const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: request.headers, body: request.body });
  const queued = serveLogs
    .slice(before)
    .map((l) => JSON.parse(l) as { message: string; queue?: Record<string, string> })
    .find((l) => l.message === 'Reconcile queued');
  return { status: res.status, body: await res.json(), targets: Object.keys(queued?.queue ?? {}).sort() };
}

describe('one accept flow for the webhook Lambda and serve', () => {
  it('answers the same deliveries the same way', async () => {
    const handler = createHandler({
      env: {
        RECONCILE_FUNCTION_NAME: 'reconcile',
        GITHUB_WEBHOOK_SECRET: SECRET,
        DEFAULT_BRANCH: 'master',
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        TARGETS: 'dc1,dc2',
      },
      lambda: client,
      log: () => {},
    });
    const otherBranch = branchPush();
    otherBranch.ref = 'refs/heads/feature';
    const opened = example('pull_request', (p) => p.action === 'opened');
    opened.pull_request.base.ref = 'master';
    const push = await signed('push', configPush(), { deliveryId: 'parity-push' });
    const deliveries: [string, SignedRequest][] = [
      ['ping', await signed('ping', example('ping'))],
      ['bad signature', await signed('push', configPush(), { secret: 'not-the-secret' })],
      ['push to another branch', await signed('push', otherBranch)],
      ['push to the branch, 2 targets', push],
      ['the same delivery again', push],
      ['pull request opened', await signed('pull_request', opened, { deliveryId: 'parity-pr' })],
    ];
    const lambdaAnswers: Record<string, Answer> = {};
    const serveAnswers: Record<string, Answer> = {};
    for (const [name, request] of deliveries) {
      lambdaAnswers[name] = await viaLambda(handler, request);
      serveAnswers[name] = await viaServe(request);
    }
    expect(serveAnswers).toEqual(lambdaAnswers);
    expect(
      Object.fromEntries(Object.entries(lambdaAnswers).map(([k, a]) => [k, [a.status, (a.body as { outcome: string }).outcome, a.targets.join(',')]])),
    ).toEqual({
      ping: [200, 'pong', ''],
      'bad signature': [401, 'rejected', ''],
      'push to another branch': [202, 'ignored', ''],
      'push to the branch, 2 targets': [202, 'accepted', 'dc1,dc2'],
      'the same delivery again': [200, 'duplicate', ''],
      'pull request opened': [202, 'accepted', 'dc1,dc2'],
    });
    await serve.idle();
  });
});
