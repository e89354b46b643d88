// The KV prefix of consul-gitops' own state (consul-gitops.yaml `stateKeyPrefix`, STATE_PREFIX for
// serve and the Lambdas) is sent as a URL path: `""` made keys start with "/" (`/dc1/lock`, a `//`
// in the path that Consul's HTTP server redirects), and `../..` left the KV API (404 page not found)
// after the plan was shown. Refused at load, naming the key or the variable; `x/` and the default kept.
import { expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const consul = devServerPerFile();
const WEB = 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\n';
const applyWith = (prefix: string) =>
  runCli(
    ['apply', '--auto-approve', '--json', '--consul', consul.url],
    tempTree({ 'config-entries/web.hcl': WEB, 'consul-gitops.yaml': `stateKeyPrefix: ${JSON.stringify(prefix)}\ntargets:\n  - name: dc1\n` }),
  );

it.each(['', '../..', '/consul-gitops/state', 'consul-gitops//state', './state'])('stateKeyPrefix %j: refused before anything is applied', async (prefix) => {
  const run = await applyWith(prefix);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).error.code).toBe('config');
  expect(run.stderr).toContain('consul-gitops.yaml: stateKeyPrefix: a Consul KV prefix such as consul-gitops/state');
  expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(404);
});

it('a trailing "/" is kept: the lock lives under the prefix (pin)', async () => {
  const run = await applyWith('ops/gitops/');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const keys = (await (await fetch(`${consul.url}/v1/kv/ops/gitops/?keys`)).json()) as string[];
  expect(keys).toContain('ops/gitops/dc1/lock');
});

it('STATE_PREFIX=../.. stops serve at start, naming the variable and not its value', async () => {
  const started: unknown = await startServeHarness({ env: { STATE_PREFIX: '../..' } }).catch((e: unknown) => e);
  if (!(started instanceof Error)) await (started as ServeHarness).close();
  expect(started).toBeInstanceOf(Error);
  expect((started as Error).message).toContain('STATE_PREFIX');
  expect((started as Error).message).toContain('a Consul KV prefix such as consul-gitops/state');
  expect((started as Error).message).not.toContain('../..');
});
