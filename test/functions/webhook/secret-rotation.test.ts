// The webhook Lambda with its secret in Secrets Manager (a loopback double of the API, read through
// Powertools Parameters and the real SDK client): a rotated secret is picked up on the first
// delivery GitHub signs with it, forged signatures do not turn into a stream of store reads, and a
// store that fails gives 503 without the secret anywhere.
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type WebhookHandler } from '../../../functions/webhook/handler.ts';
import { startLambdaDouble, type LambdaDouble } from '../../support/lambda-double.ts';
import { awsEnv, startSecretsDouble, type SecretsDouble } from '../../support/aws-secrets-double.ts';
import { configPush, example, signed, type SignedRequest } from './github-examples.ts';

const OLD = 'old-webhook-secret-0123';
const NEW = 'new-webhook-secret-4567';
let lambda: LambdaDouble;
let client: LambdaClient;
let aws: SecretsDouble;
let logs: string[];

beforeAll(async () => {
  [lambda, aws] = await Promise.all([startLambdaDouble(), startSecretsDouble()]);
  client = new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await Promise.all([lambda.close(), aws.close()]);
});
beforeEach(() => {
  lambda.invocations.length = 0;
  aws.calls.length = 0;
  aws.failWith = undefined;
  aws.secrets.set('consul-gitops/webhook', OLD);
});

function container(): WebhookHandler {
  logs = [];
  return createHandler({
    env: {
      RECONCILE_FUNCTION_NAME: 'reconcile',
      DEFAULT_BRANCH: 'master',
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      WEBHOOK_SECRET_ARN: 'consul-gitops/webhook',
      ...awsEnv(aws),
    },
    lambda: client,
    log: (line) => logs.push(line),
  });
}

function urlEvent(request: SignedRequest): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: request.headers,
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
    body: request.body,
    isBase64Encoded: false,
  };
}

const statusOf = async (handler: WebhookHandler, request: SignedRequest) => (await handler(urlEvent(request))).statusCode;

describe('webhook secret rotation', () => {
  it('accepts the first delivery signed with the rotated secret, reading the store once more', async () => {
    const handler = container();
    expect(await statusOf(handler, await signed('push', configPush(), { secret: OLD }))).toBe(202);
    expect(aws.calls).toHaveLength(1);
    // Rotation: the store and GitHub's hook both get the new secret; the cache still holds the old one.
    aws.secrets.set('consul-gitops/webhook', NEW);
    // Another push (the same body again would be a replay, answered 200 and not run).
    const next = { ...configPush(), after: 'b'.repeat(40) };
    expect(await statusOf(handler, await signed('push', next, { secret: NEW }))).toBe(202);
    expect(await statusOf(handler, await signed('ping', example('ping'), { secret: NEW }))).toBe(200);
    expect(aws.calls).toHaveLength(2);
    expect(lambda.invocations).toHaveLength(2);
    expect(logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.secretRefreshed === true)).toHaveLength(1);
    // The old secret is no longer accepted.
    expect(await statusOf(handler, await signed('ping', example('ping'), { secret: OLD }))).toBe(401);
  });

  it('refuses forged signatures with at most one forced store read for many of them', async () => {
    const handler = container();
    for (let i = 0; i < 5; i++) expect(await statusOf(handler, await signed('push', configPush(), { secret: `guess-${i}` }))).toBe(401);
    expect(aws.calls).toHaveLength(2);
    expect(lambda.invocations).toEqual([]);
  });

  it('answers 503 when the store fails, and the secret is in no answer and no log line', async () => {
    const handler = container();
    aws.failWith = { status: 400, type: 'AccessDeniedException', message: `denied; the value is ${OLD}` };
    const result = await handler(urlEvent(await signed('push', configPush(), { secret: OLD })));
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toEqual({ outcome: 'failed', reason: 'webhook secret unavailable' });
    const line = logs.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.message === 'Webhook secret unavailable');
    // (The logger masks every value of a variable named *SECRET*, the secret's name in WEBHOOK_SECRET_ARN too.)
    expect(line).toMatchObject({
      level: 'ERROR',
      error: { name: 'SecretUnavailableError', message: 'secret [redacted]: could not be read (AccessDeniedException)' },
    });
    expect(JSON.stringify(result) + logs.join('\n')).not.toContain(OLD);
    aws.failWith = undefined;
    expect(await statusOf(handler, await signed('push', configPush(), { secret: OLD }))).toBe(202);
  });
});
