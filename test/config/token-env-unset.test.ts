// A target whose consul.tokenEnv names a variable that is unset or empty, through `plan` (main()):
// refused as a config error naming the variable and the target, before any request. It once fell
// back to CONSUL_HTTP_TOKEN, so a shell holding another cluster's (or a broader) token read, and
// `apply` wrote, with a token the file never named for this target.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startConsulFront, type ConsulFront } from '../support/consul-front.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const OTHER_TOKEN = 'f00dcafe-0000-4000-8000-00000000beef';
let server: DevServer;
let front: ConsulFront;
beforeAll(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
  front = await startConsulFront(server.url, () => undefined);
});
afterAll(async () => {
  await front.close();
  await server.close();
});

const tree = () =>
  tempTree({
    'config-entries/web.hcl': 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n',
    'consul-gitops.yaml': 'targets:\n  - name: dc1\n    consul:\n      tokenEnv: CONSUL_DC1_TOKEN\n',
  });

it.each([
  ['unset', {}],
  ['empty', { CONSUL_DC1_TOKEN: '' }],
])('tokenEnv %s: refused, naming the variable; CONSUL_HTTP_TOKEN is not used instead', async (_, extra: Record<string, string>) => {
  front.seen.length = 0;
  const run = await runCli(['plan', '--json', '--consul', front.url], tree(), { env: { CONSUL_HTTP_TOKEN: OTHER_TOKEN, ...extra } });
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).error.code).toBe('config');
  expect(run.stderr).toContain('target "dc1": consul.tokenEnv names CONSUL_DC1_TOKEN, which is unset or empty');
  expect(run.stderr + run.stdout).not.toContain(OTHER_TOKEN);
  expect(front.seen).toEqual([]);
});

it('tokenEnv set: its token is used (pin)', async () => {
  const run = await runCli(['plan', '--consul', front.url], tree(), { env: { CONSUL_HTTP_TOKEN: OTHER_TOKEN, CONSUL_DC1_TOKEN: 'dc1-token' } });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
});
