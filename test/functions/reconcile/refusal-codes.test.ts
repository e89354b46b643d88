// The reconcile function names by code what consul-gitops refused inside an apply (an update that
// would drop live fields it does not know: field-loss) and fails an invocation in which several
// targets threw with one error of the family (targets-failed) that keeps each target's error and code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcileHandler, type ReconcileHandler } from '../../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';
import { ConsulGitopsError } from '../../../src/errors.ts';
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.ts';
import { devServerHolding } from '../../support/dev-server-holding.ts';

const OWNED = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' };

/** A dev server whose state holds web as a newer Consul stored it: with a field this registry lacks. */
async function consulHoldingFutureField(): Promise<DevServer> {
  const entry = { Kind: 'service-defaults', Name: 'web', Protocol: 'http', FutureKnob: { Level: 3 }, Meta: OWNED };
  return devServerHolding([entry]);
}

let consul: DevServer;
let github: GitHubDouble;
let logged: Record<string, unknown>[];

beforeEach(async () => {
  consul = await consulHoldingFutureField();
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  logged = [];
});
afterEach(async () => {
  await Promise.all([consul.close(), github.close()]);
});

const repository = { owner: 'Codertocat', name: 'Hello-World' };

function handler(env: Record<string, string> = {}): ReconcileHandler {
  return createReconcileHandler({
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      CONSUL_HTTP_ADDR: consul.url,
      GITHUB_TOKEN: 'ghp_refusalTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      DEFAULT_BRANCH: 'master',
      ...env,
    },
    overrides: { github: { throttle: false, retries: 0 } },
    log: (line) => logged.push(JSON.parse(line) as Record<string, unknown>),
    metrics: { record: () => undefined },
  });
}

const live = async () => (await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).json()) as Record<string, unknown>;

describe('reconcile function: refusals inside an apply and several failed targets', () => {
  it('field-loss: an update that would drop a live field is not written, and the result and log line say field-loss', async () => {
    const sha = github.addCommit({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n' }, 'grpc', { branch: 'master' });
    const results = await handler()({ mode: 'apply', repository, sha, ref: 'refs/heads/master', deliveryId: 'd-1' });
    expect(results).toEqual([expect.objectContaining({ target: 'default', outcome: 'applied', ok: false, code: 'field-loss' })]);
    expect(logged).toContainEqual(expect.objectContaining({ message: 'Reconcile finished', level: 'WARN', code: 'field-loss' }));
    expect(await live()).toMatchObject({ Protocol: 'http', FutureKnob: { Level: 3 } });
  });

  it('unsupported-consul-version: a commit planned (as for a pull request) against a Consul newer than modelled says so in the summary', async () => {
    const newer = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '2.2.0' });
    try {
      const sha = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'pr', { branch: 'feature' });
      const results = await handler({ CONSUL_HTTP_ADDR: newer.url })({
        mode: 'plan',
        repository,
        sha,
        ref: 'refs/heads/feature',
        deliveryId: 'd-pr',
      });
      expect(results).toEqual([expect.objectContaining({ outcome: 'planned', ok: true, warnings: ['unsupported-consul-version'] })]);
      expect(logged).toContainEqual(expect.objectContaining({ message: 'Reconcile finished', warnings: ['unsupported-consul-version'] }));
    } finally {
      await newer.close();
    }
  });

  it('targets-failed: a drift check of two targets that both throw fails with one error holding both', async () => {
    github.addCommit({ 'a/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }, 'a', { branch: 'master' });
    github.fail({ path: /\/repos\//, status: 500, times: 1000 });
    const reconcile = handler({
      TARGETS_CONFIG: 'targets:\n  - name: east\n    dir: a\n  - name: west\n    dir: b\n    consul: { address: "http://127.0.0.1:9" }\n',
    });
    const failure = await reconcile({ mode: 'drift', repository, branch: 'master', deliveryId: 'schedule-1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConsulGitopsError);
    expect(failure).toMatchObject({
      code: 'targets-failed',
      targets: [expect.objectContaining({ target: 'east', code: 'github' }), expect.objectContaining({ target: 'west', code: 'github' })],
    });
    const { errors } = failure as { errors: unknown[] };
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toMatchObject({ code: 'github' });
    // Each target's failure was logged with its code before the invocation failed.
    const lines = logged.filter((l) => l.message === 'Reconcile failed');
    expect(lines.map((l) => [l.target, l.code, (l.error as { code?: string }).code])).toEqual([
      ['east', 'github', 'github'],
      ['west', 'github', 'github'],
    ]);
  });
});
