// The webhook Lambda: GitHub → Function URL (or API Gateway HTTP API) → the accept flow
// (src/app/webhook/accept-delivery.ts, the same one `serve` runs) → an asynchronous invoke of
// reconcile per target → answer. It talks to nothing but the Lambda API and the secret's store, so
// it answers well inside GitHub's 10 s limit.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Buffer } from 'node:buffer';
import { acceptDelivery, type AcceptDeps } from '../../src/app/webhook/accept-delivery.ts';
import { RecentDeliveries } from '../../src/app/webhook/recent-deliveries.ts';
import { webhookSecretSource } from '../../src/adapters/secrets/webhook-secret.ts';
import {
  CONFIG_DIR,
  DEFAULT_BRANCH,
  DELIVERY_MEMORY,
  formatProblems,
  readEnvironment,
  RECONCILE_FUNCTION_NAME,
  TARGET,
  TARGETS,
  WEBHOOK_REPOSITORY,
  WEBHOOK_SECRET_VARIABLES,
  type Env,
} from '../../src/config/environment.ts';
import { logFromEnv, writeLogLine } from '../../src/runtime/logger.ts';
import { lambdaReconcileStarter } from './invoke-reconcile.ts';
import { ConsulGitopsError } from '../../src/errors.ts';

/** What the webhook function reads from its environment. */
export const WEBHOOK_VARIABLES = {
  reconcileFunctionName: RECONCILE_FUNCTION_NAME,
  branch: DEFAULT_BRANCH,
  configDir: CONFIG_DIR,
  repository: WEBHOOK_REPOSITORY,
  target: TARGET,
  fanOut: TARGETS,
  deliveryMemory: DELIVERY_MEMORY,
  ...WEBHOOK_SECRET_VARIABLES,
};

export interface WebhookDeps {
  env: Env;
  /** Built from the environment when absent (the default AWS credential chain and region). */
  lambda?: LambdaClient;
  /** Receives each JSON log line (default: stdout). */
  log?: (line: string) => void;
}

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A handler with its own container state (configuration, secret cache, delivery memory), built on first call. */
export function createHandler(deps: WebhookDeps): WebhookHandler {
  const log = logFromEnv(deps.env, deps.log);
  let accept: AcceptDeps | undefined;
  return async (event) => {
    accept ??= acceptDepsFrom(deps);
    const headers = event.headers ?? {};
    // Every line of this delivery carries GitHub's id for it (unverified until the signature is).
    const delivery = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-github-delivery')?.[1];
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const accepted = await acceptDelivery(accept, { headers, body });
    writeLogLine(delivery ? log.withCorrelationId(delivery.slice(0, 100)) : log, accepted.log);
    return { statusCode: accepted.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(accepted.body) };
  };
}

function acceptDepsFrom(deps: WebhookDeps): AcceptDeps {
  const read = readEnvironment(deps.env, WEBHOOK_VARIABLES);
  if (!read.ok) throw new ConsulGitopsError('config', `invalid webhook configuration: ${formatProblems(read.problems)}`);
  const c = read.values;
  return {
    secret: webhookSecretSource(c, deps.env),
    recent: new RecentDeliveries(c.deliveryMemory),
    starter: lambdaReconcileStarter(c.reconcileFunctionName, deps.lambda),
    route: { branch: c.branch, configDir: c.configDir, repository: c.repository, ...(c.target ? { target: c.target } : {}) },
    fanOut: c.fanOut,
  };
}

/** The Lambda entry point: configuration from `process.env`, read once per container. */
export const handler: WebhookHandler = createHandler({ env: process.env });
