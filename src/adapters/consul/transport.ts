// One HTTP exchange with Consul, with timeout, retry and classification. The client (client.ts)
// builds paths and reads bodies; this file decides what is retried (full table: README.md here):
//   * transient failures that cannot have been applied (connection refused, 429, 503 with Consul's
//     rate-limit text, No cluster leader) are retried for every method;
//   * transient failures that may have been applied (connection dropped after sending, other 503s,
//     502, 504, `rpc error making call: EOF`…) are retried for reads and writes; a write retried
//     after such a failure is marked `ambiguous` (on the error, or via client.ts's conflict rule);
//   * timeouts are retried for reads only (a slow write is not helped by sending it again);
//   * validation (500), 4xx and everything else: never.
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { ConsulError, classifyResponse, classifyTransportError, redact, type AttemptFailure } from './errors.ts';
import { backoffDelay, parseRetryAfter, type Random, type RetryPolicy, type Sleep } from './retry.ts';

export interface ConsulLogger {
  warn(message: string, meta: Record<string, unknown>): void;
}

/** What one attempt sends (the part of undici's Dispatcher.RequestOptions the transport uses). */
export interface AttemptOptions {
  origin: string;
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  signal: AttemptSignal;
  headersTimeout: number;
  bodyTimeout: number;
}

/** The answer as undici's `request()` gives it: lower-case header names, a body read once as text. */
export interface AttemptResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: { text(): Promise<string> };
}

/** What sends one request: client.ts's writes on undici (undici-writes.ts), its reads on node:http (node-http-gets.ts). */
export interface RequestDispatcher {
  request(options: AttemptOptions): Promise<AttemptResponse>;
}

export interface TransportConfig {
  baseUrl: URL;
  dispatcher: RequestDispatcher;
  /** Resolves the token once (token file read lazily); undefined = no token header. */
  token: () => Promise<string | undefined>;
  timeoutMs: number;
  retry: RetryPolicy;
  sleep: Sleep;
  random: Random;
  logger?: ConsulLogger;
  /** What Consul's certificate is checked against (options.ts trustSource), named when it is not trusted. */
  trust?: string;
}

export interface ExchangeRequest {
  method: 'GET' | 'PUT' | 'DELETE' | 'POST';
  /** Path without query, e.g. `/v1/config/service-defaults/web` (already encoded). */
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  /** Statuses that are an answer rather than a failure (2xx always are). */
  accept?: readonly number[];
  /** Extra time on top of the timeout (blocking queries). */
  extraTimeoutMs?: number;
  signal?: AbortSignal;
  /** Send no token: ask as the anonymous token (the posture audit's "what may anyone do?"). */
  anonymous?: boolean;
}

export interface ExchangeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** A write that was retried after an attempt that may have been applied. */
  ambiguous: boolean;
  attempts: number;
}

const TIMEOUT = Symbol('consul-request-timeout');

/** OpenSSL's verification failures as node names them: the certificate chain is not trusted. */
const CERTIFICATE_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/**
 * What aborts one attempt (its timeout or the caller's signal), as the EventEmitter signal undici
 * accepts (api-request.js: `signal.on`/`once('abort')`). An AbortController per request cost more CPU
 * than the rest of the transport (an EventTarget, its listener bookkeeping, a DOMException on abort).
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

export class ConsulTransport {
  readonly #cfg: TransportConfig;
  readonly #origin: string;
  /** The base URL's path (a Consul behind a path prefix), before every request's path. */
  readonly #pathPrefix: string;

  constructor(cfg: TransportConfig) {
    this.#cfg = cfg;
    this.#origin = cfg.baseUrl.origin;
    this.#pathPrefix = cfg.baseUrl.pathname.replace(/\/+$/, '');
  }

  async exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
    // POST is only /v1/internal/acl/authorize, a question that changes nothing.
    const write = req.method === 'PUT' || req.method === 'DELETE';
    const pathWithQuery = withQuery(req.path, req.query);
    const token = req.anonymous ? undefined : await this.#cfg.token();
    const policy = this.#cfg.retry;
    let possiblyApplied = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(req, pathWithQuery, token);
      // Built key by key: a spread followed by more keys takes V8's slow path (several µs a request).
      if ('text' in outcome) {
        // The headers as the dispatcher gives them, read when asked for: a write's are never read, and
        // undici-writes.ts parses them only then.
        const answer = outcome.res;
        return {
          status: outcome.status,
          get headers() {
            return answer.headers;
          },
          text: outcome.text,
          ambiguous: write && possiblyApplied,
          attempts: attempt,
        };
      }
      const failure = { ...outcome, message: redact(outcome.message, token) };
      possiblyApplied ||= failure.possiblyApplied;
      const retry = failure.transient && !(write && failure.kind === 'timeout') && attempt < policy.maxAttempts && !req.signal?.aborted;
      if (!retry) {
        throw new ConsulError({ ...failure, method: req.method, path: pathWithQuery, ambiguous: write && possiblyApplied, attempts: attempt });
      }
      const delayMs = backoffDelay(attempt, policy, this.#cfg.random, failure.retryAfterMs);
      this.#cfg.logger?.warn('Consul request failed, retrying', {
        method: req.method,
        path: pathWithQuery,
        attempt,
        status: failure.status,
        code: failure.code,
        kind: failure.kind,
        delayMs,
      });
      await this.#cfg.sleep(delayMs);
    }
  }

  async #attempt(
    req: ExchangeRequest,
    pathWithQuery: string,
    token: string | undefined,
  ): Promise<{ status: number; res: AttemptResponse; text: string } | AttemptFailure> {
    const timeoutMs = this.#cfg.timeoutMs + (req.extraTimeoutMs ?? 0);
    const stop = new AttemptSignal();
    const timer = setTimeout(() => stop.abort(TIMEOUT), timeoutMs);
    const onCallerAbort = (): void => stop.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['x-consul-token'] = token;
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    try {
      // The dispatcher's own request(): undici's top-level request() parses the URL again on every call.
      const res = await this.#cfg.dispatcher.request({
        origin: this.#origin,
        path: this.#pathPrefix + pathWithQuery,
        method: req.method,
        headers,
        body: req.body,
        signal: stop,
        // Backstops; the AttemptSignal above is the real per-request limit.
        headersTimeout: timeoutMs + 1_000,
        bodyTimeout: timeoutMs + 1_000,
      });
      const text = await res.body.text();
      const ok = (res.statusCode >= 200 && res.statusCode < 300) || (req.accept ?? []).includes(res.statusCode);
      if (ok) return { status: res.statusCode, res, text };
      return classifyResponse(res.statusCode, text, parseRetryAfter(header(res.headers, 'retry-after')));
    } catch (e) {
      if (stop.aborted && stop.reason === TIMEOUT) {
        return { kind: 'timeout', message: `no response from Consul within ${timeoutMs} ms`, transient: true, possiblyApplied: true };
      }
      if (req.signal?.aborted) return { kind: 'timeout', message: 'request aborted by caller', code: 'ABORTED', transient: false, possiblyApplied: true };
      const failure = classifyTransportError(e);
      // node says "self-signed certificate in certificate chain": which CA file, named by what, it does not say.
      return this.#cfg.trust && failure.code && CERTIFICATE_TRUST_CODES.has(failure.code)
        ? { ...failure, message: `${failure.message}: Consul's certificate is not trusted by ${this.#cfg.trust}` }
        : failure;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

export function header(headers: ExchangeResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** What URLSearchParams writes as is (the form-urlencoded serializer's unescaped set): ASCII letters, digits, `*-._`. */
const AS_IS = /^[\w*.-]*$/;

function withQuery(path: string, query: ExchangeRequest['query']): string {
  // An apply's writes carry `cas=N` and maybe a namespace: names and values URLSearchParams would
  // write unchanged are joined as it joins them, with no URLSearchParams made per request.
  let qs = '';
  for (const k in query) {
    const v = query[k];
    if (v === undefined) continue;
    if (!AS_IS.test(k) || !AS_IS.test(v)) return withEncodedQuery(path, query);
    qs += qs ? `&${k}=${v}` : `${k}=${v}`;
  }
  return qs ? `${path}?${qs}` : path;
}

function withEncodedQuery(path: string, query: NonNullable<ExchangeRequest['query']>): string {
  const params = new URLSearchParams();
  for (const k in query) {
    const v = query[k];
    if (v !== undefined) params.append(k, v);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
