// In production nobody injects a metrics sink: the reconcile function's default must still print its
// CloudWatch embedded-metric-format lines on stdout, where Lambda's log capture turns them into
// metrics. Tests inject a sink (test/support/serverless-harness.ts captureMetrics) to keep their
// output clean; this test pins the default they bypass. stdout is intercepted here, not muted.
import { afterEach, expect, it, vi } from 'vitest';
import { createReconcileHandler } from '../../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';

let consul: DevServer | undefined;
let github: GitHubDouble | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all([consul?.close(), github?.close()]);
});

it('without an injected recorder, a run prints its EMF objects on stdout, one JSON line each', async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  const sha = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'onboard api', {
    branch: 'master',
  });
  const reconcile = createReconcileHandler({
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      CONSUL_HTTP_ADDR: consul.url,
      GITHUB_TOKEN: 'ghp_stdoutTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
    },
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => undefined,
  });
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: any[]) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) {
      printed.push(text);
      return true;
    }
    return write(chunk, ...rest);
  });
  await reconcile({ repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/master', deliveryId: 'd-stdout', mode: 'apply' });
  vi.restoreAllMocks();

  expect(printed.every((p) => p.endsWith('\n') && !p.slice(0, -1).includes('\n'))).toBe(true);
  const objects = printed.map((p) => JSON.parse(p) as Record<string, any>);
  expect(objects).toContainEqual(expect.objectContaining({ Target: 'default', EntriesApplied: 1 }));
  expect(objects).toContainEqual(expect.objectContaining({ Target: 'default', Mode: 'apply', Outcome: 'applied', ReconcileRuns: 1 }));
  expect(objects.every((o) => o._aws.CloudWatchMetrics[0].Namespace === 'ConsulGitops')).toBe(true);
});
