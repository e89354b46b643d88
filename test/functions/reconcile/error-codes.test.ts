// The reconcile function's result names each refusal by its code (src/errors.ts), and a run that
// throws fails the invocation with an error of the family: operators and alarms read the code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcileHandler, type ReconcileHandler } from '../../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';

const services = Array.from({ length: 12 }, (_, i) => `svc${i}`);
const treeOf = (names: readonly string[], protocol = 'http') =>
  Object.fromEntries(names.map((s) => [`config-entries/${s}.hcl`, `Kind = "service-defaults"\nName = "${s}"\nProtocol = "${protocol}"\n`]));

let consul: DevServer;
let github: GitHubDouble;
let logged: Record<string, unknown>[];
let reconcile: ReconcileHandler;

beforeEach(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  logged = [];
  reconcile = createReconcileHandler({
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      CONSUL_HTTP_ADDR: consul.url,
      GITHUB_TOKEN: 'ghp_codesTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
    },
    overrides: { github: { throttle: false, retries: 0 } },
    log: (line) => logged.push(JSON.parse(line) as Record<string, unknown>),
    metrics: { record: () => undefined },
  });
});
afterEach(async () => {
  await Promise.all([consul.close(), github.close()]);
});

const repository = { owner: 'Codertocat', name: 'Hello-World' };
const apply = (sha: string, deliveryId: string) => reconcile({ mode: 'apply', repository, sha, ref: 'refs/heads/master', deliveryId });

async function liveCount(): Promise<number> {
  return ((await (await fetch(`${consul.url}/v1/config/service-defaults`)).json()) as unknown[]).length;
}

describe('reconcile function: refusals by code', () => {
  it('mass-delete: a push that drops most managed entries', async () => {
    expect(await apply(github.addCommit(treeOf(services), 'all', { branch: 'master', date: '2026-11-25T10:00:00Z' }), 'd-1')).toMatchObject([{ ok: true }]);
    const results = await apply(github.addCommit(treeOf(services.slice(0, 1)), 'most gone', { branch: 'master', date: '2026-11-25T11:00:00Z' }), 'd-2');
    expect(results).toEqual([expect.objectContaining({ target: 'default', outcome: 'refused', ok: false, code: 'mass-delete' })]);
    expect(logged).toContainEqual(expect.objectContaining({ message: 'Reconcile finished', code: 'mass-delete' }));
    expect(await liveCount()).toBe(12);
  });

  it('stale-commit: an older commit delivered after a newer one', async () => {
    const older = github.addCommit(treeOf(['api'], 'tcp'), 'A', { branch: 'master', date: '2026-11-25T10:00:00Z' });
    const newer = github.addCommit(treeOf(['api']), 'B', { branch: 'master', date: '2026-11-25T11:00:00Z' });
    expect(await apply(newer, 'd-b')).toMatchObject([{ ok: true }]);
    expect(await apply(older, 'd-a')).toEqual([expect.objectContaining({ outcome: 'stale', code: 'stale-commit' })]);
  });

  it('invalid-entries: a commit whose files do not validate', async () => {
    const sha = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMaxInboundConnections = "many"\n' }, 'bad', {
      branch: 'master',
    });
    expect(await apply(sha, 'd-1')).toEqual([expect.objectContaining({ outcome: 'invalid', ok: false, code: 'invalid-entries' })]);
    expect(await liveCount()).toBe(0);
  });

  it('target-busy: another run holds the lock; the invocation fails with that code', async () => {
    const lease = { holder: 'lambda other-request', expiresAt: '2099-01-01T00:00:00.000Z' };
    await fetch(`${consul.url}/v1/kv/consul-gitops/state/default/lock`, { method: 'PUT', body: JSON.stringify(lease) });
    const sha = github.addCommit(treeOf(['api']), 'B', { branch: 'master' });
    // One second left: no time to wait for the other run's lease.
    await expect(
      reconcile({ mode: 'apply', repository, sha, ref: 'refs/heads/master', deliveryId: 'd-1' }, { getRemainingTimeInMillis: () => 1_000 }),
    ).rejects.toMatchObject({
      code: 'target-busy',
    });
    expect(logged).toContainEqual(expect.objectContaining({ message: 'Reconcile failed', code: 'target-busy' }));
  });
});
