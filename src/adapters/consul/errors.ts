// Consul HTTP failures as values: classified once here, from the status code and Consul's text,
// so nothing above the adapter inspects HTTP status codes. See agent/http.go (wrap, handleErr) in Consul.
//
// The secret token is never part of an error: requests carry it only in the X-Consul-Token header
// (never the query string), `cause` is not kept (undici errors reference sockets and dispatchers),
// and every message passes through `redact` before it is stored.
import { ConsulGitopsError } from '../../errors.ts';

export type ConsulErrorKind =
  | 'validation' // 500 with Consul's plain-text Normalize/Validate/graph error: never retried
  | 'not-found' // 404
  | 'permission' // 401/403 (`Permission denied…`, `ACL not found`)
  | 'conflict' // 409, or a CAS write answered `false` after an ambiguous retry (see client.ts)
  | 'unavailable' // connection failures, 429/502/503/504, leaderless or transport-broken RPC
  | 'timeout' // no complete answer within the per-request timeout
  | 'bad-request' // 400/405/413 and other 4xx: a bug in the request we built
  | 'protocol' // 2xx whose body is not what Consul sends, TLS trust failures, other statuses
  | 'incomplete-read'; // 200, but ACLs may have left things out (see complete-read.ts): never treat as "absent"

export interface ConsulErrorInit {
  kind: ConsulErrorKind;
  message: string;
  method: string;
  path: string;
  status?: number;
  /** Node/undici error code for transport failures (`ECONNREFUSED`, `UND_ERR_SOCKET`, …). */
  code?: string;
  /** The request may have been applied by Consul even though it failed (a write whose outcome is unknown). */
  ambiguous?: boolean;
  attempts?: number;
  /** For `incomplete-read`: the permission the token lacks, e.g. `service:read on every service`. */
  missingPermission?: string;
}

export class ConsulError extends ConsulGitopsError {
  readonly kind: ConsulErrorKind;
  readonly status: number | undefined;
  /** Node/undici error code of a transport failure (`ECONNREFUSED`); `code` is the family's `consul`. */
  readonly transportCode: string | undefined;
  readonly method: string;
  /** Path and query string of the request (never contains the token). */
  readonly path: string;
  readonly ambiguous: boolean;
  readonly attempts: number;
  readonly missingPermission: string | undefined;

  constructor(init: ConsulErrorInit) {
    super('consul', init.message);
    this.name = 'ConsulError';
    this.kind = init.kind;
    this.status = init.status;
    this.transportCode = init.code;
    this.method = init.method;
    this.path = init.path;
    this.ambiguous = init.ambiguous ?? false;
    this.attempts = init.attempts ?? 1;
    this.missingPermission = init.missingPermission;
  }

  /** One line for logs: `PUT /v1/config?cas=0: 500 validation: <Consul's text>`. */
  describe(): string {
    const status = this.status === undefined ? (this.transportCode ?? 'no response') : String(this.status);
    return `${this.method} ${this.path}: ${status} ${this.kind}: ${this.message}`;
  }
}

export function isConsulError(e: unknown): e is ConsulError {
  return e instanceof ConsulError;
}

/** A failed attempt, before the retry loop decides what to do with it. */
export interface AttemptFailure {
  kind: ConsulErrorKind;
  message: string;
  status?: number;
  code?: string;
  /** Trying again can help (the condition is transient). */
  transient: boolean;
  /** The request may have reached Consul and been applied. */
  possiblyApplied: boolean;
  /** Server-requested delay (Retry-After), in ms. */
  retryAfterMs?: number;
}

const FORWARD_PREFIX = 'rpc error making call: ';

// Messages Consul (or the Go net/yamux/raft layers under it) produces when an RPC could not be
// delivered or answered. Anchored at the end so a forwarded validation error that merely mentions
// a word like "timeout" (`Bad ConnectTimeout '-1s', must be >= 0`) never matches.
const RPC_NOT_APPLIED: readonly RegExp[] = [
  /^No cluster leader$/,
  /^node is not the leader$/,
  /^timed out enqueuing operation$/,
  /^rpc error getting client: /,
];
const RPC_MAYBE_APPLIED: readonly RegExp[] = [
  /^EOF$/,
  /^unexpected EOF$/,
  /i\/o timeout$/,
  /connection reset by peer$/,
  /broken pipe$/,
  /use of closed network connection$/,
  /^stream closed$/,
  /^session shutdown$/,
  /^keepalive timeout$/,
  /^leadership lost while committing log$/,
];

/**
 * Classifies a 500 body. Returns the transport-ish cases (leaderless cluster, broken forwarded RPC);
 * anything else on a 500 is Consul rejecting the request (validation, graph, unknown kind…).
 */
export function classifyServerError(body: string): { possiblyApplied: boolean } | undefined {
  let rest = body.trim();
  const forwarded = rest.startsWith(FORWARD_PREFIX);
  while (rest.startsWith(FORWARD_PREFIX)) rest = rest.slice(FORWARD_PREFIX.length);
  if (RPC_NOT_APPLIED.some((re) => re.test(rest))) return { possiblyApplied: false };
  if (forwarded && RPC_MAYBE_APPLIED.some((re) => re.test(rest))) return { possiblyApplied: true };
  return undefined;
}

/** Classification of a non-2xx response. 404 handling for "absent" reads is done by the caller. */
export function classifyResponse(status: number, body: string, retryAfterMs?: number): AttemptFailure {
  const message = body.trim();
  const base = { status, message, transient: false, possiblyApplied: false };
  // 429, and 503 with Consul's rate-limit text (`rate limit exceeded…`): the limiter refused
  // before doing anything. Any other 503 may come from a proxy that lost the upstream after
  // forwarding (Envoy's `upstream connect error or disconnect/reset before headers`).
  if (status === 429) return { ...base, kind: 'unavailable', transient: true, retryAfterMs };
  if (status === 503) return { ...base, kind: 'unavailable', transient: true, possiblyApplied: !/rate limit exceeded/i.test(message), retryAfterMs };
  // 502/504 come from a proxy in front of Consul, which may have forwarded the request.
  if (status === 502 || status === 504) return { ...base, kind: 'unavailable', transient: true, possiblyApplied: true };
  if (status === 500) {
    const rpc = classifyServerError(message);
    if (rpc) return { ...base, kind: 'unavailable', transient: true, possiblyApplied: rpc.possiblyApplied };
    return { ...base, kind: 'validation' };
  }
  if (status === 401 || status === 403) return { ...base, kind: 'permission' };
  if (status === 404) return { ...base, kind: 'not-found' };
  if (status === 409) return { ...base, kind: 'conflict' };
  if (status >= 400 && status < 500) return { ...base, kind: 'bad-request' };
  return { ...base, kind: 'protocol' };
}

// The connection was never established: the request cannot have been applied.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
// The connection broke after the request may have been written.
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Classification of an error thrown by the HTTP layer (no response received). */
export function classifyTransportError(e: unknown): AttemptFailure {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const message = typeof err?.message === 'string' && err.message ? err.message : String(e);
  if (code && NOT_SENT_CODES.has(code)) return { kind: 'unavailable', message, code, transient: true, possiblyApplied: false };
  if (code && BROKEN_CODES.has(code)) return { kind: 'unavailable', message, code, transient: true, possiblyApplied: true };
  if (code && TIMEOUT_CODES.has(code)) return { kind: 'timeout', message, code, transient: true, possiblyApplied: true };
  // DNS failures (ENOTFOUND), TLS trust failures (CERT_*, ERR_TLS_*), invalid arguments: retrying cannot help.
  const kind = code === 'ENOTFOUND' ? 'unavailable' : 'protocol';
  return { kind, message, code, transient: false, possiblyApplied: false };
}

/** Replaces every occurrence of the secret in a text (defence in depth: e.g. a proxy echoing headers). */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('<redacted>');
}
