// consul-gitops.yaml's `limits:` hold for the reconcile function as for the CLI: a file over the
// default 1 MiB per file is refused before it is fetched, and planned once `limits.maxFileSize` raises
// the limit (the runtime built the GitHub source with the defaults, whatever the file said).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createReconcileHandler } from '../../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';

let consul: DevServer;
let github: GitHubDouble;
beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
});
afterEach(async () => {
  await Promise.all([consul.close(), github.close()]);
});

// 1.5 MiB: an entry padded with comment lines.
const BIG = `Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n${'# padding\n'.repeat(150 * 1024)}`;

function plan(targetsConfig: string) {
  const sha = github.addCommit({ 'config-entries/web.hcl': BIG }, 'big', { branch: 'feature' });
  const handler = createReconcileHandler({
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      CONSUL_HTTP_ADDR: consul.url,
      GITHUB_TOKEN: 'ghp_limitsTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
      TARGETS_CONFIG: targetsConfig,
    },
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => undefined,
    metrics: { record: () => undefined },
  });
  return handler({ mode: 'plan', repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/feature', deliveryId: 'd-limits' });
}

it('a 1.5 MiB file is refused with the default limits (pin)', async () => {
  await expect(plan('targets:\n  - name: dc1\n    dir: config-entries\n')).rejects.toThrow(/web\.hcl: the file is 1\.5 MiB .*, over the 1 MiB limit per file/);
});

it('limits.maxFileSize: 4MiB in consul-gitops.yaml lets the reconcile function plan it', async () => {
  const results = await plan('limits: { maxFileSize: 4MiB }\ntargets:\n  - name: dc1\n    dir: config-entries\n');
  expect(results).toEqual([expect.objectContaining({ target: 'dc1', outcome: 'planned', ok: true })]);
});
