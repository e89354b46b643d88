// What a run that died leaves behind, made through GitHub's and Consul's own APIs, and how the tests
// of owed, superseded and leased runs read the outcome (one `api` service-defaults file).
import { expect, onTestFinished } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { createReconcileHandler, type ReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startConsulProxy, type ConsulProxy, type ProxyAction } from './consul-proxy.ts';
import { pushOf } from './github-events.ts';
import { GITHUB_TOKEN, OWNER, REPO, startServerlessHarness, type ServerlessHarness, type ServerlessHarnessOptions } from './serverless-harness.ts';

/** The commit status context of the `default` target. */
export const CONTEXT = 'consul-gitops/default';
/** The `default` target's lease key in Consul KV. */
export const LOCK = 'consul-gitops/state/default/lock';

/** A tree with one service-defaults file for `api` at the given protocol. */
export const treeWith = (protocol: string) => ({ 'config-entries/api.hcl': `Kind = "service-defaults"\nName = "api"\nProtocol = "${protocol}"\n` });

/** The protocol Consul holds for `api`, or undefined when it has no entry. */
export async function liveProtocol(consulUrl: string): Promise<unknown> {
  const res = await fetch(`${consulUrl}/v1/config/service-defaults/api`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>).Protocol;
}

/** A commit status through GitHub's API, as a run (ours, an older version's, another check's) posts it. */
export async function postStatus(githubUrl: string, sha: string, state: string, description: string, context = CONTEXT): Promise<void> {
  const res = await fetch(`${githubUrl}/repos/${OWNER}/${REPO}/statuses/${sha}`, {
    method: 'POST',
    headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state, context, description }),
  });
  expect(res.status).toBe(201);
}

/** What a run posts when it starts, through GitHub's API as the run does; then it died. */
export async function pendingAsADeadRunLeavesIt(githubUrl: string, sha: string): Promise<void> {
  await postStatus(githubUrl, sha, 'pending', 'planning and applying');
}

/** master moved to `sha` through GitHub's API, as `git push origin feature:master` does; its push event never reached us. */
export async function fastForwardMaster(githubUrl: string, sha: string): Promise<void> {
  const res = await fetch(`${githubUrl}/repos/${OWNER}/${REPO}/git/refs/heads/master`, {
    method: 'PATCH',
    headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sha }),
  });
  expect(res.status).toBe(200);
}

/**
 * A head fast-forwarded from a pull request an older version planned: `a` (tcp) pushed and applied,
 * then `feature` (http) planned, its run begun with `start` and ended 'reconcile failed: …' (as an
 * apply's ends too, so only the start tells them apart); `before` statuses of other checks were
 * posted before the start, `after` between it and the end. Then master moved to it, its push never
 * seen. Other checks' statuses go straight into the double's record, as its POST stores them.
 */
export async function fastForwardedAfterOlderPlan(
  h: ServerlessHarness,
  o: { before?: number; after?: number; start?: string } = {},
): Promise<{ a: string; b: string }> {
  const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
  await h.deliver('push', pushOf(a));
  h.github.addPullRequest({ head: 'feature', files: treeWith('http') });
  const b = h.github.refSha('feature')!;
  otherChecks(h, b, o.before ?? 0);
  await postStatus(h.github.url, b, 'pending', o.start ?? 'planning');
  otherChecks(h, b, o.after ?? 0);
  await postStatus(h.github.url, b, 'error', 'reconcile failed: GitHub answered 502 reading the tree');
  await fastForwardMaster(h.github.url, b);
  return { a, b };
}

/** `n` statuses of other checks on a commit (13 contexts, as CI jobs post them). */
function otherChecks(h: ServerlessHarness, sha: string, n: number): void {
  for (let i = 0; i < n; i++)
    h.github.statuses.push({ sha, state: 'success', context: `ci/check-${i % 13}`, description: `check ${i}`, target_url: undefined });
}

/** How many times a commit's statuses were listed (each page one request). */
export const statusListings = (h: ServerlessHarness, sha: string) =>
  h.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/commits/${sha}/statuses`)).length;

/**
 * The owed run's usual start: `a` (tcp) pushed and applied through the webhook, then `b` (http)
 * committed on master, whose run posted `pending` and died. The next drift check owes `b`.
 */
export async function appliedThenOwed(h: ServerlessHarness): Promise<{ a: string; b: string }> {
  const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
  await h.deliver('push', pushOf(a));
  const b = h.github.addCommit(treeWith('http'), 'api: http', { branch: 'master' });
  await pendingAsADeadRunLeavesIt(h.github.url, b);
  return { a, b };
}

/**
 * The serverless harness whose reconcile function reaches Consul through a proxy (consul-proxy.ts)
 * deciding each request by `rule`; the webhook, GitHub and the schedule are the harness's own.
 * `env`: more of the reconcile function's environment (e.g. CONSUL_HTTP_TOKEN). Called in a test:
 * when it ends, the GitHub double is checked for requests it does not serve, and both are closed.
 */
export async function harnessBehindProxy(
  rule: (req: IncomingMessage, body: string) => ProxyAction | Promise<ProxyAction>,
  options: Pick<ServerlessHarnessOptions, 'overrides'> & { env?: Record<string, string> } = {},
): Promise<{ h: ServerlessHarness; proxy: ConsulProxy }> {
  let inner: ReconcileHandler | undefined;
  const h = await startServerlessHarness({
    ...(options.overrides ? { overrides: options.overrides } : {}),
    createReconcileHandler: (deps) => (event, context) =>
      (inner ??= createReconcileHandler({ ...deps, env: { ...deps.env, ...options.env, CONSUL_HTTP_ADDR: proxy.url } }))(event, context),
  });
  // Started once the dev server is: the reconcile function is built at its first event, after this.
  const proxy = await startConsulProxy(h.consul.url, rule);
  onTestFinished(async () => {
    expect(h.github.unexpected).toEqual([]);
    await proxy.close();
    await h.close();
  });
  return { h, proxy };
}

/** The commit's statuses on the `default` target's context, oldest first. */
export const statusesOf = (h: ServerlessHarness, sha: string) => h.github.statuses.filter((s) => s.sha === sha && s.context === CONTEXT);

/** Each run the reconcile function published (CloudWatch EMF), as [mode, outcome]. */
export const runsOf = (h: ServerlessHarness) => h.emf.filter((e) => 'ReconcileRuns' in e).map((e) => [e.Mode, e.Outcome]);

/** Each run's ReconcileRunsNotOk (1: needs a person). */
export const notOkOf = (h: ServerlessHarness) => h.emf.filter((e) => 'ReconcileRunsNotOk' in e).map((e) => e.ReconcileRunsNotOk as number);

/** The reconcile function's first log line with this message (and this mode, when given). */
export function logLine(h: ServerlessHarness, message: string, mode?: string): Record<string, any> | undefined {
  return h.logs.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.message === message && (mode === undefined || l.mode === mode));
}
