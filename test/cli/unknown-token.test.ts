// A token Consul does not know (deleted, expired, another cluster's) is answered `403 ACL not found`
// on every request, and nothing more: plan, apply, audit and import say which request it was and
// where the token came from, never the secret itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const ROOT = 'root-5a0d7f1e-0000-4000-8000-000000000001';
const GONE = 'gone-5a0d7f1e-0000-4000-8000-000000000002';

let server: DevServer;
const saved = { token: process.env.CONSUL_HTTP_TOKEN, file: process.env.CONSUL_HTTP_TOKEN_FILE };
beforeAll(async () => {
  delete process.env.CONSUL_HTTP_TOKEN_FILE;
  process.env.CONSUL_HTTP_TOKEN = GONE;
  server = await startDevServer({ port: 0, host: '127.0.0.1', acl: { defaultPolicy: 'deny', tokens: [{ secret: ROOT, management: true }] } });
});
afterAll(async () => {
  await server.close();
  for (const [k, v] of [
    ['CONSUL_HTTP_TOKEN', saved.token],
    ['CONSUL_HTTP_TOKEN_FILE', saved.file],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

describe('a token Consul does not know', () => {
  it.each([
    ['plan', ['plan']],
    ['apply', ['apply', '--auto-approve']],
    ['audit', ['audit']],
    ['import', ['import', '--dir', 'imported']],
  ])('%s: exit 1, naming the request and where the token is set, never the token', async (_name, argv) => {
    const cwd = tempTree({ 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' });
    const r = await runCli([...argv, '--consul', server.url], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: ACL not found');
    expect(r.stderr).toMatch(
      /hint: Consul knows no token with the secret sent \((GET|PUT) \/v1\/[^)]+\): it was deleted or has expired, or belongs to another cluster/,
    );
    expect(r.stderr).toContain('Check CONSUL_HTTP_TOKEN or CONSUL_HTTP_TOKEN_FILE');
    expect(r.stdout + r.stderr).not.toContain(GONE);
    expect((await fetch(`${server.url}/v1/config/service-defaults/web`, { headers: { 'x-consul-token': ROOT } })).status).toBe(404);
  });
});
