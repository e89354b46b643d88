// The serverless path end to end over loopback: a signed GitHub push → webhook function → Lambda
// API (double) → reconcile function → the dev server holds the entries → the GitHub double got a
// success status. And a pull request → plan comment; and the schedule → drift issue.
import { describe, expect, it } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { CloudWatchMetrics } from '../../src/adapters/metrics/cloudwatch-metrics.ts';
import { startDevServer } from '../../src/dev-server/server.ts';
import { GITHUB_TOKEN, harnessPerTest, type ServerlessHarness } from '../support/serverless-harness.ts';
import { configPush, example, signed } from '../functions/webhook/github-examples.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/api-intentions.yaml':
    'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceIntentions\nmetadata:\n  name: api\nspec:\n  destination:\n    name: api\n  sources:\n    - name: web\n      action: allow\n',
};

let h: ServerlessHarness;
harnessPerTest((started) => (h = started));

describe('serverless path', () => {
  it('push to the default branch → entries in Consul and a success status on the commit', async () => {
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const push = configPush();
    push.after = sha;
    const res = await h.deliver('push', push);
    expect(res.statusCode).toBe(202);
    expect(h.lambda.invocations).toHaveLength(1);
    expect(h.lambda.invocations[0]).toMatchObject({ invocationType: 'Event', payload: { mode: 'apply', sha } });
    const live = (await (await fetch(`${h.consul.url}/v1/config/service-defaults/api`)).json()) as Record<string, unknown>;
    expect(live).toMatchObject({ MutualTLSMode: 'permissive', Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/api.hcl' } });
    const statuses = h.github.statuses.filter((s) => s.sha === sha);
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'success']);
    expect(statuses[1]).toMatchObject({ context: 'consul-gitops/default' });
    expect(h.logs.join('\n')).not.toContain(GITHUB_TOKEN);
    // The run's CloudWatch metrics: three entries written, one applied run.
    expect(h.emf).toContainEqual(expect.objectContaining({ Target: 'default', EntriesApplied: 3, ReconcileRunsNotOk: 0 }));
    expect(h.emf).toContainEqual(expect.objectContaining({ Target: 'default', Mode: 'apply', Outcome: 'applied', ReconcileRuns: 1 }));
  });

  it('a redelivered push does no work twice', async () => {
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const push = configPush();
    push.after = sha;
    const req = await signed('push', push, { deliveryId: 'same-delivery' });
    const event = { headers: req.headers, body: req.body, isBase64Encoded: false } as never;
    await h.webhook()(event);
    await h.webhook()(event);
    await Promise.all(h.lambda.runs);
    // Two containers both invoked reconcile; the second run saw the delivery in Consul KV and stopped.
    expect(h.lambda.invocations).toHaveLength(2);
    expect(h.github.statuses.filter((s) => s.sha === sha).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('pull request → plan only, posted as one comment updated in place', async () => {
    h.github.addCommit(tree, 'base', { branch: 'master' });
    const changed = { ...tree, 'config-entries/api.hcl': tree['config-entries/api.hcl'].replace('permissive', 'strict') };
    const number = h.github.addPullRequest({ head: 'strict-api', files: changed });
    const head = h.github.refSha('strict-api')!;
    const pr = example('pull_request', (p) => p.action === 'opened');
    pr.number = number;
    pr.pull_request.number = number;
    pr.pull_request.head.sha = head;
    pr.pull_request.base.ref = 'master';
    const res = await h.deliver('pull_request', pr);
    expect(res.statusCode).toBe(202);
    expect(h.lambda.invocations[0].payload).toMatchObject({ mode: 'plan', pullRequest: { number } });
    expect(h.github.comments).toHaveLength(1);
    expect(h.github.comments[0].body).toContain('Plan: 3 to create, 0 to update, 0 to delete.');
    // File links follow the configured GitHub (here the double standing in for an Enterprise host), never h.github.com.
    expect(h.github.comments[0].body).toContain(`href="${h.github.url}/Codertocat/Hello-World/blob/${head}/config-entries/api.hcl#L1"`);
    expect(h.github.comments[0].body).not.toContain('https://h.github.com/');
    // Nothing was written to Consul for a pull request.
    expect(await (await fetch(`${h.consul.url}/v1/config/service-defaults`)).json()).toEqual([]);
    expect(h.github.statuses.find((s) => s.sha === head && s.state === 'success')).toBeDefined();
  });

  it('a tree with errors fails the commit status with file and line, and applies nothing', async () => {
    const sha = h.github.addCommit({ ...tree, 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMutualTLSMode = "permisive"\n' }, 'typo', {
      branch: 'master',
    });
    const push = configPush();
    push.after = sha;
    await h.deliver('push', push);
    const status = h.github.statuses.filter((s) => s.sha === sha).at(-1)!;
    expect(status.state).toBe('failure');
    expect(status.description).toContain('error(s) in config entries');
    expect(await (await fetch(`${h.consul.url}/v1/config/mesh`)).json()).toEqual([]);
  });

  it('an unreachable Consul ends the commit status in error, not pending, and the run fails for a retry', async () => {
    const sha = h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    const closed = await startDevServer({ port: 0 });
    await closed.close(); // a port nothing listens on any more
    const emf: Record<string, any>[] = [];
    const reconcile = createReconcileHandler({
      env: { GITHUB_REPOSITORY: 'Codertocat/Hello-World', CONSUL_HTTP_ADDR: closed.url, GITHUB_TOKEN, GITHUB_API_URL: h.github.url },
      overrides: { github: { throttle: false, retries: 0 }, consul: { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } } },
      log: () => {},
      metrics: new CloudWatchMetrics((line) => emf.push(JSON.parse(line))),
    });
    await expect(
      reconcile({ repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/master', deliveryId: 'd-down', mode: 'apply' }),
    ).rejects.toThrow();
    const states = h.github.statuses.filter((s) => s.sha === sha);
    expect(states.map((s) => s.state)).toEqual(['error']);
    expect(states[0].description).toContain('reconcile failed');
    // Operators see the failed run in CloudWatch: counted by outcome, and as a run that needs a person.
    expect(emf).toContainEqual(expect.objectContaining({ Target: 'default', Mode: 'apply', Outcome: 'error', ReconcileRuns: 1 }));
    expect(emf).toContainEqual(expect.objectContaining({ Target: 'default', ReconcileRunsNotOk: 1 }));
  });

  it('schedule → drift check → one drift issue, closed once Consul matches again', async () => {
    h.github.addCommit(tree, 'onboard api', { branch: 'master' });
    await h.tick('evt-1');
    expect(h.github.issues).toHaveLength(1);
    expect(h.github.issues[0]).toMatchObject({ state: 'open' });
    expect(h.github.issues[0].body).toContain('3 to create');
    // Someone applies the branch; the next run finds no drift and closes the issue.
    const sha = h.github.refSha('master')!;
    const push = configPush();
    push.after = sha;
    await h.deliver('push', push);
    await h.tick('evt-2');
    expect(h.github.issues).toHaveLength(1);
    expect(h.github.issues[0]).toMatchObject({ state: 'closed' });
  });
});
