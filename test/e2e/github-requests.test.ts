// What a reconcile spends of GitHub's rate limit (5,000 requests an hour), through the production
// path (signed push → webhook function → Lambda → reconcile function): a cold container reads a
// 300-file tree with the commit, one listing and one archive; a warm one reading a push that
// touches two files adds only those two blobs. Statuses are the two every reconcile posts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { configPush, SECRET, signed } from '../functions/webhook/github-examples.ts';
import { captureMetrics } from '../support/serverless-harness.ts';

const GITHUB_TOKEN = 'ghp_requestCountTOKEN-0123456789abcdef';
const FILES = 300;

function tree(protocol: string, changed: number[] = []): Record<string, string> {
  const files: Record<string, string> = { 'README.md': '# mesh\n' };
  for (let i = 0; i < FILES; i++)
    files[`config-entries/services/svc-${i}.hcl`] = `Kind = "service-defaults"\nName = "svc-${i}"\nProtocol = "${changed.includes(i) ? 'grpc' : protocol}"\n`;
  return files;
}

let consul: DevServer;
let github: GitHubDouble;
let lambda: LambdaDouble;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master', token: GITHUB_TOKEN });
  lambda = await startLambdaDouble();
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close(), lambda.close()]);
});

/** A fresh reconcile function: a cold Lambda container. */
function coldContainer() {
  const reconcile = createReconcileHandler({
    env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN, GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master' },
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => {},
    metrics: captureMetrics().metrics,
  });
  lambda.onInvoke = (inv) => reconcile(inv.payload);
}

/** Delivers a push of `sha` and returns the GitHub requests the reconcile made, `METHOD path` with the SHA as `SHA`. */
async function push(sha: string): Promise<string[]> {
  const webhook = createHandler({
    env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', DEFAULT_BRANCH: 'master', GITHUB_WEBHOOK_SECRET: SECRET },
    lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    log: () => {},
  });
  const before = github.requests.length;
  const event = configPush();
  event.after = sha;
  const req = await signed('push', event);
  const res = await webhook({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
  expect(res.statusCode).toBe(202);
  await Promise.all(lambda.runs);
  expect(github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'success']);
  return github.requests.slice(before).map(
    (r) =>
      `${r.method} ${r.path
        .split(sha)
        .join('SHA')
        .replace(/[0-9a-f]{40}/g, 'BLOB')}`,
  );
}

async function liveProtocols(): Promise<Map<string, unknown>> {
  const list = (await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()) as { Name: string; Protocol: unknown }[];
  return new Map(list.map((e) => [e.Name, e.Protocol]));
}

describe('GitHub requests per reconcile', () => {
  it(`a cold container reads a ${FILES}-file tree in 4 requests (commit, listing, archive and its redirect), plus the merged-PR lookup`, async () => {
    coldContainer();
    const requests = await push(github.addCommit(tree('http')));

    const reads = requests.filter((r) => !r.startsWith('POST /repos/Codertocat/Hello-World/statuses/'));
    expect(reads.sort()).toEqual([
      'GET /_codeload/Codertocat/Hello-World/legacy.tar.gz/SHA',
      // Not a tree read: the apply asks which pull request merged this commit, to compare with its reviewed plan.
      'GET /repos/Codertocat/Hello-World/commits/SHA/pulls',
      'GET /repos/Codertocat/Hello-World/git/commits/SHA',
      'GET /repos/Codertocat/Hello-World/git/trees/SHA',
      'GET /repos/Codertocat/Hello-World/tarball/SHA',
    ]);
    expect(requests).toHaveLength(7);
    const live = await liveProtocols();
    expect(live.size).toBe(FILES);
    expect(live.get('svc-299')).toBe('http');
  });

  it('a warm container reads a push touching two files with the commit, the listing and two blobs', async () => {
    coldContainer();
    await push(github.addCommit(tree('http')));

    const requests = await push(github.addCommit(tree('http', [7, 123])));

    const reads = requests.filter((r) => !r.startsWith('POST /repos/Codertocat/Hello-World/statuses/'));
    expect(reads.sort()).toEqual([
      'GET /repos/Codertocat/Hello-World/commits/SHA/pulls',
      'GET /repos/Codertocat/Hello-World/git/blobs/BLOB',
      'GET /repos/Codertocat/Hello-World/git/blobs/BLOB',
      'GET /repos/Codertocat/Hello-World/git/commits/SHA',
      'GET /repos/Codertocat/Hello-World/git/trees/SHA',
    ]);
    expect(requests).toHaveLength(7);
    const live = await liveProtocols();
    expect([live.get('svc-7'), live.get('svc-123'), live.get('svc-8')]).toEqual(['grpc', 'grpc', 'http']);
  });
});
