// The Lambda path of long pull-request plans: the reconcile function (PLANS_BUCKET set) stores the
// whole plan in S3 with SigV4 and links it from the comment and the commit status; the plans
// function, given a function URL event for that link, reads it back. An S3 double on loopback checks
// every signature; a link altered or expired is refused before S3 is asked.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createReconcileHandler } from '../../../functions/reconcile/handler.ts';
import { createPlansHandler, type FunctionUrlEvent } from '../../../functions/plans/handler.ts';
import { planLinkKey, PlanLinks } from '../../../src/adapters/plans/plan-links.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { S3_KEYS, startS3Double, type S3Double } from '../../support/s3-double.ts';

const LINK_SECRET = 'plan-link-secret-for-tests-0123456789';
const PLANS_URL = 'https://abcdefghij.lambda-url.eu-west-1.on.aws/';
let consul: DevServer;
let github: GitHubDouble;
let s3: S3Double;
let logs: string[];

beforeEach(async () => {
  [consul, github, s3] = await Promise.all([
    startDevServer({ port: 0, host: '127.0.0.1' }),
    startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' }),
    startS3Double({ bucket: 'consul-gitops-plans', region: 'eu-west-1' }),
  ]);
  logs = [];
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close(), s3.close()]);
});

const aws = () => ({
  AWS_REGION: 'eu-west-1',
  ...{ AWS_ACCESS_KEY_ID: S3_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey },
  PLANS_BUCKET: 'consul-gitops-plans',
  PLANS_S3_ENDPOINT: s3.url,
  PLAN_LINK_SECRET: LINK_SECRET,
});
const plansFunction = () => createPlansHandler({ env: aws(), log: (l) => logs.push(l) });
const eventFor = (link: string, method = 'GET'): FunctionUrlEvent => {
  const u = new URL(link);
  return { rawPath: u.pathname, rawQueryString: u.search.slice(1), requestContext: { http: { method } } };
};

/** A pull request of 400 new services planned by the reconcile function: its head and the comment. */
async function planLongPullRequestComment(): Promise<{ head: string; body: string }> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++)
    files[`config-entries/svc${i}.hcl`] =
      `Kind = "service-defaults"\nName = "svc${i}"\nProtocol = "http"\nMaxInboundConnections = ${i + 1}\nMeta = { team = "payments-${i}" }\n`;
  github.addCommit({ 'config-entries/README.md': 'mesh\n' }, 'base', { branch: 'master' });
  const number = github.addPullRequest({ head: 'onboard', files });
  const head = github.refSha('onboard')!;
  const reconcile = createReconcileHandler({
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      CONSUL_HTTP_ADDR: consul.url,
      GITHUB_TOKEN: 'ghp_plansTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
      PLANS_URL,
      ...aws(),
    },
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => undefined,
    metrics: { record: () => undefined },
  });
  await reconcile({
    mode: 'plan',
    repository: { owner: 'Codertocat', name: 'Hello-World' },
    sha: head,
    ref: 'refs/pull/1/head',
    deliveryId: 'd-plan',
    pullRequest: { number, headSha: head },
  });
  const body = github.comments.at(-1)!.body;
  expect(body.length).toBeLessThanOrEqual(65_536);
  return { head, body };
}

async function planLongPullRequest(): Promise<{ head: string; link: string }> {
  const { head, body } = await planLongPullRequestComment();
  const link = /\[Read the full plan\]\((https:\/\/abcdefghij\.lambda-url\.eu-west-1\.on\.aws\/plans\/[^)]+)\)/.exec(body)?.[1];
  expect(link).toBeDefined();
  return { head, link: link! };
}

it('the reconcile function stores the long plan in S3 and links it; the plans function returns it', async () => {
  const { head, link } = await planLongPullRequest();
  expect(github.statuses.find((st) => st.sha === head && st.state === 'success')?.target_url).toBe(link);
  expect([...s3.objects.keys()]).toEqual([expect.stringMatching(/^plans\/[A-Za-z0-9_-]{22}\.txt$/)]);

  const res = await plansFunction()(eventFor(link));
  expect(res.statusCode).toBe(200);
  expect(res.headers).toMatchObject({ 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' });
  expect(res.body).toContain(`consul-gitops plan for default at ${head}`);
  expect(res.body).toContain('+ create service-defaults/svc399');
  expect(res.body).toContain('Plan: 400 to create, 0 to update, 0 to delete.');
  // The log line never carries the link's signature.
  const sig = new URL(link).searchParams.get('sig')!;
  expect(logs.join('\n')).not.toContain(sig);
  expect(logs.join('\n')).not.toContain(LINK_SECRET);
});

it('an altered or expired link is refused without asking S3; S3 failing is a 500 that tells nothing', async () => {
  const { link } = await planLongPullRequest();
  const u = new URL(link);
  const id = u.pathname.split('/').at(-1)!;
  const plans = plansFunction();
  const gets = () => s3.seen.filter((s) => s.startsWith('GET')).length;
  const before = gets();
  u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 1));
  const altered = await plans(eventFor(u.toString()));
  const expired = await plans(eventFor(new PlanLinks(planLinkKey(LINK_SECRET)).link(PLANS_URL, id, new Date(Date.now() - 1000))));
  for (const r of [altered, expired])
    expect([r.statusCode, r.body]).toEqual([403, 'This plan link is not valid or has expired. The pull request comment links the newest plan.\n']);
  expect(gets()).toBe(before);

  s3.fail(1, 500);
  const failed = await plans(eventFor(link));
  expect([failed.statusCode, failed.body]).toEqual([500, 'The plan could not be read just now. Try again later.\n']);
  expect((await plans(eventFor(link))).statusCode).toBe(200);

  // The double checks signatures for real: the same request signed with another key is refused.
  const wrongKey = createPlansHandler({ env: { ...aws(), AWS_SECRET_ACCESS_KEY: 'not-the-secret-access-key-000000000000000' }, log: () => undefined });
  expect((await wrongKey(eventFor(link))).statusCode).toBe(500);
});

it('S3 refusing the plan leaves the comment without a link, saying why, and the plan still reported', async () => {
  s3.fail(10, 503);
  const { head, body } = await planLongPullRequestComment();
  expect(body).toContain('The full plan could not be kept for a link (could not store the plan in S3 bucket consul-gitops-plans: HTTP 503)');
  expect(body).not.toContain('/plans/');
  expect(github.statuses.find((st) => st.sha === head && st.state === 'success')?.target_url).toBeUndefined();
});
