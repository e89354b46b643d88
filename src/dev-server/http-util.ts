// Consul's HTTP conventions shared by every route (agent/http.go): error bodies as text/plain,
// JSON bodies (compact, or `?pretty` = 4-space indent + newline), query metadata headers,
// blocking-query parameters, and the CE refusals of namespace/partition parameters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { goQuote } from '../model/go-quote.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { parseGoDuration } from '../decode/duration.ts';
import type { DevState } from './state.ts';
import { ConsulGitopsError } from '../errors.ts';

export class HttpError extends ConsulGitopsError {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super('dev-server', message);
  }
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** URL-decoded path, as Go's req.URL.Path. */
  path: string;
  query: URLSearchParams;
  body: string;
  bodyBytes: Buffer;
  state: DevState;
  /** Resolved token: undefined = anonymous. Set by the ACL layer. */
  token?: string;
  /** Extra headers every response gets (e.g. the ACL default policy). */
  baseHeaders: Record<string, string>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** A request target as plain letters, digits, `_-/` and a query of URL-safe bytes: what every client sends. */
const PLAIN_TARGET = /^\/(?!\/)[\w\-/]*(?:\?[\w\-.=&%+,:*~]*)?$/;

/**
 * The path and query of a request target. A plain one is split as it is (the WHATWG URL parser
 * would return the same path and parameters, at several times the cost); anything else (dots,
 * escapes in the path, a fragment, other bytes) goes through URL.
 */
export function requestTarget(target: string): { pathname: string; searchParams: URLSearchParams } {
  if (PLAIN_TARGET.test(target)) {
    const q = target.indexOf('?');
    return q < 0
      ? { pathname: target, searchParams: new URLSearchParams() }
      : { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q + 1)) };
  }
  const url = new URL(target, 'http://localhost');
  return { pathname: url.pathname, searchParams: url.searchParams };
}

export function has(q: URLSearchParams, name: string): boolean {
  return q.has(name);
}

/**
 * Go's net/http buffers the first 2048 bytes of an answer (server.go bufferBeforeChunkingSize): a
 * body that fits and is complete when the handler returns is sent with Content-Length, a larger one
 * chunked. Node chunks every answer whose length it was not told (and writes three buffers for it).
 */
const BUFFER_BEFORE_CHUNKING = 2048;

/** `Content-Length` of a body as Go's server would send it, or none (chunked). */
export function goContentLength(body: string | Buffer): Record<string, string> {
  const length = contentLength(body);
  return length === undefined ? {} : { 'Content-Length': length };
}

function contentLength(body: string | Buffer): string | undefined {
  if (body.length > BUFFER_BEFORE_CHUNKING) return undefined;
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return bytes <= BUFFER_BEFORE_CHUNKING ? String(bytes) : undefined;
}

/**
 * An answer's headers: the base ones, Content-Type, the route's, then Content-Length as Go sends it:
 * the object `{ ...base, 'Content-Type': type, ...headers, ...goContentLength(body) }` would be, built
 * by assignment (those spreads cost more than the rest of a write's route, about 5 µs an answer).
 */
function answerHeaders(base: Record<string, string>, type: string, headers: Record<string, string> | undefined, body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(base)) out[k] = base[k];
  out['Content-Type'] = type;
  if (headers) for (const k of Object.keys(headers)) out[k] = headers[k];
  const length = contentLength(body);
  if (length !== undefined) out['Content-Length'] = length;
  return out;
}

export function sendText(ctx: RequestContext, status: number, text: string, headers?: Record<string, string>): void {
  ctx.res.writeHead(status, answerHeaders(ctx.baseHeaders, 'text/plain; charset=utf-8', headers, text));
  ctx.res.end(text);
}

export function sendJson(ctx: RequestContext, status: number, value: unknown, headers?: Record<string, string>): void {
  const pretty = has(ctx.query, 'pretty');
  // A write's answer is a bare true/false: no replacer walk for it.
  const json = typeof value === 'boolean' ? String(value) : pretty ? stringifyApiJson(value, 4) : stringifyApiJson(value, 0);
  const text = pretty ? `${json}\n` : json;
  ctx.res.writeHead(status, answerHeaders(ctx.baseHeaders, 'application/json', headers, text));
  ctx.res.end(text);
}

export function sendError(ctx: RequestContext, err: unknown): void {
  if (err instanceof HttpError) return sendText(ctx, err.status, err.message, err.headers);
  const message = err instanceof Error ? err.message : String(err);
  // agent/http.go: ACL errors by substring → 403; everything else from the RPC layer → 500.
  const status = message.includes('Permission denied') || message.includes('ACL not found') ? 403 : 500;
  sendText(ctx, status, message);
}

/** setMeta: X-Consul-Index (never 0), KnownLeader, LastContact. */
export function queryMetaHeaders(index: number): Record<string, string> {
  return {
    'X-Consul-Index': String(Math.max(1, index)),
    'X-Consul-KnownLeader': 'true',
    'X-Consul-LastContact': '0',
  };
}

/** Errors an RPC returns (plain errors → 500 by sendError). */
export class RpcError extends ConsulGitopsError {
  constructor(message: string) {
    super('dev-server', message);
  }
}

const UINT64_RE = /^\d+$/;

/** strconv.ParseUint(s, 10, 64) with Go's error text. */
export function parseUint(s: string): number {
  if (!UINT64_RE.test(s)) throw new RpcError(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  // Up to 15 digits is below 2^53: the number itself, without a BigInt (every CAS write has one).
  if (s.length <= 15) return Number(s);
  const n = BigInt(s);
  if (n >= 1n << 64n) throw new RpcError(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

export { goQuote } from '../model/go-quote.ts';

export const DEFAULT_QUERY_MS = 300_000;
export const MAX_QUERY_MS = 600_000;

export interface QueryOptions {
  minIndex: number;
  waitMs: number;
}

/** parseWait + parseConsistency (agent/http.go). */
export function parseQueryOptions(q: URLSearchParams): QueryOptions {
  // parseConsistency runs before parseWait.
  let stale = q.has('stale');
  const maxStale = q.get('max_stale') ?? '';
  if (maxStale !== '') {
    const ns = parseGoDuration(maxStale);
    if (ns === undefined) throw new HttpError(400, `Invalid max_stale value ${goQuote(maxStale)}`);
    if (ns > 0) stale = true;
  }
  if (stale && q.has('consistent')) throw new HttpError(400, 'Cannot specify ?stale with ?consistent, conflicting semantics.');
  let waitMs = DEFAULT_QUERY_MS;
  let minIndex = 0;
  const wait = q.get('wait');
  if (wait !== null && wait !== '') {
    const ns = parseGoDuration(wait);
    if (ns === undefined) throw new HttpError(400, 'Invalid wait time');
    waitMs = Math.min(ns / 1e6, MAX_QUERY_MS);
  }
  const index = q.get('index');
  if (index !== null && index !== '') {
    if (!UINT64_RE.test(index) || BigInt(index) >= 1n << 64n) throw new HttpError(400, 'Invalid index');
    minIndex = Number(index);
  }
  return { minIndex, waitMs };
}

/** parseEntMeta in CE (agent/http_ce.go): any namespace/partition parameter or header is a 400. */
export function rejectEnterpriseMeta(ctx: RequestContext): void {
  if (ctx.query.has('ns')) throw new HttpError(400, 'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature');
  if (ctx.req.headers['x-consul-namespace'] !== undefined)
    throw new HttpError(400, 'Invalid header: "X-Consul-Namespace" - Namespaces are a Consul Enterprise feature');
  if (ctx.query.has('partition')) throw new HttpError(400, 'Invalid query parameter: "partition" - Partitions are a Consul Enterprise feature');
  if (ctx.req.headers['x-consul-partition'] !== undefined)
    throw new HttpError(400, 'Invalid header: "X-Consul-Partition" - Partitions are a Consul Enterprise feature');
}

/** The only datacenter this dev server knows. */
export const DATACENTER = 'dc1';

export function checkDatacenter(ctx: RequestContext): void {
  const dc = ctx.query.get('dc') ?? ctx.query.get('datacenter');
  if (dc && dc !== DATACENTER) throw new RpcError('No path to datacenter');
}

/**
 * Consul's blocking query: run `compute` until its index exceeds minIndex or the wait (plus up to
 * wait/16 jitter, structs.JitterFraction) runs out; on timeout the current result is returned.
 */
export async function blockingQuery<T extends { index: number }>(
  ctx: RequestContext,
  opts: QueryOptions,
  compute: () => T,
  /**
   * Spurious wake-up suppression: `true` = the result did not change, keep blocking with the new
   * index (ErrNotChanged / ErrNotFound); `'unwatched'` = the write did not touch what the query
   * watches, so Consul would not even have woken up: keep blocking with the previous result.
   */
  unchanged?: (prev: T, next: T) => boolean | 'unwatched',
): Promise<T> {
  let result = compute();
  if (opts.minIndex === 0 || result.index > opts.minIndex) return result;
  const deadline = Date.now() + opts.waitMs + Math.random() * (opts.waitMs / 16);
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || ctx.signal.aborted) return result;
    await ctx.state.waitForChange(left, ctx.signal);
    const next = compute();
    const same = unchanged?.(result, next) ?? false;
    if (same === 'unwatched') continue;
    result = next;
    if (!same && result.index > opts.minIndex) return result;
  }
}
