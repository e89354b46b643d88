// One GitHub delivery accepted, the same way by the webhook Lambda and by `serve`: verify the
// signature (reading a rotated secret again once before refusing), route, dedupe by the body's
// digest (the signature does not cover X-GitHub-Delivery: recent-deliveries.ts says why),
// fan out to the targets, and hand the reconciles to a starter: the Lambda's asynchronous invoke
// or serve's in-process queue. It answers what to respond and the one line to log; the edge does both.
import type { ReconcileRequest } from '../reconcile-request.ts';
import { payloadDigest, type RecentDeliveries } from './recent-deliveries.ts';
import { decisionBody, routeWebhook, type DecisionBody, type RouteConfig, type WebhookRequest } from './route-event.ts';

/** The webhook secret shared with GitHub (Secrets Manager, SSM, or an environment variable). */
export interface WebhookSecret {
  /** Where it lives, for logs: a variable, secret or parameter name, never the value. */
  readonly description: string;
  value(): Promise<string>;
  /**
   * Read the store again now, past the cache: the secret may have been rotated. It may answer the
   * value read moments ago (a flood of bad signatures must not become a flood of store reads).
   * Absent when the secret cannot change while the process runs.
   */
  refresh?(): Promise<string>;
}

export type StartResult =
  /** `message` and `fields` go into the log line (`Reconcile started`, `Reconcile queued` with the queue's answer). */
  | { kind: 'started'; message: string; fields?: Record<string, unknown> }
  /** The receiver no longer takes work (serve is stopping): nothing was started. */
  | { kind: 'stopping' };

/** Starts the reconciles of one delivery: rejects when they could not be started (the Lambda API refused). */
export interface ReconcileStarter {
  start(requests: readonly ReconcileRequest[]): Promise<StartResult>;
}

export interface AcceptDeps {
  secret: WebhookSecret;
  recent: RecentDeliveries;
  starter: ReconcileStarter;
  /** Branch, config directory, repository and target the deliveries are routed by. */
  route: Omit<RouteConfig, 'secret'>;
  /** One reconcile per listed target; empty: the routed request as it is (reconcile runs its own targets). */
  fanOut: readonly string[];
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
  /** Rendered by the edge's logger (name and message only). */
  error?: unknown;
}

export interface Accepted {
  status: number;
  body: DecisionBody;
  log: LogLine;
}

const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;

/**
 * Decide on one delivery and, when it asks for a reconcile, start it once per body (a redelivery or
 * a replay under another id is answered `duplicate`).
 *
 * @example
 * const accepted = await acceptDelivery(deps, { headers, body });
 * log(accepted.log.level, accepted.log.message, accepted.log.fields);
 * respond(accepted.status, accepted.body);
 */
export async function acceptDelivery(deps: AcceptDeps, request: WebhookRequest): Promise<Accepted> {
  let secret: string;
  try {
    secret = await deps.secret.value();
  } catch (error) {
    return {
      status: 503,
      body: decisionBody('failed', 'webhook secret unavailable'),
      log: { level: 'error', message: 'Webhook secret unavailable', fields: { source: deps.secret.description }, error },
    };
  }
  let decision = await routeWebhook(request, { ...deps.route, secret });
  let secretRefreshed = false;
  if (decision.status === 401 && deps.secret.refresh && SIGNATURE.test(signatureOf(request))) {
    // A well-formed signature that does not match: GitHub may already sign with a rotated secret.
    const fresh = await deps.secret.refresh().catch(() => undefined);
    if (fresh !== undefined && fresh !== secret) {
      secretRefreshed = true;
      decision = await routeWebhook(request, { ...deps.route, secret: fresh });
    }
  }
  const refreshed = secretRefreshed ? { secretRefreshed } : {};
  const invoke = decision.invoke;
  if (!invoke)
    return {
      status: decision.status,
      body: decision.body,
      log: { level: 'info', message: 'Webhook answered', fields: { status: decision.status, ...decision.body, ...refreshed } },
    };

  const context = { event: decision.body.event, deliveryId: invoke.deliveryId, ...refreshed };
  const about = { name: decision.body.event, deliveryId: invoke.deliveryId };
  const digest = payloadDigest(request.body);
  const claim = deps.recent.claim(invoke.deliveryId, digest);
  if (claim.kind === 'redelivery') {
    return {
      status: 200,
      body: decisionBody('duplicate', 'delivery already accepted; reconcile not started again', about),
      log: { level: 'info', message: 'Webhook redelivery ignored', fields: context },
    };
  }
  if (claim.kind === 'replay') {
    // A signed body GitHub sent before, now under another delivery id: someone replays it.
    return {
      status: 200,
      body: decisionBody('duplicate', `this body was delivered before as ${claim.firstDeliveryId}; a replay under another delivery id is not run`, about),
      log: { level: 'warn', message: 'Webhook replay ignored', fields: { ...context, firstDeliveryId: claim.firstDeliveryId } },
    };
  }
  // The digest travels on: reconcile's record of handled deliveries (other containers) is kept by it too.
  const routed = { ...invoke, payloadDigest: digest };
  const requests = deps.fanOut.length > 0 ? deps.fanOut.map((target) => ({ ...routed, target })) : [routed];
  let started: StartResult;
  try {
    started = await deps.starter.start(requests);
  } catch (error) {
    deps.recent.release(digest); // let a manual redelivery try again
    return {
      status: 503,
      body: decisionBody('failed', 'could not start reconcile; redeliver to retry', about),
      log: { level: 'error', message: 'Reconcile could not be started', fields: context, error },
    };
  }
  if (started.kind === 'stopping') {
    deps.recent.release(digest); // a redelivery after the restart should run
    return {
      status: 503,
      body: decisionBody('failed', 'server is stopping; redeliver to retry', about),
      log: { level: 'warn', message: 'Webhook refused: server is stopping', fields: context },
    };
  }
  return {
    status: decision.status,
    body: decision.body,
    log: { level: 'info', message: started.message, fields: { ...context, mode: invoke.mode, sha: invoke.sha, ref: invoke.ref, ...started.fields } },
  };
}

function signatureOf(request: WebhookRequest): string {
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() === 'x-hub-signature-256' && v !== undefined) return v;
  return '';
}
