// The webhook Lambda: GitHub → Function URL (or API Gateway HTTP API) → route-event → async invoke of
// reconcile → answer. It talks to nothing but the Lambda API (and, once per container, the secrets
// extension), so it answers well inside GitHub's 10 s limit.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import type { ReconcileRequest } from '../../src/app/reconcile-request.ts';
import { secretSourceFor, type SecretSource } from '../../src/adapters/secrets/secret-source.ts';
import { RecentDeliveries } from '../../src/app/webhook/recent-deliveries.ts';
import { decisionBody, routeWebhook, type DecisionBody, type RouteConfig } from '../../src/app/webhook/route-event.ts';

const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional());

/** The function's configuration; values are never echoed (the secret is not part of it). */
export const WebhookEnv = z
  .object({
    RECONCILE_FUNCTION_NAME: z.string().min(1),
    DEFAULT_BRANCH: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).default('main')),
    CONFIG_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).default('config-entries')),
    WEBHOOK_SECRET_ARN: optional,
    WEBHOOK_SECRET_PARAMETER: optional,
    /** `owner/name`: ignore events from any other repository. */
    GITHUB_REPOSITORY: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[^/\s]+\/[^/\s]+$/).optional()),
    /** Passed on to reconcile as `target`. */
    TARGET: optional,
    /** How many delivery ids one container remembers. */
    DELIVERY_MEMORY: z.coerce.number().int().positive().default(1000),
  })
  .transform((env) => ({
    reconcileFunctionName: env.RECONCILE_FUNCTION_NAME,
    route: { branch: env.DEFAULT_BRANCH, configDir: env.CONFIG_DIR, repository: env.GITHUB_REPOSITORY, target: env.TARGET },
    secret: { secretId: env.WEBHOOK_SECRET_ARN, parameterName: env.WEBHOOK_SECRET_PARAMETER, envVariable: 'GITHUB_WEBHOOK_SECRET' },
    deliveryMemory: env.DELIVERY_MEMORY,
  }));
export type WebhookEnv = z.infer<typeof WebhookEnv>;

export interface WebhookDeps {
  env: Readonly<Record<string, string | undefined>>;
  /** Built from the environment when absent (the default AWS credential chain and region). */
  lambda?: LambdaClient;
  fetch?: typeof globalThis.fetch;
  log?: (line: string) => void;
}

interface Container {
  config: WebhookEnv;
  secret: SecretSource;
  lambda: LambdaClient;
  recent: RecentDeliveries;
}

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A handler with its own container state (config, secret cache, delivery memory), built on first call. */
export function createHandler(deps: WebhookDeps): WebhookHandler {
  const log = deps.log ?? ((line: string) => console.log(line));
  let container: Container | undefined;
  return async (event) => {
    container ??= buildContainer(deps);
    return handle(container, event, log);
  };
}

function buildContainer(deps: WebhookDeps): Container {
  const parsed = WebhookEnv.safeParse(deps.env);
  // Only field paths in the message: no configuration value (none is secret, but keep the habit).
  if (!parsed.success) throw new Error(`invalid webhook configuration: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const config = parsed.data;
  return {
    config,
    secret: secretSourceFor(config.secret, deps.env, deps.fetch),
    // Short timeouts and one retry: the answer to GitHub must not wait on a slow Lambda API.
    lambda: deps.lambda ?? new LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 } }),
    recent: new RecentDeliveries(config.deliveryMemory),
  };
}

async function handle(c: Container, event: APIGatewayProxyEventV2, log: (line: string) => void): Promise<APIGatewayProxyStructuredResultV2> {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  let secret: string;
  try {
    secret = await c.secret.value();
  } catch (error) {
    logLine(log, 'error', 'Webhook secret unavailable', { source: c.secret.description, error: describe(error) });
    return respond(503, decisionBody('failed', 'webhook secret unavailable'));
  }
  const route: RouteConfig = { secret, ...c.config.route };
  const decision = await routeWebhook({ headers: event.headers ?? {}, body }, route);
  if (!decision.invoke) {
    logLine(log, 'info', 'Webhook answered', { status: decision.status, ...decision.body });
    return respond(decision.status, decision.body);
  }
  const request = decision.invoke;
  const context = { event: decision.body.event, deliveryId: request.deliveryId };
  if (!c.recent.claim(request.deliveryId)) {
    logLine(log, 'info', 'Webhook redelivery ignored', context);
    return respond(200, decisionBody('duplicate', 'delivery already accepted; reconcile not started again', context));
  }
  try {
    await invokeReconcile(c.lambda, c.config.reconcileFunctionName, request);
  } catch (error) {
    c.recent.release(request.deliveryId); // let a manual redelivery try again
    logLine(log, 'error', 'Reconcile invoke failed', { ...context, error: describe(error) });
    return respond(503, decisionBody('failed', 'could not start reconcile; redeliver to retry', context));
  }
  logLine(log, 'info', 'Reconcile started', { ...context, mode: request.mode, sha: request.sha, ref: request.ref });
  return respond(decision.status, decision.body);
}

/** Fire and forget: `Event` queues the invocation (202) and returns at once. */
async function invokeReconcile(lambda: LambdaClient, functionName: string, request: ReconcileRequest): Promise<void> {
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(request)) }),
  );
  if (result.StatusCode !== 202) throw new Error(`Lambda accepted the event with status ${result.StatusCode}`);
}

function respond(status: number, body: DecisionBody): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };
}

function logLine(log: (line: string) => void, level: 'info' | 'error', message: string, fields: object): void {
  log(JSON.stringify({ level, message, ...fields }));
}

/** The Lambda entry point: configuration from `process.env`, read once per container. */
export const handler: WebhookHandler = createHandler({ env: process.env });
