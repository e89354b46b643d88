// src/adapters/secrets/secret-source.ts through Powertools Parameters and the real AWS SDK clients,
// against a loopback double of the Secrets Manager and SSM APIs: values are cached for maxAge and
// read again after it (a rotation is seen without a cold start), failures are typed and secret-free.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_REFRESH_INTERVAL_MS, SecretUnavailableError, envSecretSource, secretSourceFor } from '../../src/adapters/secrets/secret-source.ts';
import { awsEnv, startSecretsDouble, type SecretsDouble } from '../support/aws-secrets-double.ts';

const VALUE = 'webhook-secret-value';
const ROTATED = 'webhook-secret-rotated';
let aws: SecretsDouble;

beforeAll(async () => {
  aws = await startSecretsDouble();
});
afterAll(() => aws.close());
beforeEach(() => {
  aws.calls.length = 0;
  aws.failWith = undefined;
  aws.secrets.set('consul-gitops/webhook', VALUE);
  aws.parameters.set('/consul-gitops/webhook', VALUE);
  // Only Date: the HTTP client's own timers keep running.
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-30T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stored secrets (Powertools Parameters)', () => {
  it('reads a Secrets Manager secret once, serves it from memory until maxAge, then reads the rotated value', async () => {
    const source = secretSourceFor({ secretId: 'consul-gitops/webhook', maxAgeSeconds: 300 }, awsEnv(aws));
    expect(await source.value()).toBe(VALUE);
    aws.secrets.set('consul-gitops/webhook', ROTATED);
    vi.setSystemTime(Date.now() + 299_000);
    expect(await source.value()).toBe(VALUE);
    expect(aws.calls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await source.value()).toBe(ROTATED);
    expect(aws.calls.map((c) => c.target)).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.GetSecretValue']);
    expect(aws.calls[0].body).toEqual({ SecretId: 'consul-gitops/webhook' });
  });

  it('reads an SSM parameter with decryption, cached the same way', async () => {
    const source = secretSourceFor({ parameterName: '/consul-gitops/webhook', maxAgeSeconds: 60 }, awsEnv(aws));
    expect(await source.value()).toBe(VALUE);
    expect(await source.value()).toBe(VALUE);
    expect(aws.calls).toEqual([{ target: 'AmazonSSM.GetParameter', body: { Name: '/consul-gitops/webhook', WithDecryption: true } }]);
  });

  it('refresh reads past the cache, but at most once per interval', async () => {
    const source = secretSourceFor({ secretId: 'consul-gitops/webhook' }, awsEnv(aws));
    expect(await source.value()).toBe(VALUE);
    aws.secrets.set('consul-gitops/webhook', ROTATED);
    expect(await source.refresh!()).toBe(ROTATED);
    expect(await source.refresh!()).toBe(ROTATED);
    expect(aws.calls).toHaveLength(2);
    vi.setSystemTime(Date.now() + MIN_REFRESH_INTERVAL_MS);
    await source.refresh!();
    expect(aws.calls).toHaveLength(3);
  });

  it("a failure is a SecretUnavailableError naming the secret and the error code, never the store's message; it is not cached", async () => {
    aws.failWith = { status: 400, type: 'AccessDeniedException', message: `not allowed to read ${VALUE}` };
    const source = secretSourceFor({ secretId: 'consul-gitops/webhook' }, awsEnv(aws));
    const error = await source.value().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect((error as Error).message).toBe('secret consul-gitops/webhook: could not be read (AccessDeniedException)');
    aws.failWith = undefined;
    expect(await source.value()).toBe(VALUE);
  });

  it("a missing secret names the store's code too", async () => {
    const source = secretSourceFor({ secretId: 'nope' }, awsEnv(aws));
    await expect(source.value()).rejects.toThrow('secret nope: could not be read (ResourceNotFoundException)');
  });
});

describe('environment secrets', () => {
  it('falls back to the environment variable, and names it (not its value) when empty', async () => {
    expect(await secretSourceFor({ envVariable: 'GITHUB_WEBHOOK_SECRET' }, { GITHUB_WEBHOOK_SECRET: VALUE }).value()).toBe(VALUE);
    await expect(envSecretSource({}, 'GITHUB_WEBHOOK_SECRET').value()).rejects.toThrow('environment variable GITHUB_WEBHOOK_SECRET is empty or unset');
  });
});
