// The Lambda functions log through the shared logger: JSON lines with Lambda's level names, the
// delivery's id as correlation_id on its lines, LOG_LEVEL honoured, the webhook secret never shown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { configPush, SECRET, signed } from './webhook/github-examples.ts';

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('webhook function logs', () => {
  it('answer lines carry the delivery id and never the secret', async () => {
    const logs: string[] = [];
    const handler = createHandler({
      env: { RECONCILE_FUNCTION_NAME: 'r', GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_REPOSITORY: 'Codertocat/Hello-World' },
      log: (l) => logs.push(l),
    });
    const req = await signed('push', configPush(), { deliveryId: 'delivery-42', secret: 'not the right one' });
    const res = await handler({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
    expect(res.statusCode).toBe(401);
    expect(parse(logs)).toEqual([expect.objectContaining({ level: 'INFO', message: 'Webhook answered', correlation_id: 'delivery-42', status: 401 })]);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('LOG_LEVEL=error keeps routine answers out', async () => {
    const logs: string[] = [];
    const handler = createHandler({
      env: { RECONCILE_FUNCTION_NAME: 'r', GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_REPOSITORY: 'Codertocat/Hello-World', LOG_LEVEL: 'error' },
      log: (l) => logs.push(l),
    });
    const req = await signed('push', configPush(), { secret: 'not the right one' });
    expect((await handler({ headers: req.headers, body: req.body, isBase64Encoded: false } as never)).statusCode).toBe(401);
    expect(logs).toEqual([]);
  });
});

describe('reconcile function logs', () => {
  let consul: DevServer;
  let github: GitHubDouble;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
    github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  });
  afterEach(async () => {
    await Promise.all([consul.close(), github.close()]);
  });

  it('each target’s result line carries the event’s delivery id', async () => {
    const logs: string[] = [];
    const reconcile = createReconcileHandler({
      env: {
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        CONSUL_HTTP_ADDR: consul.url,
        GITHUB_TOKEN: 'ghp_logTOKEN-0123456789',
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: 'master',
      },
      overrides: { github: { throttle: false, retries: 0 } },
      log: (l) => logs.push(l),
      metrics: { record: () => undefined },
    });
    const sha = github.addCommit({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }, 'onboard', { branch: 'master' });
    await reconcile({ mode: 'apply', repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/master', deliveryId: 'delivery-7' });
    expect(parse(logs)).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'Reconcile finished', correlation_id: 'delivery-7', target: 'default', outcome: 'applied' }),
    );
    expect(logs.join('\n')).not.toContain('ghp_logTOKEN-0123456789');
  });
});
