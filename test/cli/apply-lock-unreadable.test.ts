// `apply` through main() against the dev server when the target lock key in Consul KV holds
// something no consul-gitops run wrote (garbage written by hand or by another tool): waiting cannot
// end it and taking it over could let two runs write at once, so apply stops before writing and
// names the key and what to do, as an error with its code (never a bare SyntaxError).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';
import { withoutConsulEnv } from '../support/consul-env.ts';

// main() reads the process environment: nothing may come from the machine running the tests.
withoutConsulEnv();

const KEY = 'consul-gitops/state/default/lock';
const TREE = { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' };

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await server.close();
});

async function putKv(value: string): Promise<void> {
  expect(await (await fetch(`${server.url}/v1/kv/${KEY}`, { method: 'PUT', body: value })).text()).toBe('true');
}
const apiEntry = async () => (await fetch(`${server.url}/v1/config/service-defaults/api`)).status;

describe('apply, a target lock key holding what no run wrote', () => {
  it.each([
    ['not JSON', 'garbage{'],
    ['not a JSON object', '"locked"'],
    ['no "holder" string', '{"expiresAt":"2026-11-25T12:00:00Z"}'],
  ])('stops before writing and names the key and the fix (%s)', async (why, value) => {
    await putKv(value);
    const cwd = tempTree(TREE);
    const run = await runCli(['apply', '--auto-approve', '--dir', 'config-entries', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `the target lock ${KEY} in Consul KV is not a consul-gitops lease (${why}); delete the key (\`consul kv delete ${KEY}\`) once no consul-gitops run holds the target, and run again`,
    );
    expect(run.stderr).not.toContain('SyntaxError');
    expect(await apiEntry()).toBe(404);

    const json = await runCli(['apply', '--auto-approve', '--json', '--dir', 'config-entries', '--consul', server.url], cwd);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('state-unreadable');
  });

  it('applies once the key is deleted', async () => {
    await putKv('garbage{');
    await fetch(`${server.url}/v1/kv/${KEY}`, { method: 'DELETE' });
    const run = await runCli(['apply', '--auto-approve', '--dir', 'config-entries', '--consul', server.url], tempTree(TREE));
    expect(run.code).toBe(0);
    expect(await apiEntry()).toBe(200);
  });
});
