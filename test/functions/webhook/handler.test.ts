// The Lambda handler end to end: a Function URL event in, a real LambdaClient out to a loopback
// double of the Lambda Invoke API.
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type WebhookHandler } from '../../../functions/webhook/handler.ts';
import { startLambdaDouble, type LambdaDouble } from '../../support/lambda-double.ts';
import { SECRET, branchPush, configPush, example, signed, type SignedRequest } from './github-examples.ts';

let lambda: LambdaDouble;
let client: LambdaClient;
let logs: string[];

beforeAll(async () => {
  lambda = await startLambdaDouble();
  client = new LambdaClient({
    endpoint: lambda.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
});

afterEach(() => {
  expect(lambda.unexpected).toEqual([]);
  lambda.invocations.length = 0;
  lambda.failWith = undefined;
});

afterAll(async () => {
  client.destroy();
  await lambda.close();
});

/** A fresh container: its own configuration, secret cache and delivery memory. */
function container(env: Record<string, string> = {}): WebhookHandler {
  logs = [];
  return createHandler({
    env: {
      RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile',
      DEFAULT_BRANCH: 'master',
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      ...env,
    },
    lambda: client,
    log: (line) => logs.push(line),
  });
}

/** As a Lambda Function URL delivers it (payload format 2.0). */
function urlEvent(request: SignedRequest, base64 = false): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: request.headers,
    requestContext: { http: { method: 'POST', path: '/' } } as APIGatewayProxyEventV2['requestContext'],
    body: base64 ? Buffer.from(request.body).toString('base64') : request.body,
    isBase64Encoded: base64,
  };
}

function parsed(result: Awaited<ReturnType<WebhookHandler>>) {
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

describe('webhook handler', () => {
  it('invokes reconcile asynchronously for a push touching config entries, and answers 202', async () => {
    const handler = container();
    const result = parsed(await handler(urlEvent(await signed('push', configPush(), { deliveryId: 'delivery-1' }))));
    expect(result).toEqual({ status: 202, body: { outcome: 'accepted', reason: 'reconcile started', event: 'push', deliveryId: 'delivery-1' } });
    expect(lambda.invocations).toEqual([
      {
        functionName: 'consul-gitops-reconcile',
        invocationType: 'Event',
        payload: {
          repository: { owner: 'Codertocat', name: 'Hello-World' },
          sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          ref: 'refs/heads/master',
          deliveryId: 'delivery-1',
          mode: 'apply',
          payloadDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      },
    ]);
  });

  it('invokes reconcile in plan mode for a pull_request synchronize', async () => {
    const handler = container({ TARGET: 'prod' });
    const payload = example('pull_request', (p) => p.action === 'synchronize');
    const result = parsed(await handler(urlEvent(await signed('pull_request', payload, { deliveryId: 'delivery-pr' }), true)));
    expect(result.status).toBe(202);
    expect(lambda.invocations).toHaveLength(1);
    expect(lambda.invocations[0]).toMatchObject({
      invocationType: 'Event',
      payload: { mode: 'plan', sha: payload.pull_request.head.sha, pullRequest: { number: 2, headSha: payload.pull_request.head.sha }, target: 'prod' },
    });
  });

  it('fans out one invocation per configured target, in parallel', async () => {
    const handler = container({ TARGETS: 'dc1, dc2' });
    const result = parsed(await handler(urlEvent(await signed('push', configPush(), { deliveryId: 'delivery-fan' }))));
    expect(result.status).toBe(202);
    expect(lambda.invocations.map((i) => (i.payload as { target: string }).target).sort()).toEqual(['dc1', 'dc2']);
    expect(lambda.invocations.every((i) => i.invocationType === 'Event')).toBe(true);
  });

  it('does no work twice for a redelivery', async () => {
    const handler = container();
    const request = await signed('push', configPush(), { deliveryId: 'delivery-again' });
    expect(parsed(await handler(urlEvent(request))).status).toBe(202);
    const again = parsed(await handler(urlEvent(request)));
    expect(again).toMatchObject({ status: 200, body: { outcome: 'duplicate', deliveryId: 'delivery-again' } });
    expect(lambda.invocations).toHaveLength(1);
  });

  it('rejects a tampered body or a wrong secret with 401 and invokes nothing', async () => {
    const handler = container();
    const request = await signed('push', configPush());
    const tampered = { ...request, body: request.body.replace('"master"', '"main"') };
    expect(parsed(await handler(urlEvent(tampered))).status).toBe(401);
    expect(parsed(await handler(urlEvent(await signed('push', configPush(), { secret: 'guess' })))).status).toBe(401);
    expect(lambda.invocations).toEqual([]);
  });

  it('answers 413 to a body over 25 MB', async () => {
    const handler = container();
    const body = JSON.stringify({ filler: 'x'.repeat(25 * 1024 * 1024) });
    const result = await handler(urlEvent({ headers: { 'x-github-event': 'push' }, body }));
    expect(result.statusCode).toBe(413);
    expect(lambda.invocations).toEqual([]);
  });

  it('answers ping 200 and an unknown event 202 without invoking', async () => {
    const handler = container();
    expect(parsed(await handler(urlEvent(await signed('ping', example('ping'))))).status).toBe(200);
    expect(parsed(await handler(urlEvent(await signed('star', example('star'))))).body.outcome).toBe('ignored');
    expect(lambda.invocations).toEqual([]);
  });

  it('acknowledges and ignores tag pushes, other branches and pushes outside config-entries', async () => {
    const handler = container();
    const tag = example('push', (p) => p.ref.startsWith('refs/tags/') && !p.deleted);
    const reasons = [];
    for (const [payload, env] of [
      [tag, {}],
      [branchPush(), {}],
    ] as const) {
      reasons.push(parsed(await handler(urlEvent(await signed('push', payload, env)))).body.reason);
    }
    const main = container({ DEFAULT_BRANCH: 'main' });
    reasons.push(parsed(await main(urlEvent(await signed('push', configPush())))).body.reason);
    expect(reasons).toEqual([
      'tag push (refs/tags/simple-tag) is not deployed',
      'push changes nothing under config-entries/',
      'push to refs/heads/master, not to the target branch refs/heads/main',
    ]);
    expect(lambda.invocations).toEqual([]);
  });

  it('answers 503 when reconcile cannot be started, and lets a redelivery retry', async () => {
    const handler = container();
    const request = await signed('push', configPush(), { deliveryId: 'delivery-retry' });
    lambda.failWith = { status: 429, errorType: 'TooManyRequestsException', message: 'Rate exceeded' };
    const failed = parsed(await handler(urlEvent(request)));
    expect(failed).toMatchObject({ status: 503, body: { outcome: 'failed' } });
    lambda.failWith = undefined;
    expect(parsed(await handler(urlEvent(request))).status).toBe(202);
    expect(lambda.invocations.map((i) => i.invocationType)).toEqual(['Event', 'Event']);
  });

  it('never logs or answers the secret', async () => {
    const handler = container();
    const results = [
      await handler(urlEvent(await signed('push', configPush()))),
      await handler(urlEvent(await signed('push', configPush(), { secret: 'wrong' }))),
      await handler(urlEvent(await signed('ping', example('ping')))),
    ];
    const everything = JSON.stringify(results) + logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(SECRET);
  });

  it('fails the cold start on invalid configuration, naming fields only', async () => {
    const handler = createHandler({ env: { GITHUB_WEBHOOK_SECRET: SECRET }, lambda: client });
    await expect(handler(urlEvent(await signed('ping', example('ping'))))).rejects.toThrow('invalid webhook configuration: RECONCILE_FUNCTION_NAME');
  });
});
