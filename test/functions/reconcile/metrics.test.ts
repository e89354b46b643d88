// The reconcile function's CloudWatch metrics: embedded metric format objects (what CloudWatch Logs
// turns into metrics) per target run, from real runs against the dev server and the GitHub double.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcileHandler, type ReconcileHandler } from '../../../functions/reconcile/handler.ts';
import { CloudWatchMetrics } from '../../../src/adapters/metrics/cloudwatch-metrics.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { trafficDouble } from '../../support/traffic-double.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
  'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
};

interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

let consul: DevServer;
let github: GitHubDouble;
let emitted: Emf[];
let reconcile: ReconcileHandler;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  emitted = [];
  reconcile = createReconcileHandler({
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      CONSUL_HTTP_ADDR: consul.url,
      GITHUB_TOKEN: 'ghp_emfTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
    },
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => undefined,
    metrics: new CloudWatchMetrics((line) => emitted.push(JSON.parse(line) as Emf)),
  });
});
afterEach(async () => {
  await Promise.all([consul.close(), github.close()]);
});

const repository = { owner: 'Codertocat', name: 'Hello-World' };

/** The EMF object that carries `metric`, checked to declare it in namespace ConsulGitops. */
function withMetric(metric: string): Emf[] {
  return emitted.filter((e) => e._aws.CloudWatchMetrics.some((d) => d.Namespace === 'ConsulGitops' && d.Metrics.some((m) => m.Name === metric)));
}

describe('reconcile function metrics (CloudWatch EMF)', () => {
  it('an apply publishes entries applied, conflicts, failures and duration by target, and the run by outcome', async () => {
    const sha = github.addCommit(tree, 'onboard', { branch: 'master' });
    await reconcile({ mode: 'apply', repository, sha, ref: 'refs/heads/master', deliveryId: 'd-1' });

    const [figures] = withMetric('EntriesApplied');
    expect(figures).toMatchObject({
      service: 'consul-gitops',
      Target: 'default',
      EntriesApplied: 3,
      EntryConflicts: 0,
      EntryFailures: 0,
      ReconcileRunsNotOk: 0,
    });
    expect(figures._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'Target']]);
    expect(figures.ReconcileDuration).toBeGreaterThan(0);
    expect(figures._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'ReconcileDuration', Unit: 'Milliseconds' });
    expect(figures).not.toHaveProperty('DriftedEntries');

    const [run] = withMetric('ReconcileRuns');
    expect(run).toMatchObject({ Target: 'default', Mode: 'apply', Outcome: 'applied', ReconcileRuns: 1 });
    expect(run._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'Target', 'Mode', 'Outcome']]);
  });

  it('a drift check publishes how many entries differ from the branch', async () => {
    const sha = github.addCommit(tree, 'onboard', { branch: 'master' });
    await reconcile({ mode: 'apply', repository, sha, ref: 'refs/heads/master', deliveryId: 'd-1' });
    // Someone removes one entry and edits another by hand.
    expect((await fetch(`${consul.url}/v1/config/service-defaults/web`, { method: 'DELETE' })).status).toBe(200);
    const api = (await (await fetch(`${consul.url}/v1/config/service-defaults/api`)).json()) as Record<string, unknown>;
    await fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ ...api, Protocol: 'tcp' }) });
    emitted = [];

    await reconcile({ mode: 'drift', repository, branch: 'master', deliveryId: 'schedule-1' });
    const [figures] = withMetric('DriftedEntries');
    expect(figures).toMatchObject({ Target: 'default', DriftedEntries: 2, ReconcileRunsNotOk: 1 });
    expect(withMetric('ReconcileRuns')[0]).toMatchObject({ Mode: 'drift', Outcome: 'drift' });
  });

  it('a run that throws is still counted, as outcome error', async () => {
    await consul.close();
    await expect(reconcile({ mode: 'drift', repository, branch: 'master', deliveryId: 'schedule-2' })).rejects.toThrow();
    expect(withMetric('ReconcileRuns')[0]).toMatchObject({ Mode: 'drift', Outcome: 'error' });
    expect(withMetric('ReconcileRunsNotOk')[0]).toMatchObject({ ReconcileRunsNotOk: 1 });
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });

  it('a drift check with the advisor publishes the walk to strict: services still permissive, and how many are ready', async () => {
    for (const name of ['api', 'web']) {
      const res = await fetch(`${consul.url}/v1/catalog/register`, {
        method: 'PUT',
        body: JSON.stringify({
          Node: 'n1',
          Address: '10.0.0.7',
          Service: { Kind: 'connect-proxy', Service: `${name}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: name } },
        }),
      });
      expect(res.status).toBe(200);
    }
    const permissive = { ...tree, 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\nMutualTLSMode = "permissive"\n' };
    const advised = createReconcileHandler({
      env: {
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        CONSUL_HTTP_ADDR: consul.url,
        GITHUB_TOKEN: 'ghp_emfTOKEN-0123456789',
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: 'master',
        TARGETS_CONFIG: 'targets:\n  - name: dc1\n    dir: config-entries\n    advisor:\n      window: 7d\n      stats: { envoy: {} }\n',
      },
      // api's sidecar saw only mTLS; web's still sees plaintext.
      overrides: {
        github: { throttle: false, retries: 0 },
        trafficSource: () =>
          trafficDouble({ api: [{ plaintextPerMinute: 0, handshakesPerMinute: 20 }], web: [{ plaintextPerMinute: 5, handshakesPerMinute: 20 }] }),
      },
      log: () => undefined,
      metrics: new CloudWatchMetrics((line) => emitted.push(JSON.parse(line) as Emf)),
    });
    const sha = github.addCommit(permissive, 'onboard', { branch: 'master' });
    await advised({ mode: 'apply', repository, sha, ref: 'refs/heads/master', deliveryId: 'd-1' });
    await advised({ mode: 'drift', repository, branch: 'master', deliveryId: 'schedule-3' });

    const [figures] = withMetric('PermissiveServices');
    expect(figures).toMatchObject({ Target: 'dc1', PermissiveServices: 2, ReadyForStrictServices: 1, DriftedEntries: 0 });
    // The same run audits the posture: a dev agent (no gossip key, no RPC TLS, permissive still
    // allowed) fails production-checklist checks, and the count is published next to the walk.
    expect(figures.PostureChecksFailing).toBeGreaterThanOrEqual(3);
    expect(typeof figures.PostureChecksUnknown).toBe('number');
  });
});
