// `serve` finds its webhook secret where the webhook Lambda does: Secrets Manager
// (WEBHOOK_SECRET_ARN) or SSM (WEBHOOK_SECRET_PARAMETER) through Powertools Parameters, else
// GITHUB_WEBHOOK_SECRET. Driven through the `serve` command against a loopback double of both AWS
// APIs (the real SDK clients): deliveries signed with the stored value are accepted, a rotation is
// picked up without a restart, a secret that cannot be read stops the start, and the value shows
// nowhere.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve-command.ts';
import { awsEnv, startSecretsDouble, type SecretsDouble } from '../support/aws-secrets-double.ts';
import { example, signed } from '../functions/webhook/github-examples.ts';

const STORED = 'stored-webhook-secret-0123';
const ROTATED = 'rotated-webhook-secret-4567';
let aws: SecretsDouble;
let stop: () => void;
let running: Promise<number> | undefined;
let out: { stdout: string; stderr: string };
let logs: string[];

beforeAll(async () => {
  aws = await startSecretsDouble();
});
afterAll(async () => {
  await aws.close();
});
beforeEach(() => {
  aws.calls.length = 0;
  aws.failWith = undefined;
  aws.secrets.clear();
  aws.parameters.clear();
  running = undefined;
});
afterEach(async () => {
  stop?.();
  await running;
});

/** Starts `serve` on a free port; resolves with its URL, or with the exit code when it does not start. */
async function serve(env: Record<string, string>): Promise<{ url?: string; code?: number }> {
  out = { stdout: '', stderr: '' };
  logs = [];
  const io = { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } };
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  running = serveCommand(['--port', '0'], io, stopSignal, {
    env: {
      GITHUB_TOKEN: 'ghp_webhookSecretTest0123',
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      // Loopback, refused at once: serve's start-up check of what it owes asks GitHub, never the real one from a test.
      GITHUB_API_URL: 'http://127.0.0.1:9',
      CONSUL_HTTP_ADDR: 'http://127.0.0.1:1',
      SCHEDULE_INTERVAL: '0',
      ...awsEnv(aws),
      ...env,
    },
    log: (l) => logs.push(l),
  });
  for (;;) {
    const url = /listening on (\S+)/.exec(out.stdout)?.[1];
    if (url) return { url };
    const done = await Promise.race([running, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20))]);
    if (done !== undefined) return { code: done };
  }
}

async function ping(url: string, secret: string): Promise<number> {
  const req = await signed('ping', example('ping'), { secret });
  return (await fetch(`${url}/webhook`, { method: 'POST', headers: req.headers, body: req.body })).status;
}

describe('serve: the webhook secret in Secrets Manager or SSM', () => {
  it('Secrets Manager: accepts what the stored secret signs, picks up a rotation, never shows the value', async () => {
    aws.secrets.set('consul-gitops/webhook', STORED);
    const { url } = await serve({ WEBHOOK_SECRET_ARN: 'consul-gitops/webhook' });
    expect(url).toBeDefined();
    expect(await ping(url!, STORED)).toBe(200);
    // A rotation: the first delivery GitHub signs with the new value forces one read past the cache.
    aws.secrets.set('consul-gitops/webhook', ROTATED);
    expect(await ping(url!, ROTATED)).toBe(200);
    expect(await ping(url!, STORED)).toBe(401);
    expect(await ping(url!, 'a guess')).toBe(401);
    expect(aws.calls.every((c) => c.target === 'secretsmanager.GetSecretValue' && c.body.SecretId === 'consul-gitops/webhook')).toBe(true);
    // Plan links are signed with a key derived from it: a link it did not issue is refused, not a 500.
    expect((await fetch(`${url}/plans/AAAAAAAAAAAAAAAAAAAAAA?expires=9999999999&sig=${'A'.repeat(43)}`)).status).toBe(403);
    const everything = out.stdout + out.stderr + logs.join('\n');
    expect(everything).not.toContain(STORED);
    expect(everything).not.toContain(ROTATED);
  });

  it('SSM: a SecureString parameter, decrypted', async () => {
    aws.parameters.set('/consul-gitops/webhook', STORED);
    const { url } = await serve({ WEBHOOK_SECRET_PARAMETER: '/consul-gitops/webhook' });
    expect(await ping(url!, STORED)).toBe(200);
    expect(aws.calls[0]).toMatchObject({ target: 'AmazonSSM.GetParameter', body: { Name: '/consul-gitops/webhook', WithDecryption: true } });
  });

  it('a stored secret wins over GITHUB_WEBHOOK_SECRET, as in the Lambda', async () => {
    aws.secrets.set('consul-gitops/webhook', STORED);
    const { url } = await serve({ WEBHOOK_SECRET_ARN: 'consul-gitops/webhook', GITHUB_WEBHOOK_SECRET: 'env-webhook-secret-89' });
    expect(await ping(url!, STORED)).toBe(200);
    expect(await ping(url!, 'env-webhook-secret-89')).toBe(401);
  });

  it('a secret that cannot be read stops the start, naming it and the store’s error, not listening', async () => {
    const { code } = await serve({ WEBHOOK_SECRET_ARN: 'consul-gitops/missing' });
    expect(code).toBe(1);
    expect(out.stderr).toContain('secret consul-gitops/missing: could not be read (ResourceNotFoundException)');
    expect(out.stdout).not.toContain('listening');
  });

  it('no secret anywhere: refused, naming the three places', async () => {
    const { code } = await serve({});
    expect(code).toBe(1);
    for (const name of ['GITHUB_WEBHOOK_SECRET', 'WEBHOOK_SECRET_ARN', 'WEBHOOK_SECRET_PARAMETER']) expect(out.stderr).toContain(name);
    expect(aws.calls).toEqual([]);
  });
});
