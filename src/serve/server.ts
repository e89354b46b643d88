// `serve`: the three Lambda functions in one long-lived process, for a VM or a container.
//
//   POST /webhook  GitHub → the webhook function's accept flow (src/app/webhook/accept-delivery.ts)
//                  → an in-process queue (one run per target at a time, newest commit wins)
//                  → runReconcileEvent, exactly what the reconcile function runs
//   timer          every SCHEDULE_INTERVAL → a drift check per target, as the schedule function
//   GET /healthz   200 ok
//   GET /metrics   the reconcile runs' figures in Prometheus text (the Lambda's CloudWatch metrics)
// Before a body is read the headers must show a well-formed signature and an event (preflight.ts);
// bodies are held under a budget shared by all connections (body.ts), and headers, bodies and whole
// requests have timeouts, so neither many large posts nor a slow client can exhaust the process.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DriftRequest, ReconcileEvent, ReconcileRequest } from '../app/reconcile-request.ts';
import { owedOnStart } from '../app/reconcile-owed.ts';
import { breakDeadHolder } from '../app/target-lock.ts';
import { lockKey } from '../app/apply-commit.ts';
import { isDeadHere, thisProcess } from '../runtime/process-identity.ts';
import { runReconcileEvent, throwIfAnyFailed } from '../app/run-reconcile-event.ts';
import { RecentDeliveries } from '../app/webhook/recent-deliveries.ts';
import { decisionBody, MAX_BODY_BYTES, type DecisionBody } from '../app/webhook/route-event.ts';
import { acceptDelivery, type AcceptDeps, type Accepted, type ReconcileStarter, type StartResult } from '../app/webhook/accept-delivery.ts';
import { BodyBudget, readBody } from './body.ts';
import { declaredLength, refuseBeforeBody } from './preflight.ts';
import { buildRuntime, type Runtime, type RuntimeOverrides } from '../runtime/build-runtime.ts';
import { describeError, logFromEnv, writeLogLine, type Log, type LogSink } from '../runtime/logger.ts';
import { ReconcileQueue, type EnqueueResult, type QueueJob } from './queue.ts';
import { PROMETHEUS_CONTENT_TYPE, PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.ts';
import type { MetricsRecorder } from '../app/metrics.ts';
import { serveSettings, type Env, type ServeSettings } from './settings.ts';
import { isPlanPath, servePlans } from '../adapters/plans/serve-plans.ts';
import { webhookSecretSource } from '../adapters/secrets/webhook-secret.ts';

export interface ServeOptions {
  env: Env;
  port: number;
  host: string;
  overrides?: RuntimeOverrides;
  /** Receives one JSON object per line (default: stdout). */
  log?: LogSink;
  /** Overrides SCHEDULE_INTERVAL (tests); 0 turns the schedule off. */
  scheduleIntervalMs?: number;
  /** Overrides STOP_TIMEOUT: how long close() waits for running reconciles. */
  stopTimeoutMs?: number;
}

export interface ServeHandle {
  /** `http://HOST:PORT`, with the port actually bound. */
  url: string;
  /** Stop accepting, drop pending jobs, wait (bounded) for running ones, close the runtime. Idempotent. */
  close(): Promise<void>;
  /** Resolves when the queue is empty and nothing runs. */
  idle(): Promise<void>;
  /** Webhook bodies held in memory now and at the peak (bytes), against the budget. */
  bodies(): ReturnType<BodyBudget['stats']>;
}

/** How long a client refused for the budget is asked to wait (GitHub does not retry by itself; a proxy or a redelivery may). */
const RETRY_AFTER_SECONDS = 5;

type Job = QueueJob<ReconcileEvent>;

/**
 * Validate the configuration, build the runtime, listen. Throws ServeConfigError (variable names,
 * never values) on a bad environment, and the listen error (EADDRINUSE, …) when the port is taken.
 */
export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const settings = serveSettings(options.env);
  const serverLog = logFromEnv(options.env, options.log);
  // Where the Lambda webhook finds it (Secrets Manager, SSM or the environment), read once now so a
  // secret that cannot be read stops the start; a stored one is read again when its cache expires.
  const webhookSecret = webhookSecretSource(settings.webhookSecret, options.env);
  await webhookSecret.value();
  // GET /plans/<id>: long PR plans, linked from the comment.
  const plans = servePlans(options.env, () => url, { fallbackSecret: webhookSecret });
  // Written into every lease this process takes: its restart on this host can then tell it is dead.
  const self = thisProcess();
  const runtime = buildRuntime(options.env, { plans: plans.archive, log: serverLog, ...(self ? { holderProcess: self } : {}), ...options.overrides });
  const stopTimeoutMs = options.stopTimeoutMs ?? settings.stopTimeoutMs;
  const intervalMs = options.scheduleIntervalMs ?? settings.scheduleIntervalMs;

  const metrics = new PrometheusMetrics();
  const queue = new ReconcileQueue<ReconcileEvent>({
    run: (job) => runJob(runtime, job, serverLog.withCorrelationId(job.payload.deliveryId), metrics),
    onError: (job, error) =>
      serverLog.withCorrelationId(job.payload.deliveryId)('error', 'Reconcile failed', { ...jobFields(job), error: describeError(error) }),
  });
  // Arrival order of everything the queue sees: numbered when a request arrives, before any await,
  // so "newest wins" follows the order GitHub sent the webhooks in.
  let arrivals = 0;
  const nextSeq = () => ++arrivals;

  // Everything the accept flow needs but the starter, which knows the request's arrival number.
  const accept: Omit<AcceptDeps, 'starter'> = {
    secret: webhookSecret,
    recent: new RecentDeliveries(settings.deliveryMemory),
    route: settings.route,
    // Every target of the one runtime: serve has no separate reconcile function to fan out to.
    fanOut: runtime.targetNames(),
  };
  const limits = settings.http;
  const budget = new BodyBudget(limits.maxBufferedBytes);
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks both timeouts on this interval (default 30 s, which would stretch short timeouts).
      connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
    },
    (req, res) => {
      const seq = nextSeq();
      handleRequest(req, res, seq).catch((error: unknown) => {
        serverLog('error', 'Request failed', { method: req.method, path: pathOf(req), error: describeError(error) });
        if (!res.headersSent) respondJson(res, 500, decisionBody('failed', 'internal error'));
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  // A client asking `Expect: 100-continue` (curl does past 1 MB) gets the Continue only once its
  // headers qualify and its body fits the budget (handleWebhook → readBody's onAdmitted); a refusal
  // is answered without it, so that body is never even sent. Node would otherwise continue at once.
  server.on('checkContinue', (req, res) => server.emit('request', req, res));

  async function handleRequest(req: IncomingMessage, res: ServerResponse, seq: number): Promise<void> {
    const path = pathOf(req);
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return respondText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return respondText(res, 200, 'ok');
    }
    if (path === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return respondText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return respondText(res, 200, metrics.text(), { 'content-type': PROMETHEUS_CONTENT_TYPE });
    }
    if (isPlanPath(path)) return plans.handle(req, res);
    if (path === '/webhook') {
      if (req.method !== 'POST') return respondText(res, 405, 'method not allowed', { allow: 'POST' });
      return handleWebhook(req, res, seq);
    }
    return respondText(res, 404, 'not found');
  }

  async function handleWebhook(req: IncomingMessage, res: ServerResponse, seq: number): Promise<void> {
    // Every line about this request carries GitHub's delivery id (unverified until the signature is).
    const delivery = req.headers['x-github-delivery'];
    const log = typeof delivery === 'string' && delivery ? serverLog.withCorrelationId(delivery.slice(0, 100)) : serverLog;
    // Headers first: a request that cannot be a signed delivery is refused before any body byte is read.
    const refusal = refuseBeforeBody(req.headers);
    if (refusal) {
      log('info', 'Webhook answered', { status: refusal.status, ...refusal.body, bodyRead: false });
      return refuseAndClose(req, res, refusal.status, refusal.body);
    }
    const expectsContinue = /^100-continue$/i.test(req.headers.expect ?? '');
    const read = await readBody(req, declaredLength(req.headers), {
      maxBytes: MAX_BODY_BYTES,
      budget,
      idleTimeoutMs: limits.bodyIdleTimeoutMs,
      ...(expectsContinue ? { onAdmitted: () => res.writeContinue() } : {}),
    });
    switch (read.kind) {
      case 'aborted':
        log('warn', 'Webhook request aborted by the client', {});
        return;
      case 'too-large':
        log('info', 'Webhook answered', { status: 413, outcome: 'rejected', reason: 'payload too large' });
        return refuseAndClose(req, res, 413, decisionBody('rejected', 'payload exceeds the 25 MB GitHub allows'));
      case 'over-budget':
        log('warn', 'Webhook refused: too many bytes of request bodies held at once', { status: 503, maxBufferedBytes: limits.maxBufferedBytes });
        return refuseAndClose(req, res, 503, decisionBody('failed', 'server busy; redeliver to retry'), { 'retry-after': String(RETRY_AFTER_SECONDS) });
      case 'idle':
        log('info', 'Webhook answered', { status: 408, outcome: 'rejected', reason: 'request body stalled' });
        return refuseAndClose(req, res, 408, decisionBody('rejected', `no body data for ${limits.bodyIdleTimeoutMs} ms`));
    }
    let accepted: Accepted;
    try {
      // The same accept flow as the webhook Lambda; the starter queues instead of invoking.
      accepted = await acceptDelivery({ ...accept, starter: queueStarter(seq) }, { headers: flatHeaders(req.headers), body: read.body.toString('utf8') });
    } finally {
      // The body (and its string copy) are garbage once the decision is made.
      read.release();
    }
    writeLogLine(log, accepted.log);
    return respondJson(res, accepted.status, accepted.body);
  }

  /** Queues one job per request (the accept flow set each one's target); `stopping` once closed. */
  function queueStarter(seq: number): ReconcileStarter {
    return {
      async start(requests: readonly ReconcileRequest[]): Promise<StartResult> {
        if (queue.closed) return { kind: 'stopping' };
        const out: Record<string, EnqueueResult> = {};
        for (const request of requests) {
          const target = request.target ?? runtime.targetNames()[0];
          out[target] = queue.enqueue({
            target,
            kind: request.mode,
            seq,
            ...(request.pullRequest ? { pullRequest: request.pullRequest.number } : {}),
            payload: { ...request, target },
          });
        }
        return { kind: 'started', message: 'Reconcile queued', fields: { queue: out } };
      },
    };
  }

  const repository = settings.runtime.repository;
  let timer: NodeJS.Timeout | undefined;
  const scheduleTick = () => {
    if (!repository || queue.closed) return;
    const deliveryId = `schedule-${new Date().toISOString()}`;
    for (const target of runtime.targetNames()) {
      const request: DriftRequest = {
        mode: 'drift',
        repository: { owner: repository.owner, name: repository.repo },
        branch: settings.runtime.defaultBranch,
        deliveryId,
        target,
      };
      const queued = queue.enqueue({ target, kind: 'drift', seq: nextSeq(), payload: request });
      serverLog.withCorrelationId(deliveryId)('info', queued === 'skipped' ? 'Drift check skipped: one is already pending' : 'Drift check queued', {
        target,
        deliveryId,
        queue: queued,
      });
    }
  };

  await listen(server, options.port, options.host).catch(async (error: unknown) => {
    await runtime.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  if (intervalMs > 0 && repository) {
    timer = setInterval(scheduleTick, intervalMs);
    timer.unref();
    serverLog('info', 'Schedule on', { intervalMs, repository: `${repository.owner}/${repository.repo}`, branch: settings.runtime.defaultBranch });
  } else {
    serverLog('info', 'Schedule off (SCHEDULE_INTERVAL is 0)', {});
  }
  serverLog('info', 'Listening', { url, targets: runtime.targetNames(), branch: settings.route.branch, configDir: settings.route.configDir });
  await runOwed();

  /**
   * What an earlier process answered 202 for and never finished (src/app/reconcile-owed.ts), queued
   * like a push. Its arrival number is taken before GitHub is asked, so a push delivered meanwhile
   * is the newer one and is never replaced by this job. A failure to ask is logged, never fatal.
   */
  async function runOwed(): Promise<void> {
    if (!repository) return;
    const seq = nextSeq();
    const deliveryId = `start-${new Date().toISOString()}`;
    const log = serverLog.withCorrelationId(deliveryId);
    await Promise.all(
      runtime.targetNames().map(async (target) => {
        try {
          const built = await runtime.forTarget(target);
          // A lease left by a killed serve of this host (same boot and pid namespace, its pid gone or
          // reused) is ended now: waiting up to 14 minutes for a dead process helps nobody.
          const broken = await breakDeadHolder(built.deps.state, lockKey(built.target.stateKeyPrefix, target), built.deps.now(), isDeadHere);
          if (broken) log('warn', 'Lease of a dead process broken', { target, holder: broken.holder, pid: broken.process?.pid, expiresAt: broken.expiresAt });
          const headStatus = built.deps.reporter.headStatus?.bind(built.deps.reporter);
          if (!headStatus) return;
          const runStart = built.deps.reporter.runStart?.bind(built.deps.reporter);
          const owed = await owedOnStart(
            { headStatus, ...(runStart ? { runStart } : {}), state: built.deps.state },
            built.target,
            repository,
            settings.route.branch,
          );
          if (owed.kind === 'nothing') return log('info', 'Nothing owed from before the start', { target, sha: owed.sha, reason: owed.why });
          if (owed.kind === 'unknown')
            return log('warn', 'Cannot tell whether the head is owed from before the start', { target, sha: owed.sha, reason: owed.why });
          const request: ReconcileRequest = {
            mode: 'apply',
            repository: { owner: repository.owner, name: repository.repo },
            sha: owed.sha,
            ref: `refs/heads/${settings.route.branch}`,
            deliveryId,
            target,
          };
          const queued = queue.enqueue({ target, kind: 'apply', seq, payload: request });
          log('warn', 'Owed run queued: a push was answered and never finished', { target, sha: owed.sha, reason: owed.why, queue: queued });
        } catch (error) {
          log('error', 'Could not check what is owed from before the start', { target, error: describeError(error) });
        }
      }),
    );
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (timer) clearInterval(timer);
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const { dropped, abandoned } = await queue.close(stopTimeoutMs);
      // Webhook answers are quick; whatever connection is still open after a short wait is cut.
      await Promise.race([httpClosed, delay(Math.min(stopTimeoutMs, 2000))]);
      server.closeAllConnections();
      await runtime.close();
      serverLog(abandoned > 0 ? 'warn' : 'info', 'Stopped', { droppedPending: dropped, abandonedRunning: abandoned });
    })());

  return { url, close, idle: () => queue.idle(), bodies: () => budget.stats() };
}

async function runJob(runtime: Runtime, job: Job, log: Log, metrics: MetricsRecorder): Promise<void> {
  const started = Date.now();
  log('info', 'Reconcile started', jobFields(job));
  const results = await runReconcileEvent(runtime, job.payload, undefined, metrics);
  for (const { error: _error, ...r } of results) {
    // A failed target is logged once, by the queue's onError (throwIfAnyFailed below).
    if (r.outcome !== 'error') log(r.ok ? 'info' : 'warn', 'Reconcile finished', { ...jobFields(job), durationMs: Date.now() - started, ...r });
  }
  throwIfAnyFailed(results);
}

function jobFields(job: Job): Record<string, unknown> {
  const e = job.payload;
  return {
    target: job.target,
    mode: e.mode,
    deliveryId: e.deliveryId,
    ...(e.mode === 'drift' ? { branch: e.branch } : { sha: e.sha, ref: e.ref }),
    ...(job.pullRequest !== undefined ? { pullRequest: job.pullRequest } : {}),
  };
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0];
}

function respondJson(res: ServerResponse, status: number, body: DecisionBody, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * Answer and close the connection without reading the rest of the body: Node would otherwise read
 * (and discard) whatever the client still sends after the answer.
 */
function refuseAndClose(req: IncomingMessage, res: ServerResponse, status: number, body: DecisionBody, headers: Record<string, string> = {}): void {
  req.pause();
  res.once('finish', () => req.socket.destroySoon());
  respondJson(res, status, body, { ...headers, connection: 'close' });
}

function respondText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export type { ServeSettings };
