// Secrets the functions load at run time (from Secrets Manager or SSM, not from their environment)
// never reach a log line or GitHub, in any form they may be echoed in: a proxy in front of Consul
// that refuses the token and quotes it back (JSON-escaped, URL-encoded) must not carry it into the
// reconcile function's "Reconcile failed" line, nor into the commit status it reports on GitHub.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.ts';
import { awsEnv, startSecretsDouble, type SecretsDouble } from '../support/aws-secrets-double.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.ts';
import { formsOf, startEchoingConsul, type EchoingConsul } from '../support/echoing-consul.ts';

/** A Consul token as an operator may store it: characters that JSON and URL encoding change. */
const CONSUL_TOKEN = 'c0nsul/"stored"+token=9f2e';

let aws: SecretsDouble;
beforeAll(async () => {
  aws = await startSecretsDouble();
});
afterAll(() => aws.close());

describe('reconcile function with its Consul token in Secrets Manager', () => {
  let consul: EchoingConsul;
  let github: GitHubDouble;
  beforeEach(async () => {
    github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
    aws.secrets.set('consul-gitops/consul-token', CONSUL_TOKEN);
  });
  afterEach(async () => {
    await Promise.all([consul.close(), github.close()]);
  });

  // The second echo puts the token across the 140 characters GitHub keeps of a status description.
  it.each([
    ['', 'whole'],
    [' by the gateway in front of Consul for this request'.padEnd(80, '.'), 'cut by the status description limit'],
  ])('never logs the token a refusing proxy echoes, nor reports it on the commit status (%#: %s)', async (padding) => {
    consul = await startEchoingConsul(padding);
    const logs: string[] = [];
    const reconcile = createReconcileHandler({
      env: {
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        ...awsEnv(aws),
        CONSUL_HTTP_ADDR: consul.url,
        CONSUL_TOKEN_SECRET_ARN: 'consul-gitops/consul-token',
        GITHUB_TOKEN: 'ghp_secretsInLogs0123456789',
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: 'master',
      },
      overrides: { github: { throttle: false, retries: 0 } },
      log: (l) => logs.push(l),
      metrics: { record: () => undefined },
    });
    const sha = github.addCommit({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' }, 'onboard', { branch: 'master' });
    await expect(
      reconcile({ mode: 'apply', repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/master', deliveryId: 'd-1' }),
    ).rejects.toThrow();
    // The fault happened and was logged: the run failed on Consul's refusal.
    expect(logs.some((l) => l.includes('Reconcile failed') && l.includes('Permission denied'))).toBe(true);
    const reported = github.statuses.map((s) => s.description ?? '').join('\n');
    expect(reported).toContain('Permission denied');
    for (const form of formsOf(CONSUL_TOKEN)) {
      expect(logs.join('\n')).not.toContain(form);
      expect(logs.join('\n')).not.toContain(JSON.stringify(form).slice(1, -1));
      expect(reported).not.toContain(form);
    }
    // Not even the start of it, where the description is cut.
    expect(reported).not.toContain(CONSUL_TOKEN.slice(0, 6));
  });
});

describe('reconcile function with its Consul token in a file (CONSUL_HTTP_TOKEN_FILE)', () => {
  it('never logs the token a refusing proxy echoes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consul-token-'));
    const consul = await startEchoingConsul();
    const github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
    const token = 'file/"consul"+token=77';
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const logs: string[] = [];
    try {
      const reconcile = createReconcileHandler({
        env: {
          GITHUB_REPOSITORY: 'Codertocat/Hello-World',
          CONSUL_HTTP_ADDR: consul.url,
          CONSUL_HTTP_TOKEN_FILE: join(dir, 'token'),
          GITHUB_TOKEN: 'ghp_secretsInLogs0123456789',
          GITHUB_API_URL: github.url,
          DEFAULT_BRANCH: 'master',
        },
        overrides: { github: { throttle: false, retries: 0 } },
        log: (l) => logs.push(l),
        metrics: { record: () => undefined },
      });
      const sha = github.addCommit({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\n' }, 'onboard', { branch: 'master' });
      await expect(
        reconcile({ mode: 'apply', repository: { owner: 'Codertocat', name: 'Hello-World' }, sha, ref: 'refs/heads/master', deliveryId: 'd-2' }),
      ).rejects.toThrow();
      expect(consul.tokens).toContain(token);
      expect(logs.some((l) => l.includes('Reconcile failed') && l.includes('Permission denied'))).toBe(true);
      for (const form of formsOf(token)) {
        expect(logs.join('\n')).not.toContain(form);
        expect(logs.join('\n')).not.toContain(JSON.stringify(form).slice(1, -1));
      }
    } finally {
      await Promise.all([consul.close(), github.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
