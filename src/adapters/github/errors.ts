// GitHub API failures as one error type, classified from the status code, with no secret in them:
// no request headers, no `cause` (octokit's RequestError carries the request options), and every
// message passes through `redactSecrets` with the client's own secrets and token-shaped strings.
import { ConsulGitopsError } from '../../errors.ts';

export type GitHubErrorKind =
  | 'auth' // 401: bad or expired credentials
  | 'permission' // 403 without rate limiting: the token or app lacks a permission
  | 'rate-limited' // 403/429 rate limits that outlasted octokit's throttling
  | 'not-found' // 404 (GitHub also answers 404 for private repositories the token cannot see)
  | 'conflict' // 409 (e.g. empty repository) or 422 for a ref that already exists / is not a fast forward
  | 'validation' // 422 otherwise
  | 'unavailable' // 5xx, network failures, timeouts
  | 'protocol'; // anything else, or a 2xx body we cannot use

export class GitHubError extends ConsulGitopsError {
  readonly kind: GitHubErrorKind;
  readonly status: number | undefined;
  readonly method: string;
  /** Path of the request, query string without credentials. */
  readonly path: string;

  constructor(init: { kind: GitHubErrorKind; message: string; method: string; path: string; status?: number }) {
    super('github', init.message);
    this.name = 'GitHubError';
    this.kind = init.kind;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
  }

  /** One line for logs: `GET /repos/acme/mesh/git/trees/abc: 404 not-found: Not Found`. */
  describe(): string {
    return `${this.method} ${this.path}: ${this.status ?? 'no response'} ${this.kind}: ${this.message}`;
  }
}

export function isGitHubError(e: unknown): e is GitHubError {
  return e instanceof GitHubError;
}

/** 404 from either a GitHubError or a raw octokit RequestError. */
export function isNotFound(e: unknown): boolean {
  return (e as { status?: unknown } | null)?.status === 404;
}

const TOKEN_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bgh[pousr]_[A-Za-z0-9_]{10,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{10,}/g,
  /\b(authorization|token|bearer)(["':= ]+)[A-Za-z0-9_.-]{20,}/gi, // credential-shaped values after a credential word
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/g, // JWTs (App authentication)
  /\b(client_secret|access_token)=[^&\s]+/g,
];

/** Removes the given secrets and anything shaped like a GitHub credential. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[REDACTED]');
  for (const re of TOKEN_PATTERNS)
    out = out.replace(re, (match, name?: string, sep?: string) =>
      typeof name === 'string' && typeof sep === 'string' && /^[a-z_]+$/i.test(name) ? `${name}${sep}[REDACTED]` : '[REDACTED]',
    );
  return out;
}

// GitHub's own text is matched where its answer has no structured field for the case: a secondary rate
// limit is a 403 whose only mark is its message, and a 422 says "Reference already exists" or "not a fast
// forward" only in words. This is a remote server's text, never one of our own messages.
function kindOf(status: number | undefined, message: string, headers: Record<string, unknown>): GitHubErrorKind {
  if (status === undefined || status === 500 || status >= 502) return 'unavailable';
  if (status === 401) return 'auth';
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)))) return 'rate-limited';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 422) return /already exists|not a fast forward/i.test(message) ? 'conflict' : 'validation';
  return 'protocol';
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, unknown> };
}

/** Turns whatever octokit threw into a GitHubError carrying only redacted text. */
export function toGitHubError(e: unknown, secrets: readonly string[] = []): GitHubError {
  if (e instanceof GitHubError) return e;
  const err = (e ?? {}) as RequestErrorLike;
  const status = typeof err.status === 'number' && err.status > 0 ? err.status : undefined;
  const data = err.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const apiMessage = typeof data?.message === 'string' ? data.message : undefined;
  const details = Array.isArray(data?.errors)
    ? (data.errors as unknown[])
        .map((x) => {
          if (typeof x === 'string') return x;
          const item = (x ?? {}) as { message?: unknown; code?: unknown; field?: unknown };
          if (typeof item.message === 'string') return item.message;
          return typeof item.code === 'string' ? `${typeof item.field === 'string' ? item.field : ''} ${item.code}`.trim() : '';
        })
        .filter(Boolean)
    : [];
  const base = apiMessage ?? (typeof err.message === 'string' ? err.message : String(e));
  const message = redactSecrets(details.length ? `${base} (${details.join('; ')})` : base, secrets);
  let path = '';
  try {
    const url = new URL(err.request?.url ?? '', 'http://github.invalid');
    url.searchParams.delete('access_token');
    url.searchParams.delete('client_secret');
    path = redactSecrets(`${url.pathname}${url.search}`, secrets);
  } catch {
    path = '';
  }
  return new GitHubError({
    kind: kindOf(status, base, err.response?.headers ?? {}),
    message,
    method: err.request?.method ?? '?',
    path,
    ...(status ? { status } : {}),
  });
}
