// One reconcile invocation covering several targets (TARGETS_CONFIG, no TARGET in the event): one
// target failing must neither hide the others' results nor let the handler return (and Lambda freeze
// the container) while another target is still applying.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { captureMetrics } from '../support/serverless-harness.ts';

const tree = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\nMutualTLSMode = "permissive"\n',
};

let consul: DevServer;
let github: GitHubDouble;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'acme', repo: 'mesh', defaultBranch: 'main' });
});
afterEach(async () => {
  await Promise.all([consul.close(), github.close()]);
});

describe('reconcile over several targets in one invocation', () => {
  it('waits for every target, logs each result, and still fails the invocation for a retry', async () => {
    const down = await startDevServer({ port: 0, host: '127.0.0.1' });
    await down.close();
    const sha = github.addCommit(tree, 'onboard api');
    const logs: string[] = [];
    const targets = JSON.stringify({
      targets: [
        { name: 'dc1', dir: 'config-entries', consul: { address: consul.url } },
        { name: 'dc2', dir: 'config-entries', consul: { address: down.url } },
      ],
    });
    const reconcile = createReconcileHandler({
      env: { GITHUB_REPOSITORY: 'acme/mesh', TARGETS_CONFIG: targets, GITHUB_TOKEN: 'ghp_fanoutTOKEN0123456789', GITHUB_API_URL: github.url },
      overrides: { github: { throttle: false, retries: 0 }, consul: { retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } } },
      log: (l) => logs.push(l),
      metrics: captureMetrics().metrics,
    });
    const outcome = await reconcile({ repository: { owner: 'acme', name: 'mesh' }, sha, ref: 'refs/heads/main', deliveryId: 'd-fan', mode: 'apply' }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    // The invocation fails (Lambda retries; dc1's delivery is recorded, so only dc2 does work again)…
    expect(outcome).toBeInstanceOf(Error);
    // …but only once dc1 has finished: its final status is in, and its result was logged.
    const dc1 = github.statuses.filter((s) => s.sha === sha && s.context === 'consul-gitops/dc1').map((s) => s.state);
    expect(dc1).toEqual(['pending', 'success']);
    const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'Reconcile finished', target: 'dc1', ok: true, outcome: 'applied' }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', target: 'dc2', ok: false }));
    expect(logs.join('\n')).not.toContain('ghp_fanoutTOKEN0123456789');
  });
});
