// Lambda delivers asynchronously and at least once, and GitHub may deliver pushes out of order: an
// older commit arriving after a newer one must be refused as stale, end to end, on both production
// paths (webhook function → Lambda → reconcile function, and `serve`). Consul keeps the newer
// state and the older commit's status says why it was not applied.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startServe, type ServeHandle } from '../../src/serve/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { configPush, SECRET, signed } from '../functions/webhook/github-examples.ts';
import { captureMetrics } from '../support/serverless-harness.ts';

const GITHUB_TOKEN = 'ghp_outOfOrderTOKEN-0123456789abcdef';
const treeWith = (protocol: string) => ({
  'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n`,
});

let consul: DevServer;
let github: GitHubDouble;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close()]);
});

/** Commit A (older, tcp) then B (newer, http) on master. */
function twoCommits(): { a: string; b: string } {
  const a = github.addCommit(treeWith('tcp'), 'A: tcp', { branch: 'master', date: '2026-11-25T10:00:00Z' });
  const b = github.addCommit(treeWith('http'), 'B: http', { branch: 'master', date: '2026-11-25T11:00:00Z' });
  return { a, b };
}

function pushOf(sha: string): Record<string, any> {
  const push = configPush();
  push.after = sha;
  return push;
}

async function liveProtocol(): Promise<unknown> {
  const res = await fetch(`${consul.url}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>).Protocol;
}

function expectStaleRefusal(a: string, b: string): void {
  expect(github.statuses.filter((s) => s.sha === b).map((s) => s.state)).toEqual(['pending', 'success']);
  const forA = github.statuses.filter((s) => s.sha === a);
  expect(forA.map((s) => s.state)).toEqual(['pending', 'error']);
  expect(forA[1]!.description).toContain('not applied');
  expect(forA[1]!.description).toContain('older than');
}

describe('an older commit delivered after a newer one', () => {
  let lambda: LambdaDouble;
  beforeEach(async () => {
    lambda = await startLambdaDouble();
    const reconcile = createReconcileHandler({
      env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN, GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master' },
      overrides: { github: { throttle: false, retries: 0 } },
      log: () => {},
      metrics: captureMetrics().metrics,
    });
    lambda.onInvoke = (inv) => reconcile(inv.payload);
  });
  afterEach(() => lambda.close());

  async function deliver(sha: string): Promise<void> {
    const webhook = createHandler({
      env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET },
      lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
      log: () => {},
    });
    const req = await signed('push', pushOf(sha));
    const res = await webhook({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
    expect(res.statusCode).toBe(202);
    await Promise.all(lambda.runs);
  }

  it('through the Lambda handler: is refused as stale and Consul keeps the newer state', async () => {
    const { a, b } = twoCommits();
    await deliver(b);
    expect(await liveProtocol()).toBe('http');
    await deliver(a);
    expect(await liveProtocol()).toBe('http');
    expectStaleRefusal(a, b);
  });

  it('through `serve`: is refused as stale and Consul keeps the newer state', async () => {
    const serve: ServeHandle = await startServe({
      env: {
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_TOKEN,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        DEFAULT_BRANCH: 'master',
        CONSUL_HTTP_ADDR: consul.url,
      },
      port: 0,
      host: '127.0.0.1',
      overrides: { github: { throttle: false, retries: 0 } },
      log: () => {},
      scheduleIntervalMs: 0,
    });
    try {
      const { a, b } = twoCommits();
      for (const sha of [b, a]) {
        const req = await signed('push', pushOf(sha));
        const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
        expect(res.status).toBe(202);
        // One at a time: the queue must not be what drops A; the stale-commit rule must.
        await serve.idle();
      }
      expect(await liveProtocol()).toBe('http');
      expectStaleRefusal(a, b);
    } finally {
      await serve.close();
    }
  });
});
