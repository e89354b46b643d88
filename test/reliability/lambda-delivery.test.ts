// Lambda's asynchronous invocations are delivered at least once and in no promised order, through
// the production path (webhook handler → Lambda Invoke API → reconcile handler → Consul). The same
// event twice writes once; fifty pushes in a burst, run all at once and shuffled, hold the target
// one run at a time (watched on the wire: no lease is taken while another is held) and the newest
// commit is what Consul keeps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { configPush, SECRET, signed } from '../functions/webhook/github-examples.ts';
import { startAsyncProxy, type AsyncProxy } from './support.ts';
import { captureMetrics } from '../support/serverless-harness.ts';

const GITHUB_TOKEN = 'ghp_deliveryTOKEN-0123456789abcdef';
const revision = (rev: number) => ({
  'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMeta = { rev = "${rev}" }\n`,
});

let consul: DevServer;
let github: GitHubDouble;
let lambda: LambdaDouble;
let proxy: AsyncProxy;
/** Lease violations seen on the wire, and the most runs ever inside the lease at once. */
let overlaps: string[];
let configWritesOutsideLease: number;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  lambda = await startLambdaDouble();
  overlaps = [];
  configWritesOutsideLease = 0;
  let holder: string | undefined;
  // Watches the lease in Consul KV as Consul answers it.
  proxy = await startAsyncProxy(
    () => consul.url,
    async (req, body) => {
      if (req.method === 'PUT' && req.url?.startsWith('/v1/kv/') && req.url.includes('/lock')) {
        const res = await fetch(`${consul.url}${req.url}`, { method: 'PUT', body });
        const text = await res.text();
        const lease = JSON.parse(body) as { holder: string; released?: boolean };
        if (text.trim() === 'true') {
          if (lease.released) holder = undefined;
          else if (holder !== undefined) overlaps.push(`${lease.holder} took the lease held by ${holder}`);
          else holder = lease.holder;
        }
        return { status: res.status, body: text };
      }
      if (req.method === 'PUT' && req.url?.startsWith('/v1/config') && holder === undefined) configWritesOutsideLease++;
      return 'forward';
    },
  );
  const reconcile = createReconcileHandler({
    env: { GITHUB_REPOSITORY: 'Codertocat/Hello-World', CONSUL_HTTP_ADDR: proxy.url, GITHUB_TOKEN, GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master' },
    // Runs waiting for the lease poll it a tenth as long apart (5 ms, growing to 200 ms): the same
    // lease, taken and released the same way, but fifty-five runs no longer idle about 30 s between turns.
    overrides: { github: { throttle: false, retries: 0 }, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 10)) },
    log: () => {},
    metrics: captureMetrics().metrics,
  });
  const context = { getRemainingTimeInMillis: () => 900_000 };
  lambda.onInvoke = (inv) => reconcile(inv.payload, context);
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([proxy.close(), consul.close(), github.close(), lambda.close()]);
});

const webhook = () =>
  createHandler({
    env: {
      RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile',
      DEFAULT_BRANCH: 'master',
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    },
    lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    log: () => {},
  });

async function deliver(handler: ReturnType<typeof webhook>, sha: string): Promise<void> {
  const push = configPush();
  push.after = sha;
  const req = await signed('push', push);
  const res = await handler({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
  expect(res.statusCode).toBe(202);
}

async function liveRev(): Promise<string | undefined> {
  const res = await fetch(`${consul.url}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as { Meta: Record<string, string> }).Meta.rev;
}

const configWrites = () => proxy.seen.filter((s) => s.startsWith('PUT /v1/config')).length;

describe("Lambda's at-least-once delivery", () => {
  it('the same event delivered twice: Consul is written once, the second run is a recognised duplicate', async () => {
    const sha = github.addCommit(revision(1), 'rev 1', { branch: 'master', date: '2026-11-25T10:00:00Z' });
    const reconcile = lambda.onInvoke!;
    lambda.onInvoke = async (inv) => {
      await reconcile(inv);
      return reconcile(inv); // Lambda ran the same invocation a second time
    };
    await deliver(webhook(), sha);
    await Promise.all(lambda.runs);
    expect(await liveRev()).toBe('1');
    expect(configWrites()).toBe(1);
    expect(github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it(
    'fifty pushes in a burst, shuffled, every invocation run at once (and five twice): one run per target at a time, the newest commit wins',
    { timeout: 120_000 },
    async () => {
      const shas: string[] = [];
      for (let i = 0; i < 50; i++) {
        const date = new Date(Date.UTC(2026, 10, 25, 10, i)).toISOString().replace('.000Z', 'Z');
        shas.push(github.addCommit(revision(i), `rev ${i}`, { branch: 'master', date }));
      }
      // A fixed shuffle: the newest is delivered in the middle, older ones after it.
      const order = shas
        .map((sha, i) => ({ sha, key: (i * 37) % 50 }))
        .sort((a, b) => a.key - b.key)
        .map((d) => d.sha);
      const reconcile = lambda.onInvoke!;
      let invocation = 0;
      lambda.onInvoke = async (inv) => {
        const twice = invocation++ % 10 === 0;
        const first = reconcile(inv);
        return twice ? Promise.all([first, reconcile(inv)]) : first;
      };
      const handler = webhook();
      await Promise.all(order.map((sha) => deliver(handler, sha)));
      await Promise.allSettled(lambda.runs);

      expect(overlaps).toEqual([]);
      expect(configWritesOutsideLease).toBe(0);
      expect(await liveRev()).toBe('49');
      // Every commit's last status is final, and the newest one's is success.
      for (const sha of shas) {
        const last = github.statuses.filter((s) => s.sha === sha).at(-1);
        expect(last?.state, sha).not.toBe('pending');
      }
      expect(github.statuses.filter((s) => s.sha === shas[49]).at(-1)?.state).toBe('success');
    },
  );
});
