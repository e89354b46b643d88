// GitHub webhook → decision, with no I/O: verify the signature, read the event, and say what to
// answer and whether to start a reconcile. acceptDelivery (accept-delivery.ts), the one accept flow of
// the Lambda handler and `serve`, calls `routeWebhook` and carries out the decision (dedupe, start, respond).
// Nothing here imports AWS code, reads the environment, or logs.
import { Buffer } from 'node:buffer';
import { verify } from '@octokit/webhooks-methods';
// zod/mini: the webhook bundle must stay small (full zod alone is ~440 KB minified).
import * as z from 'zod/mini';
import { ReconcileRequest } from '../reconcile-request.ts';

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Pull request actions that get a plan: the head commit is new to us. */
export const PLANNED_PULL_REQUEST_ACTIONS: readonly string[] = ['opened', 'reopened', 'synchronize'];

/**
 * GitHub documents that a push payload lists at most this many commits (newer docs say 2048); a
 * list this long may be cut short, so its file list is treated as unknown.
 */
const COMMIT_LIST_LIMIT = 20;

const ZERO_SHA = /^0+$/;

export interface WebhookRequest {
  /** Request headers; names in any case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received, decoded as UTF-8: the signature covers these bytes. */
  body: string;
}

export interface RouteConfig {
  /** The webhook secret shared with GitHub. Never echoed in a decision. */
  secret: string;
  /** The branch whose pushes are applied and whose pull requests are planned. */
  branch: string;
  /** The directory holding config entries, relative to the repository root (`config-entries`). */
  configDir: string;
  /**
   * `owner/name` (any case): events from any other repository are ignored. Required: a webhook
   * secret shared by an organisation's repositories signs every one of their pushes.
   */
  repository: string;
  /** Passed through to the reconcile request: which target (Consul cluster) this webhook serves. */
  target?: string;
}

/**
 * `duplicate` and `failed` are never decided here: the caller answers them (a redelivery it has
 * already handed on; a reconcile it could not start).
 */
export type Outcome = 'accepted' | 'ignored' | 'pong' | 'rejected' | 'duplicate' | 'failed';

/** The JSON body answered to GitHub; it shows in the delivery log, so it says why. */
export interface DecisionBody {
  outcome: Outcome;
  reason: string;
  event?: string;
  deliveryId?: string;
}

export interface RouteDecision {
  status: 200 | 202 | 400 | 401 | 413;
  body: DecisionBody;
  /** Present when a reconcile must be started (asynchronously) before answering. */
  invoke?: ReconcileRequest;
}

/** Incoming event after the signature check: what `routeEvent` decides on. */
export interface WebhookEvent {
  name: string;
  deliveryId: string | undefined;
  payload: unknown;
}

/**
 * Decide what to do with one webhook delivery.
 *
 * Order matters: the size limit first (no HMAC over oversized bodies), then the signature (nothing
 * else is looked at before it passes), then the event.
 *
 * @example
 * const decision = await routeWebhook({ headers, body }, { secret, branch: 'main', configDir: 'config-entries' });
 * if (decision.invoke) await starter.start([decision.invoke]); // a ReconcileStarter (accept-delivery.ts)
 * respond(decision.status, decision.body);
 */
export async function routeWebhook(request: WebhookRequest, config: RouteConfig): Promise<RouteDecision> {
  if (Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES) {
    return reject(413, 'payload exceeds the 25 MB GitHub allows');
  }
  const header = headerReader(request.headers);
  if (!(await signatureValid(config.secret, request.body, header('x-hub-signature-256')))) {
    return reject(401, 'signature missing or invalid');
  }
  const name = header('x-github-event');
  const deliveryId = header('x-github-delivery');
  if (!name) return reject(400, 'X-GitHub-Event header missing', undefined, deliveryId);
  const payload = parsePayload(request.body, header('content-type'));
  if (payload === undefined) return reject(400, 'payload is not JSON', name, deliveryId);
  return routeEvent({ name, deliveryId, payload }, config);
}

/** Route a verified event. Pure: the same event and configuration give the same decision. */
export function routeEvent(event: WebhookEvent, config: Omit<RouteConfig, 'secret'>): RouteDecision {
  switch (event.name) {
    case 'ping':
      return { status: 200, body: decisionBody('pong', 'webhook is configured', event) };
    case 'push':
      return routePush(event, config);
    case 'pull_request':
      return routePullRequest(event, config);
    default:
      return ignore(`event "${event.name}" is not handled`, event);
  }
}

async function signatureValid(secret: string, payload: string, signature: string | undefined): Promise<boolean> {
  if (!secret || !payload || !signature?.startsWith('sha256=')) return false;
  // verify() compares HMAC-SHA256 digests with crypto.timingSafeEqual.
  return verify(secret, payload, signature);
}

function headerReader(headers: WebhookRequest['headers']): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower.set(k.toLowerCase(), v);
  return (name) => lower.get(name);
}

/** GitHub sends JSON, or `payload=<json>` when the hook's content type is form-encoded. */
function parsePayload(raw: string, contentType: string | undefined): unknown {
  const text = contentType?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(raw).get('payload') : raw;
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// Only the fields routing needs; GitHub's payloads carry far more, and all of it is kept loose.
const RepositoryPayload = z.object({
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.optional(z.string()), name: z.nullish(z.string()) }),
});

const PushPayload = z.object({
  ref: z.string(),
  /** The branch's previous head: a run of it that never reported is settled as superseded. */
  before: z.optional(z.string()),
  after: z.string(),
  deleted: z.optional(z.boolean()),
  repository: RepositoryPayload,
  commits: z.optional(
    z.array(z.object({ added: z.optional(z.array(z.string())), modified: z.optional(z.array(z.string())), removed: z.optional(z.array(z.string())) })),
  ),
});
type PushPayload = z.infer<typeof PushPayload>;

const PullRequestPayload = z.object({
  action: z.string(),
  /** On `synchronize`: the previous head commit. */
  before: z.optional(z.string()),
  number: z.int(),
  /** On `edited`: what changed; `base` when the pull request was retargeted. */
  changes: z.optional(z.object({ base: z.optional(z.unknown()) })),
  repository: RepositoryPayload,
  pull_request: z.object({
    head: z.object({ sha: z.string() }),
    base: z.object({ ref: z.string() }),
  }),
});

function routePush(event: WebhookEvent, config: Omit<RouteConfig, 'secret'>): RouteDecision {
  const parsed = PushPayload.safeParse(event.payload);
  if (!parsed.success) return reject(400, 'malformed push payload', event.name, event.deliveryId);
  const push = parsed.data;
  if (!repositoryAllowed(push.repository, config)) return ignore(`repository ${push.repository.full_name} is not configured here`, event);
  if (push.ref.startsWith('refs/tags/')) return ignore(`tag push (${push.ref}) is not deployed`, event);
  const wanted = `refs/heads/${config.branch}`;
  if (push.ref !== wanted) return ignore(`push to ${push.ref}, not to the target branch ${wanted}`, event);
  if (push.deleted || ZERO_SHA.test(push.after)) return ignore(`${push.ref} was deleted; nothing to apply`, event);
  const touches = touchesConfigDir(push, config.configDir);
  if (touches === 'no') return ignore(`push changes nothing under ${configPrefix(config.configDir) || 'the repository'}`, event);
  if (!event.deliveryId) return reject(400, 'X-GitHub-Delivery header missing', event.name);
  const reason = touches === 'yes' ? 'reconcile started' : 'reconcile started (changed files unknown)';
  return accept(reason, event, {
    repository: repositoryOf(push.repository),
    sha: push.after,
    ref: push.ref,
    deliveryId: event.deliveryId,
    mode: 'apply',
    ...supersedes(push.before, push.after),
    ...(config.target ? { target: config.target } : {}),
  });
}

/** `{ supersedes }` when `before` is a full commit SHA other than `after` (not a new branch's zeros). */
function supersedes(before: string | undefined, after: string): { supersedes?: string } {
  return before && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(before) && !ZERO_SHA.test(before) && before !== after ? { supersedes: before } : {};
}

function routePullRequest(event: WebhookEvent, config: Omit<RouteConfig, 'secret'>): RouteDecision {
  const parsed = PullRequestPayload.safeParse(event.payload);
  if (!parsed.success) return reject(400, 'malformed pull_request payload', event.name, event.deliveryId);
  const pr = parsed.data;
  if (!repositoryAllowed(pr.repository, config)) return ignore(`repository ${pr.repository.full_name} is not configured here`, event);
  // Retargeted onto the branch (`edited` with `changes.base`): never planned against it yet.
  const retargeted = pr.action === 'edited' && pr.changes?.base !== undefined;
  if (!PLANNED_PULL_REQUEST_ACTIONS.includes(pr.action) && !retargeted) return ignore(`pull_request action "${pr.action}" needs no plan`, event);
  if (pr.pull_request.base.ref !== config.branch) {
    return ignore(`pull request targets ${pr.pull_request.base.ref}, not the target branch ${config.branch}`, event);
  }
  if (!event.deliveryId) return reject(400, 'X-GitHub-Delivery header missing', event.name);
  const headSha = pr.pull_request.head.sha;
  return accept(`plan started for pull request #${pr.number}`, event, {
    repository: repositoryOf(pr.repository),
    sha: headSha,
    // Fetchable from the base repository even when the head branch lives in a fork.
    ref: `refs/pull/${pr.number}/head`,
    deliveryId: event.deliveryId,
    mode: 'plan',
    pullRequest: { number: pr.number, headSha },
    ...(pr.action === 'synchronize' ? supersedes(pr.before, headSha) : {}),
    ...(config.target ? { target: config.target } : {}),
  });
}

/**
 * Whether a push changed anything under `configDir`: `unknown` when the payload cannot tell (no
 * commit list, an empty one as after a force-push to an existing commit, or one that may be cut short).
 */
export function touchesConfigDir(push: Pick<PushPayload, 'commits'>, configDir: string): 'yes' | 'no' | 'unknown' {
  const commits = push.commits;
  if (!commits || commits.length === 0 || commits.length >= COMMIT_LIST_LIMIT) return 'unknown';
  const prefix = configPrefix(configDir);
  for (const commit of commits) {
    if (!commit.added || !commit.modified || !commit.removed) return 'unknown';
    for (const path of [...commit.added, ...commit.modified, ...commit.removed]) {
      if (path.startsWith(prefix)) return 'yes';
    }
  }
  return 'no';
}

/**
 * `config-entries`, `./config-entries/`, `/config-entries` → `config-entries/`; `.` or empty → `` (the
 * whole repository). The same spellings the reconcile side's tree reader accepts.
 */
function configPrefix(configDir: string): string {
  const trimmed = configDir.replace(/^(?:\.\/)+/, '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' || trimmed === '.' ? '' : `${trimmed}/`;
}

function repositoryAllowed(repository: z.infer<typeof RepositoryPayload>, config: Omit<RouteConfig, 'secret'>): boolean {
  return config.repository.toLowerCase() === repository.full_name.toLowerCase();
}

function repositoryOf(repository: z.infer<typeof RepositoryPayload>): ReconcileRequest['repository'] {
  const owner = repository.owner.login ?? repository.owner.name ?? repository.full_name.split('/')[0];
  return { owner, name: repository.name };
}

/** The response body for an outcome; also used by callers for `duplicate` and `failed`. */
export function decisionBody(outcome: Outcome, reason: string, event?: Partial<WebhookEvent>): DecisionBody {
  return {
    outcome,
    reason,
    ...(event?.name ? { event: event.name } : {}),
    ...(event?.deliveryId ? { deliveryId: event.deliveryId } : {}),
  };
}

function accept(reason: string, event: WebhookEvent, request: ReconcileRequest): RouteDecision {
  // The request crosses to another function: check it against the contract reconcile will parse with.
  const checked = ReconcileRequest.safeParse(request);
  if (!checked.success) return reject(400, `cannot build a reconcile request: ${checked.error.issues[0]?.message}`, event.name, event.deliveryId);
  return { status: 202, body: decisionBody('accepted', reason, event), invoke: checked.data };
}

function ignore(reason: string, event: WebhookEvent): RouteDecision {
  return { status: 202, body: decisionBody('ignored', reason, event) };
}

function reject(status: 400 | 401 | 413, reason: string, name?: string, deliveryId?: string): RouteDecision {
  return { status, body: decisionBody('rejected', reason, { name, deliveryId }) };
}
