// What a push through `serve` survives from GitHub, with octokit's throttling and retries on as in
// production: primary and secondary rate limits (403/429 with retry-after and x-ratelimit-*) are
// waited out and the run completes (octokit's waits are not in serve's log: its GitHub client logs nothing); a limit that outlasts the wait fails the run with the kind of
// failure named and nothing applied; the log says what happened and never carries a token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startServe, type ServeHandle } from '../../src/serve/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { configPush, SECRET, signed } from '../functions/webhook/github-examples.ts';
import { startAsyncProxy, type AsyncProxy, type Verdict } from './support.ts';

const GITHUB_TOKEN = 'ghp_rateLimitTOKEN-0123456789abcdef';

let consul: DevServer;
let github: GitHubDouble;
let front: AsyncProxy;
let serve: ServeHandle;
let logs: string[];
/** Answers the next matching requests with a rate limit instead of GitHub's answer. */
let limits: Array<{ method: string; path: RegExp; times: number; answer: () => Verdict }>;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master', token: GITHUB_TOKEN });
  limits = [];
  front = await startAsyncProxy(
    () => github.url,
    async (req) => {
      const limit = limits.find((l) => l.times > 0 && l.method === req.method && l.path.test(req.url ?? ''));
      if (!limit) return 'forward';
      limit.times--;
      return limit.answer();
    },
  );
  logs = [];
  serve = await startServe({
    env: {
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN,
      GITHUB_API_URL: front.url,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      DEFAULT_BRANCH: 'master',
      CONSUL_HTTP_ADDR: consul.url,
    },
    port: 0,
    host: '127.0.0.1',
    log: (line) => void logs.push(line),
    scheduleIntervalMs: 0,
    // Retries of 5xx answers as in production, but 1 ms × attempt² apart instead of 1 s × attempt²
    // (about 5 s of waiting in the 502 test); rate-limit waits follow retry-after, unchanged.
    overrides: { github: { retryAfterBaseValueMs: 1 } },
  });
});
afterEach(async () => {
  await serve.close();
  expect(github.unexpected).toEqual([]);
  await Promise.all([front.close(), consul.close(), github.close()]);
});

const json = (o: unknown) => JSON.stringify(o);
const primary = (): Verdict => ({
  status: 403,
  body: json({
    message: 'API rate limit exceeded for installation ID 1.',
    documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
  }),
  headers: {
    'content-type': 'application/json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-used': '5000',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
    'x-ratelimit-resource': 'core',
  },
});
const secondary = (retryAfter: number): Verdict => ({
  status: 403,
  body: json({
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/resources-in-the-rest-api#secondary-rate-limits',
  }),
  headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter), 'x-ratelimit-remaining': '4000' },
});
const tooMany = (): Verdict => ({
  status: 429,
  body: json({ message: 'Too Many Requests' }),
  headers: { 'content-type': 'application/json', 'retry-after': '1' },
});

async function push(): Promise<string> {
  const sha = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'api', {
    branch: 'master',
    date: '2026-11-25T10:00:00Z',
  });
  const p = configPush();
  p.after = sha;
  const req = await signed('push', p);
  const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
  expect(res.status).toBe(202);
  await serve.idle();
  return sha;
}

const applied = async () => (await fetch(`${consul.url}/v1/config/service-defaults/api`)).status === 200;

describe('GitHub rate limits and failures during a push', () => {
  it.each([
    ['a primary rate limit (403, x-ratelimit-remaining: 0) on the tree listing', 'GET', /\/git\/trees\//, primary],
    ['a secondary rate limit (403, retry-after) on the commit status', 'POST', /\/statuses\//, () => secondary(1)],
    ['a 429 with retry-after on the blob', 'GET', /\/git\/blobs\//, tooMany],
  ] as Array<[string, string, RegExp, () => Verdict]>)('%s: waited out, applied, status success', { timeout: 30_000 }, async (_name, method, path, answer) => {
    limits.push({ method, path, times: 1, answer });
    const sha = await push();
    expect(limits[0].times).toBe(0);
    expect(await applied()).toBe(true);
    expect(github.statuses.filter((s) => s.sha === sha).at(-1)?.state).toBe('success');
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  it('a secondary limit that outlasts the wait (retry-after: 3600): the run fails naming the rate limit, nothing applied', async () => {
    limits.push({ method: 'GET', path: /\/git\/trees\//, times: 10, answer: () => secondary(3600) });
    const sha = await push();
    expect(await applied()).toBe(false);
    const failed = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'Reconcile failed' || l.level === 'ERROR');
    expect(JSON.stringify(failed)).toMatch(/rate.limit/i);
    expect(github.statuses.filter((s) => s.sha === sha).at(-1)?.state).not.toBe('success');
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  it('GitHub 502 twice on the tree listing: retried, applied', async () => {
    limits.push({
      method: 'GET',
      path: /\/git\/trees\//,
      times: 2,
      answer: () => ({ status: 502, body: json({ message: 'Server Error' }), headers: { 'content-type': 'application/json' } }),
    });
    const sha = await push();
    expect(await applied()).toBe(true);
    expect(github.statuses.filter((s) => s.sha === sha).at(-1)?.state).toBe('success');
  });
});
