// Reads (node:http, src/adapters/consul/node-http-gets.ts) and writes (undici) go to Consul with the
// same TLS: the CA file, the client certificate and key, and the token. Through the CLI against an
// HTTPS front of the dev server that asks every connection for a client certificate it trusts.
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { startTlsFront, type TlsFront } from '../support/tls-front.ts';

const ENV_VARS = [
  'CONSUL_HTTP_TOKEN',
  'CONSUL_HTTP_TOKEN_FILE',
  'CONSUL_HTTP_ADDR',
  'CONSUL_CACERT',
  'CONSUL_CAPATH',
  'CONSUL_CLIENT_CERT',
  'CONSUL_CLIENT_KEY',
];
const TOKEN = 'mtls-test-token-5f1c';

let cert: string;
let key: string;
let consul: DevServer;
let front: TlsFront;
let url: string;
/** Every request the front saw: method, whether its client certificate was trusted, its token. */
const seen: { method: string; authorized: boolean; token: string | undefined }[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  // One self-signed certificate for 127.0.0.1: the server's, the client's, and the CA both trust.
  front = await startTlsFront(consul.url, {
    requireClientCert: true,
    onRequest: (req) =>
      seen.push({ method: req.method ?? '', authorized: (req.socket as TLSSocket).authorized, token: req.headers['x-consul-token'] as string | undefined }),
  });
  cert = front.caFile;
  key = front.keyFile;
  url = front.url;
  for (const k of ENV_VARS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
}, 60_000);

afterEach(() => {
  for (const k of ENV_VARS) delete process.env[k];
  seen.length = 0;
});

afterAll(async () => {
  for (const k of ENV_VARS) if (saved[k] !== undefined) process.env[k] = saved[k];
  await front.close();
  await consul.close();
});

const tree = () => tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });

describe('Consul over mutual TLS', () => {
  it('plan reads and apply writes with the CA file, the client certificate and the token', async () => {
    Object.assign(process.env, { CONSUL_CACERT: cert, CONSUL_CLIENT_CERT: cert, CONSUL_CLIENT_KEY: key, CONSUL_HTTP_TOKEN: TOKEN });
    const cwd = tree();
    const plan = await runCli(['plan', '--consul', url, '--detailed-exitcode'], cwd);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('+ create service-defaults/web');
    const apply = await runCli(['apply', '--consul', url, '--auto-approve'], cwd);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await (await fetch(`${consul.url}/v1/config/service-defaults/web`)).json()).toMatchObject({ Name: 'web', Protocol: 'http' });
    // Reads and writes alike: every request with a trusted client certificate and the token.
    expect(new Set(seen.map((s) => s.method))).toEqual(new Set(['GET', 'PUT']));
    expect(seen.filter((s) => !s.authorized || s.token !== TOKEN)).toEqual([]);
    // Nothing of the token in what the user saw.
    expect(plan.stdout + apply.stdout + apply.stderr).not.toContain(TOKEN);
  }, 60_000);

  it('without the client certificate no request is answered, and the token is not shown', async () => {
    Object.assign(process.env, { CONSUL_CACERT: cert, CONSUL_HTTP_TOKEN: TOKEN });
    const plan = await runCli(['plan', '--consul', url], tree());
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('error');
    expect(plan.stderr).not.toContain(TOKEN);
    expect(seen).toEqual([]);
  }, 60_000);
});
