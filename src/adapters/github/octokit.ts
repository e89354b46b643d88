// One Octokit for every GitHub adapter: token or GitHub App installation credentials, GitHub.com or
// GitHub Enterprise Server (`baseUrl`, e.g. `https://ghe.example.com/api/v3`), octokit's own retry
// (5xx, 3 attempts) and throttling (rate limits, spaced writes) plugins, a per-request timeout, and
// every failure turned into a GitHubError that holds no secret. The client's credentials (and each
// installation token it is issued) join the process's known secrets, and every text it sends for
// people to read (status descriptions, comment, issue and pull-request bodies and titles, commit
// messages, check-run output) is masked with them: an error quoting a secret is not published.
// https://github.com/octokit/octokit.js#authentication
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from 'octokit';
import { GitHubError, redactSecrets, toGitHubError } from './errors.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { knownSecrets } from '../../known-secrets.ts';

export type { Octokit } from 'octokit';

export type GitHubAuth =
  | { token: string }
  | {
      appId: number | string;
      installationId: number;
      /** PEM (PKCS#1 or PKCS#8); `\n` escapes, as environment variables often hold them, are accepted. */
      privateKey: string;
    };

export interface GitHubLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GitHubClientOptions {
  auth: GitHubAuth;
  /** REST API root; GitHub Enterprise Server: `https://HOST/api/v3` (Actions' GITHUB_API_URL). */
  baseUrl?: string;
  userAgent?: string;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
  /** Retries of 5xx answers and network failures by @octokit/plugin-retry (default 3; 0 turns it off). */
  retries?: number;
  /** Seconds between retries are (attempt²) × this many ms (default 1000; tests use 1). */
  retryAfterBaseValueMs?: number;
  /**
   * @octokit/plugin-throttling: waits out rate limits and spaces writes 1 s apart as GitHub asks
   * for content-creating requests. Default on; tests against the double turn it off.
   */
  throttle?: boolean;
  /** Rate-limit waits longer than this many seconds are not waited out (default 120). */
  maxRateLimitWaitSeconds?: number;
  logger?: GitHubLogger;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * The web address that goes with a REST API root, for links people click: `https://api.github.com`
 * → `https://github.com`; GitHub Enterprise Server `https://HOST/api/v3` → `https://HOST` (GitHub's
 * documented layout); anything else (a local double) is its own web root.
 */
export function githubWebUrl(apiUrl: string = DEFAULT_GITHUB_API_URL): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  const url = new URL(trimmed);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  if (/\/api\/v3$/.test(url.pathname)) return `${url.origin}${url.pathname.replace(/\/api\/v3$/, '')}`;
  return trimmed;
}

const SILENT_LOGGER: GitHubLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export class GitHubConfigError extends ConsulGitopsError {
  constructor(message: string) {
    super('config', message);
    this.name = 'GitHubConfigError';
  }
}

function secretsOf(auth: GitHubAuth): string[] {
  if ('token' in auth) return [auth.token];
  const key = normalizePrivateKey(auth.privateKey);
  // Each base64 line of the key too, in case a message quotes a fragment.
  return [auth.privateKey, key, ...key.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))];
}

function normalizePrivateKey(key: string): string {
  return key.includes('\\n') && !key.includes('\n') ? key.replace(/\\n/g, '\n') : key;
}

function validateAuth(auth: GitHubAuth): void {
  if ('token' in auth) {
    if (typeof auth.token !== 'string' || auth.token.trim() === '') throw new GitHubConfigError('GitHub token is empty');
    return;
  }
  if (!/^\d+$/.test(String(auth.appId))) throw new GitHubConfigError('GitHub App id must be a number');
  if (!Number.isInteger(auth.installationId) || auth.installationId <= 0) throw new GitHubConfigError('GitHub App installation id must be a positive integer');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(normalizePrivateKey(auth.privateKey ?? '')))
    throw new GitHubConfigError('GitHub App private key is not a PEM private key');
}

/**
 * Every request goes to the configured API's origin. Octokit requests a list's next page at the URL
 * its Link header names, with the client's token: a Link naming another host (a proxy or GitHub
 * Enterprise Server rewriting hosts badly, a hostile answer) would hand that host the token. Redirects
 * (the archive's, to codeload) are followed inside fetch, which drops the Authorization header across
 * origins, and are not seen here.
 */
function sameOriginFetch(inner: typeof fetch, baseUrl: string): typeof fetch {
  const origin = new URL(baseUrl).origin;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const asked = URL.canParse(url) ? new URL(url).origin : url;
    if (asked !== origin)
      return Promise.reject(
        new GitHubConfigError(
          `GitHub's answer named ${asked} for the next request (a page's Link header), not the API at ${origin}: not asked, so the token stays with GitHub`,
        ),
      );
    return inner(input, init);
  };
}

function timedFetch(inner: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return inner(input, { ...init, signal });
  };
}

/**
 * Builds the client. With App credentials the installation token is fetched on the first request
 * and renewed by octokit before it expires.
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<Octokit> {
  validateAuth(options.auth);
  const logger = options.logger ?? SILENT_LOGGER;
  const secrets = secretsOf(options.auth);
  // Octokit's own warnings go to the console, past the functions' logger: every known secret is masked here too.
  const safe = (m: string) => knownSecrets.mask(redactSecrets(m, secrets));
  const log = {
    debug: (m: string) => logger.debug(safe(m)),
    info: (m: string) => logger.info(safe(m)),
    warn: (m: string) => logger.warn(safe(m)),
    error: (m: string) => logger.error(safe(m)),
  };
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const onLimit = (kind: string) => (retryAfter: number, o: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retry = retryCount < 2 && retryAfter <= maxWait;
    log.warn(`GitHub ${kind} on ${o.method} ${o.url}: ${retry ? `retrying after ${retryAfter} s` : 'giving up'}`);
    return retry;
  };
  const retries = options.retries ?? 3;
  const baseUrl = (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  const Configured = Octokit.defaults({
    baseUrl,
    userAgent: options.userAgent ?? 'consul-gitops',
    log,
    retry: retries > 0 ? { retries, retryAfterBaseValue: options.retryAfterBaseValueMs ?? 1000 } : { enabled: false },
    throttle: options.throttle === false ? { enabled: false } : { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
    request: { fetch: sameOriginFetch(timedFetch(options.fetch ?? globalThis.fetch, options.timeoutMs ?? 30_000), baseUrl) },
  });

  let octokit: Octokit;
  if ('token' in options.auth) octokit = new Configured({ auth: options.auth.token });
  // The installation's auth strategy alone (@octokit/auth-app), not octokit's App, which brings OAuth
  // and webhook handling the reconciler never uses into every Lambda bundle.
  else
    octokit = new Configured({
      authStrategy: createAppAuth,
      auth: { appId: options.auth.appId, privateKey: normalizePrivateKey(options.auth.privateKey), installationId: options.auth.installationId },
    });
  guardPagination(octokit, secrets);
  for (const s of secrets) knownSecrets.add(s, 'token' in options.auth ? 'GitHub token' : 'GitHub App private key');
  octokit.hook.before('request', (request) => maskOutgoingText(request as unknown as Record<string, unknown>));
  // The installation token auth-app is issued (and renews) is a secret of this process too.
  octokit.hook.after('request', (response, request) => {
    if (/\/app\/installations\/[^/]+\/access_tokens$/.test(String(request.url))) {
      const token = (response.data as { token?: unknown } | undefined)?.token;
      if (typeof token === 'string') knownSecrets.add(token, 'GitHub App installation token');
    }
  });
  // Registered last, so it wraps the retry/throttle/auth hooks and sees only the final failure.
  octokit.hook.error('request', (error) => {
    throw toGitHubError(error, secrets);
  });
  return octokit;
}

/** octokit's (@octokit/plugin-paginate-rest) reading of a page's next link. */
const NEXT_LINK = /<([^<>]+)>;\s*rel="next"/;

/**
 * octokit's pagination requests the page a Link header names as `next` for as long as one is named:
 * a Link naming the page just read, or one read before (a proxy or server paging wrongly), made every
 * paged read (statuses on each drift check, comments, issues, pulls) loop forever. Each paged read
 * now stops before asking a page it already read again, with a GitHubError naming the URL (secrets
 * redacted). `paginate` is rebuilt on the guarded iterator, as octokit builds it on its own.
 */
function guardPagination(octokit: Octokit, secrets: readonly string[]): void {
  const pages = octokit.paginate.iterator;
  const iterator = ((route: Parameters<typeof pages>[0], parameters?: Parameters<typeof pages>[1]) => ({
    [Symbol.asyncIterator]: () => {
      const inner = pages(route, parameters)[Symbol.asyncIterator]();
      const read = new Set<string>();
      return {
        async next() {
          const step = await inner.next();
          if (step.done) return step;
          read.add(normalUrl(step.value.url));
          const next = NEXT_LINK.exec(String(step.value.headers.link ?? ''))?.[1];
          if (next !== undefined && read.has(normalUrl(next))) {
            const shown = knownSecrets.mask(redactSecrets(next, secrets));
            const path = URL.canParse(shown) ? new URL(shown).pathname : shown;
            throw new GitHubError({
              kind: 'protocol',
              method: 'GET',
              path,
              message: `GitHub's answer named ${shown} as the next page, a page this read already had: not asked again (the paging would never end)`,
            });
          }
          return step;
        },
      };
    },
  })) as unknown as typeof pages;
  const paginate = async (route: unknown, parameters?: unknown, mapFn?: (response: unknown, done: () => void) => unknown): Promise<unknown[]> => {
    if (typeof parameters === 'function') [mapFn, parameters] = [parameters as typeof mapFn, undefined];
    let results: unknown[] = [];
    for await (const response of iterator(route as never, parameters as never)) {
      let done = false;
      results = results.concat(mapFn ? mapFn(response, () => (done = true)) : (response as { data: unknown }).data);
      if (done) break;
    }
    return results;
  };
  octokit.paginate = Object.assign(paginate, { iterator }) as unknown as Octokit['paginate'];
}

const normalUrl = (url: string) => (URL.canParse(url) ? new URL(url).href : url);

/** Request parameters that are prose for people (never file contents: a blob is sent as committed). */
const OUTGOING_TEXT = ['description', 'body', 'title', 'message', 'summary', 'text'] as const;

/** Masks the process's known secrets in the text a request publishes (check runs nest theirs in `output`). */
function maskOutgoingText(params: Record<string, unknown>): void {
  for (const key of OUTGOING_TEXT) if (typeof params[key] === 'string') params[key] = knownSecrets.mask(params[key]);
  const output = params.output;
  if (output && typeof output === 'object') maskOutgoingText(output as Record<string, unknown>);
}

/** Options from the environment GitHub Actions and our Lambda functions see. */
export function githubClientOptionsFromEnv(env: Record<string, string | undefined> = process.env): GitHubClientOptions {
  const baseUrl = env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL;
  if (env.GITHUB_APP_ID || env.GITHUB_APP_PRIVATE_KEY || env.GITHUB_APP_INSTALLATION_ID) {
    const missing = ['GITHUB_APP_ID', 'GITHUB_APP_INSTALLATION_ID', 'GITHUB_APP_PRIVATE_KEY'].filter((k) => !env[k]);
    if (missing.length) throw new GitHubConfigError(`GitHub App credentials are incomplete: set ${missing.join(', ')}`);
    return { baseUrl, auth: { appId: env.GITHUB_APP_ID!, installationId: Number(env.GITHUB_APP_INSTALLATION_ID), privateKey: env.GITHUB_APP_PRIVATE_KEY! } };
  }
  if (env.GITHUB_TOKEN) return { baseUrl, auth: { token: env.GITHUB_TOKEN } };
  throw new GitHubConfigError('no GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PRIVATE_KEY');
}
