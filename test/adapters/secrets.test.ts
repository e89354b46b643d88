// src/adapters/secrets/secret-source.ts against a loopback stand-in for the Parameters and Secrets Lambda
// Extension (same paths, query and token header as the real one on localhost:2773).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretUnavailableError, envSecretSource, secretSourceFor } from '../../src/adapters/secrets/secret-source.ts';

const VALUE = 'webhook-secret-value';
let server: Server;
let port: number;
const requests: { url: string; token: string | undefined }[] = [];
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', token: req.headers['x-aws-parameters-secrets-token'] as string | undefined });
    if (req.headers['x-aws-parameters-secrets-token'] !== 'session-token') return void res.writeHead(401).end('{"message":"unauthorized"}');
    if (failNext > 0) {
      failNext--;
      return void res.writeHead(500).end(`{"message":"boom ${VALUE}"}`);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/secretsmanager/get') return void res.end(JSON.stringify({ Name: url.searchParams.get('secretId'), SecretString: VALUE }));
    if (url.pathname === '/systemsmanager/parameters/get') return void res.end(JSON.stringify({ Parameter: { Name: url.searchParams.get('name'), Value: VALUE } }));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const lambdaEnv = () => ({ AWS_SESSION_TOKEN: 'session-token', PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port) });
// The real extension listens on localhost; the stand-in on 127.0.0.1 (IPv6 localhost may not be bound).
const toLoopback: typeof fetch = (input, init) => fetch(String(input).replace('//localhost:', '//127.0.0.1:'), init);

describe('secret sources', () => {
  it('reads a Secrets Manager secret through the extension once, with the session token, and caches it', async () => {
    requests.length = 0;
    const source = secretSourceFor({ secretId: 'consul-gitops/github-webhook-secret' }, lambdaEnv(), toLoopback);
    expect(await source.value()).toBe(VALUE);
    expect(await source.value()).toBe(VALUE);
    expect(requests).toEqual([{ url: '/secretsmanager/get?secretId=consul-gitops%2Fgithub-webhook-secret', token: 'session-token' }]);
  });

  it('reads an SSM parameter with decryption', async () => {
    requests.length = 0;
    const source = secretSourceFor({ parameterName: '/consul-gitops/webhook' }, lambdaEnv(), toLoopback);
    expect(await source.value()).toBe(VALUE);
    expect(requests[0].url).toBe('/systemsmanager/parameters/get?name=%2Fconsul-gitops%2Fwebhook&withDecryption=true');
  });

  it('does not cache a failure, and keeps the store answer out of the error', async () => {
    failNext = 1;
    const source = secretSourceFor({ secretId: 'hook' }, lambdaEnv(), toLoopback);
    const error = await source.value().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(String((error as Error).message)).toBe('secret hook: the extension answered HTTP 500');
    expect(await source.value()).toBe(VALUE);
  });

  it('refuses stored secrets outside Lambda (no session token)', () => {
    expect(() => secretSourceFor({ secretId: 'hook' }, {})).toThrow('AWS_SESSION_TOKEN is unset');
  });

  it('falls back to the environment variable, and names it (not its value) when empty', async () => {
    expect(await secretSourceFor({ envVariable: 'GITHUB_WEBHOOK_SECRET' }, { GITHUB_WEBHOOK_SECRET: VALUE }).value()).toBe(VALUE);
    await expect(envSecretSource({}, 'GITHUB_WEBHOOK_SECRET').value()).rejects.toThrow('environment variable GITHUB_WEBHOOK_SECRET is empty or unset');
  });
});
