// `serve` with its secrets in the stores (the webhook secret in Secrets Manager, the Consul token in
// SSM, read through the real SDK clients against a loopback double): a gateway in front of Consul
// that quotes the token back in its refusal must not carry it into serve's log or onto GitHub, and
// neither may the token a rotation brings, read again while serve runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../../src/serve/server.ts';
import { awsEnv, startSecretsDouble, type SecretsDouble } from '../support/aws-secrets-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { formsOf, startEchoingConsul, type EchoingConsul } from '../support/echoing-consul.ts';
import { pushOf } from '../support/github-events.ts';
import { signed } from '../functions/webhook/github-examples.ts';

const WEBHOOK_SECRET = 'webhook "secret" from/the+store';
const TOKEN_BEFORE = 'consul-token/"before"+rotation';
const TOKEN_AFTER = 'consul-token/"after"+rotation';

let aws: SecretsDouble;
let consul: EchoingConsul;
let github: GitHubDouble;
beforeAll(async () => {
  [aws, consul, github] = await Promise.all([
    startSecretsDouble(),
    startEchoingConsul(),
    startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' }),
  ]);
});
afterAll(() => Promise.all([aws.close(), consul.close(), github.close()]));

describe('serve with its secrets in Secrets Manager and SSM', () => {
  it('never logs nor reports the Consul token a gateway echoes, before or after it is rotated', async () => {
    aws.secrets.set('consul-gitops/webhook', WEBHOOK_SECRET);
    aws.parameters.set('/consul-gitops/consul-token', TOKEN_BEFORE);
    const logs: string[] = [];
    const serve = await startServe({
      env: {
        ...awsEnv(aws),
        WEBHOOK_SECRET_ARN: 'consul-gitops/webhook',
        CONSUL_TOKEN_SECRET_PARAMETER: '/consul-gitops/consul-token',
        // Kept no longer than it takes to read: the rotation below shows at the next read, not a second later.
        POWERTOOLS_PARAMETERS_MAX_AGE: '0',
        CONSUL_HTTP_ADDR: consul.url,
        GITHUB_TOKEN: 'ghp_serveSecretsInLogs0123456789',
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        DEFAULT_BRANCH: 'master',
      },
      port: 0,
      host: '127.0.0.1',
      overrides: { github: { throttle: false, retries: 0 } },
      log: (line) => logs.push(line),
      scheduleIntervalMs: 0,
    });
    const push = async (n: number) => {
      const sha = github.addCommit({ 'config-entries/web.hcl': `Kind = "service-defaults"\nName = "web"\nMaxInboundConnections = ${n}\n` }, 'change', {
        branch: 'master',
      });
      const req = await signed('push', pushOf(sha), { secret: WEBHOOK_SECRET, deliveryId: `push-${n}` });
      const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
      await res.body?.cancel();
      expect(res.status).toBe(202);
      await serve.idle();
    };
    try {
      await push(1);
      aws.parameters.set('/consul-gitops/consul-token', TOKEN_AFTER);
      await push(2);
    } finally {
      await serve.close();
    }
    // Both tokens reached the gateway, and both refusals were logged and reported.
    expect(new Set(consul.tokens)).toEqual(new Set([TOKEN_BEFORE, TOKEN_AFTER]));
    expect(logs.filter((l) => l.includes('Reconcile failed') && l.includes('Permission denied'))).toHaveLength(2);
    const reported = github.statuses.map((s) => s.description ?? '').join('\n');
    expect(reported).toContain('Permission denied');
    const text = logs.join('\n');
    for (const secret of [TOKEN_BEFORE, TOKEN_AFTER, WEBHOOK_SECRET])
      for (const form of formsOf(secret)) {
        expect(text).not.toContain(form);
        expect(text).not.toContain(JSON.stringify(form).slice(1, -1));
        expect(reported).not.toContain(form);
      }
    expect(reported).not.toContain('consul-token');
  });
});
