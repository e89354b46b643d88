// The webhook Lambda: GitHub → Function URL (or API Gateway HTTP API) → route-event → async invoke of
// reconcile → answer. It talks to nothing but the Lambda API (and, once per container, the secrets
// extension), so it answers well inside GitHub's 10 s limit.
// Types only: the SDK is loaded on the first event that starts a reconcile, so a cold start that
// answers a ping, a bad signature or an ignored push never pays for it.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Buffer } from 'node:buffer';
// zod/mini keeps this bundle small (full zod alone is ~440 KB minified).
import * as z from 'zod/mini';
import type { ReconcileRequest } from '../../src/app/reconcile-request.ts';
import { secretSourceFor, type SecretSource } from '../../src/adapters/secrets/secret-source.ts';
import { RecentDeliveries } from '../../src/app/webhook/recent-deliveries.ts';
import { decisionBody, routeWebhook, type DecisionBody, type RouteConfig } from '../../src/app/webhook/route-event.ts';
import { describeError, logFromEnv, type Log } from '../../src/runtime/logger.ts';
import { ConsulGitopsError } from '../../src/errors.ts';

const text = () => z.optional(z.string().check(z.minLength(1)));

/** The function's environment; values are never echoed (the secret is not part of it). */
const WebhookEnvShape = z.object({
  RECONCILE_FUNCTION_NAME: z.string().check(z.minLength(1)),
  DEFAULT_BRANCH: text(),
  CONFIG_DIR: text(),
  WEBHOOK_SECRET_ARN: text(),
  WEBHOOK_SECRET_PARAMETER: text(),
  /** `owner/name`: ignore events from any other repository. */
  GITHUB_REPOSITORY: z.optional(z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/))),
  /** Passed on to reconcile as `target`. */
  TARGET: text(),
  /** Comma-separated target names: one reconcile invocation per target, in parallel (fan-out). */
  TARGETS: text(),
  /** How many delivery ids one container remembers. */
  DELIVERY_MEMORY: z.optional(z.string().check(z.regex(/^[1-9]\d*$/))),
});

export interface WebhookEnv {
  reconcileFunctionName: string;
  route: Omit<RouteConfig, 'secret'>;
  secret: { secretId?: string; parameterName?: string; envVariable: string };
  deliveryMemory: number;
  fanOut: string[];
}

/** Empty variables count as unset, as in a shell. */
export function parseWebhookEnv(
  env: Readonly<Record<string, string | undefined>>,
): { success: true; data: WebhookEnv } | { success: false; error: { issues: readonly { path: readonly PropertyKey[] }[] } } {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = WebhookEnvShape.safeParse(set);
  if (!parsed.success) return parsed;
  const e = parsed.data;
  return {
    success: true,
    data: {
      reconcileFunctionName: e.RECONCILE_FUNCTION_NAME,
      route: {
        branch: e.DEFAULT_BRANCH ?? 'main',
        configDir: e.CONFIG_DIR ?? 'config-entries',
        ...(e.GITHUB_REPOSITORY ? { repository: e.GITHUB_REPOSITORY } : {}),
        ...(e.TARGET ? { target: e.TARGET } : {}),
      },
      secret: { secretId: e.WEBHOOK_SECRET_ARN, parameterName: e.WEBHOOK_SECRET_PARAMETER, envVariable: 'GITHUB_WEBHOOK_SECRET' },
      deliveryMemory: Number(e.DELIVERY_MEMORY ?? 1000),
      fanOut: e.TARGETS?.split(',').map((t) => t.trim()).filter(Boolean) ?? [],
    },
  };
}


export interface WebhookDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Built from the environment when absent (the default AWS credential chain and region). */
  lambda?: LambdaClient;
  fetch?: typeof globalThis.fetch;
  /** Receives each JSON log line (default: stdout). */
  log?: (line: string) => void;
}

interface Container {
  config: WebhookEnv;
  secret: SecretSource;
  lambda: Promise<LambdaClient> | undefined;
  givenLambda: LambdaClient | undefined;
  recent: RecentDeliveries;
}

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A handler with its own container state (config, secret cache, delivery memory), built on first call. */
export function createHandler(deps: WebhookDeps): WebhookHandler {
  const log = logFromEnv(deps.env, deps.log);
  let container: Container | undefined;
  return async (event) => {
    container ??= buildContainer(deps);
    // Every line of this delivery carries GitHub's id for it (unverified until the signature is).
    const delivery = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-github-delivery')?.[1];
    return handle(container, event, delivery ? log.withCorrelationId(delivery.slice(0, 100)) : log);
  };
}

function buildContainer(deps: WebhookDeps): Container {
  const parsed = parseWebhookEnv(deps.env);
  // Only field paths in the message: no configuration value (none is secret, but keep the habit).
  if (!parsed.success) throw new ConsulGitopsError('config', `invalid webhook configuration: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const config = parsed.data;
  return {
    config,
    secret: secretSourceFor(config.secret, deps.env, deps.fetch),
    lambda: undefined,
    givenLambda: deps.lambda,
    recent: new RecentDeliveries(config.deliveryMemory),
  };
}

async function handle(c: Container, event: APIGatewayProxyEventV2, log: Log): Promise<APIGatewayProxyStructuredResultV2> {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  let secret: string;
  try {
    secret = await c.secret.value();
  } catch (error) {
    log('error', 'Webhook secret unavailable', { source: c.secret.description, error: describeError(error) });
    return respond(503, decisionBody('failed', 'webhook secret unavailable'));
  }
  const route: RouteConfig = { secret, ...c.config.route };
  const decision = await routeWebhook({ headers: event.headers ?? {}, body }, route);
  if (!decision.invoke) {
    log('info', 'Webhook answered', { status: decision.status, ...decision.body });
    return respond(decision.status, decision.body);
  }
  const request = decision.invoke;
  const context = { event: decision.body.event, deliveryId: request.deliveryId };
  const about = { name: context.event, deliveryId: context.deliveryId };
  if (!c.recent.claim(request.deliveryId)) {
    log('info', 'Webhook redelivery ignored', context);
    return respond(200, decisionBody('duplicate', 'delivery already accepted; reconcile not started again', about));
  }
  try {
    const requests = c.config.fanOut.length ? c.config.fanOut.map((target) => ({ ...request, target })) : [request];
    c.lambda ??= lambdaClient(c.givenLambda);
    const lambda = await c.lambda;
    await Promise.all(requests.map((r) => invokeReconcile(lambda, c.config.reconcileFunctionName, r)));
  } catch (error) {
    c.recent.release(request.deliveryId); // let a manual redelivery try again
    log('error', 'Reconcile invoke failed', { ...context, error: describeError(error) });
    return respond(503, decisionBody('failed', 'could not start reconcile; redeliver to retry', about));
  }
  log('info', 'Reconcile started', { ...context, mode: request.mode, sha: request.sha, ref: request.ref });
  return respond(decision.status, decision.body);
}

/** Fire and forget: `Event` queues the invocation (202) and returns at once. */
async function lambdaClient(given: LambdaClient | undefined): Promise<LambdaClient> {
  if (given) return given;
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  // Short timeouts and one retry: the answer to GitHub must not wait on a slow Lambda API.
  return new LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 } });
}

async function invokeReconcile(lambda: LambdaClient, functionName: string, request: ReconcileRequest): Promise<void> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(request)) }),
  );
  if (result.StatusCode !== 202) throw new ConsulGitopsError('internal', `Lambda accepted the event with status ${result.StatusCode}`);
}

function respond(status: number, body: DecisionBody): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}


/** The Lambda entry point: configuration from `process.env`, read once per container. */
export const handler: WebhookHandler = createHandler({ env: process.env });
