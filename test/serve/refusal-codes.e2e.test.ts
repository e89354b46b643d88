// `serve` names refusals and failures by code in its log lines, as the reconcile function does:
// a push refused for field loss (field-loss), and a run that throws (the thrown error's code).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer } from '../../src/dev-server/server.ts';
import { startServe, type ServeHandle } from '../../src/serve/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { configPush, SECRET, signed } from '../functions/webhook/github-examples.ts';
import { devServerHolding } from '../support/dev-server-holding.ts';

let consul: DevServer;
let github: GitHubDouble;
let serve: ServeHandle | undefined;
let logs: string[];

beforeEach(async () => {
  const entry = {
    Kind: 'service-defaults',
    Name: 'web',
    Protocol: 'http',
    FutureKnob: { Level: 3 },
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/web.hcl' },
  };
  consul = await devServerHolding([entry]);
  github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  logs = [];
  serve = await startServe({
    env: {
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: 'ghp_serveCodesTOKEN-0123456789',
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      DEFAULT_BRANCH: 'master',
      CONSUL_HTTP_ADDR: consul.url,
    },
    port: 0,
    host: '127.0.0.1',
    overrides: { github: { throttle: false, retries: 0 } },
    log: (l) => logs.push(l),
    scheduleIntervalMs: 0,
  });
});
afterEach(async () => {
  await serve?.close();
  await Promise.all([consul.close(), github.close()]);
});

async function push(files: Record<string, string>): Promise<void> {
  const event = configPush() as Record<string, unknown>;
  event.after = github.addCommit(files, 'change', { branch: 'master' });
  const req = await signed('push', event);
  expect((await fetch(`${serve!.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body })).status).toBe(202);
  await serve!.idle();
}

const lines = (message: string) => logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message);
const grpc = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "grpc"\n' };

describe('serve: codes in log lines', () => {
  it('field-loss: the finished line of a push refused for field loss', async () => {
    await push(grpc);
    expect(lines('Reconcile finished')).toEqual([expect.objectContaining({ level: 'WARN', outcome: 'applied', ok: false, code: 'field-loss' })]);
    expect(await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).json()).toMatchObject({ Protocol: 'http', FutureKnob: { Level: 3 } });
  });

  it("a run that throws: the failed line's error carries the code (github)", async () => {
    github.fail({ path: /\/git\//, status: 500, times: 100 });
    await push(grpc);
    expect(lines('Reconcile failed')).toEqual([
      expect.objectContaining({ level: 'ERROR', error: expect.objectContaining({ name: 'GitHubError', code: 'github' }) }),
    ]);
  });
});
