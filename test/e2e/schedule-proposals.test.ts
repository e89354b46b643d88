// The schedule path with the advisor: EventBridge → schedule function → Lambda API (double) →
// reconcile function (drift mode) → drift check, then the advisor on the target's stats source →
// the strict-mode PR and the posture issue on the GitHub double. Consul is the dev server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import type { TrafficSourceRequest } from '../../src/runtime/traffic-source.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble, type LambdaDouble } from '../support/lambda-double.ts';
import { trafficDouble, type Trace } from '../support/traffic-double.ts';
import { captureMetrics } from '../support/serverless-harness.ts';

const GITHUB_TOKEN = 'ghp_e2eTOKENnever-logged-0123456789';
const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};
const TARGETS = `targets:
  - name: dc1
    dir: config-entries
    advisor:
      window: 7d
      labels: [mtls, consul-gitops]
      stats: { envoy: {} }
`;

let consul: DevServer;
let github: GitHubDouble;
let lambda: LambdaDouble;
let logs: string[];
let traces: Record<string, Trace[]>;
let requests: TrafficSourceRequest[];

beforeEach(async () => {
  consul = await startDevServer({ port: 0 });
  const res = await fetch(`${consul.url}/v1/catalog/register`, {
    method: 'PUT',
    body: JSON.stringify({
      Node: 'n1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: 'api-sidecar-proxy', Port: 20000, Proxy: { DestinationServiceName: 'api' } },
    }),
  });
  expect(res.status).toBe(200);
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  lambda = await startLambdaDouble();
  logs = [];
  requests = [];
  traces = { api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }] };
  const reconcile = createReconcileHandler({
    env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN, GITHUB_API_URL: github.url, DEFAULT_BRANCH: 'master', TARGETS_CONFIG: TARGETS },
    overrides: {
      github: { throttle: false, retries: 0 },
      trafficSource: (r) => {
        requests.push(r);
        return trafficDouble(traces);
      },
    },
    log: (l) => logs.push(l),
    metrics: captureMetrics().metrics,
  });
  lambda.onInvoke = (inv) => reconcile(inv.payload);
});
afterEach(async () => {
  expect(github.unexpected).toEqual([]);
  await Promise.all([consul.close(), github.close(), lambda.close()]);
});

const schedule = () =>
  createScheduleHandler({
    env: { RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile', GITHUB_REPOSITORY: 'Codertocat/Hello-World', DEFAULT_BRANCH: 'master' },
    lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    log: () => {},
  });

async function tick(id: string) {
  lambda.runs.length = 0;
  await schedule()({ id });
  await Promise.all(lambda.runs);
}

describe('schedule → drift check → advisor', () => {
  it('opens the strict-mode PR and the posture issue after the drift check, and updates nothing on the next tick', async () => {
    github.addCommit(tree, 'onboard api', { branch: 'master' });
    await tick('evt-1');

    // The target's advisor.stats, parsed by the stats schema (defaults filled in).
    expect(requests.map((r) => [r.target, Object.keys(r.config as object)])).toEqual([['dc1', ['envoy']]]);
    const pr = github.pulls.find((p) => p.head === 'consul-gitops/strict/default/default/api');
    expect(pr).toMatchObject({ title: 'mTLS: move api to strict', base: 'master', state: 'open', labels: ['mtls', 'consul-gitops'] });
    expect(github.filesAt(pr!.head)['config-entries/api.hcl']).toContain('MutualTLSMode = "strict"');
    expect(github.issues.map((i) => i.title).sort()).toEqual(['consul-gitops: Consul differs from master (dc1)', 'mTLS posture: dc1']);
    expect(logs.join('\n')).toContain('advisor: 1 opened');
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);

    const pullWrites = () => github.requests.filter((r) => r.method !== 'GET' && /\/(pulls|git)\b/.test(r.path)).length;
    const before = pullWrites();
    await tick('evt-2');
    expect(pullWrites()).toBe(before);
    expect(github.pulls).toHaveLength(1);
    expect(logs.join('\n')).toContain('advisor: 1 unchanged');
  });

  it('closes the PR with a comment when plaintext comes back before it is merged', async () => {
    github.addCommit(tree, 'onboard api', { branch: 'master' });
    await tick('evt-1');
    traces = { api: [{ plaintextPerMinute: 2, handshakesPerMinute: 20 }] };
    await tick('evt-2');

    const pr = github.pulls[0]!;
    expect(pr.state).toBe('closed');
    expect(github.comments.filter((c) => c.issue_number === pr.number).map((c) => c.body.split('\n')[0])).toEqual([
      'Plaintext traffic came back to `api`, so it cannot go strict yet:',
    ]);
  });
});
