// A Consul read that fails with a 500 during `plan` or `advise`: stderr names the request that failed
// (method, path, status) beside Consul's text, so a user can tell which read it was; the token sent
// never appears.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulFront, type ConsulFront } from '../support/consul-front.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const TOKEN = 'b1gs3cr3t-t0ken-0000-1111-222233334444';
const FAILING = '/v1/config/service-defaults';
let server: DevServer;
let front: ConsulFront;
beforeAll(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
  front = await startConsulFront(server.url, (url, method) =>
    method === 'GET' && url.pathname === FAILING ? { status: 500, body: 'failed to read state store' } : undefined,
  );
});
afterAll(async () => {
  await front.close();
  await server.close();
});

const files = { 'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n' };

it('plan: the error line is followed by the failed request, without the token', async () => {
  const run = await runCli(['plan', '--consul', front.url], tempTree(files), { env: { CONSUL_HTTP_TOKEN: TOKEN } });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^error: failed to read state store\\n  request: GET ${FAILING}(\\?[^ ]*)?: 500\\n`));
  expect(run.stderr + run.stdout).not.toContain(TOKEN);
  // The failing read is the one the line names.
  expect(front.seen.some((s) => s.url.startsWith(FAILING) && s.status === 500)).toBe(true);
});

it('advise: the same', async () => {
  const run = await runCli(['advise', '--stats', 'envoy', '--consul', front.url], tempTree(files), { env: { CONSUL_HTTP_TOKEN: TOKEN } });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^error: failed to read state store\\n  request: GET ${FAILING}(\\?[^ ]*)?: 500\\n`));
  expect(run.stderr + run.stdout).not.toContain(TOKEN);
});
