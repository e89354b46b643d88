// The last-applied record and the delivery record in Consul KV holding what no consul-gitops run
// wrote (garbage written by hand or by another tool): apply stops before writing, with a
// `state-unreadable` error naming the key and what to do, never a bare SyntaxError; and a
// last-applied record that is JSON but not a record no longer reads as "nothing applied yet" (which
// switched the stale-commit guard off). Through CLI main() and `serve` against the dev server.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';

const server = devServerPerTest();
const LAST_APPLIED = 'consul-gitops/state/default/last-applied';
const TREE = { 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' };

async function putKv(url: string, key: string, value: string): Promise<void> {
  expect(await (await fetch(`${url}/v1/kv/${key}`, { method: 'PUT', body: value })).text()).toBe('true');
}
const apiEntry = async (url: string) => (await fetch(`${url}/v1/config/service-defaults/api`)).status;
const commitArgs = ['--commit', 'b'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'];

describe('CLI apply --commit, a last-applied record no run wrote', () => {
  it.each([
    ['not JSON', 'garbage{'],
    ['not a JSON object', '"applied"'],
    ['no "commitTime" string', JSON.stringify({ commit: 'a'.repeat(40), appliedAt: '2026-11-25T12:00:00Z' })],
  ])('stops before writing, naming the key and the fix (%s)', async (why, value) => {
    await putKv(server.url, LAST_APPLIED, value);
    const cwd = tempTree(TREE);
    const run = await runCli(['apply', '--auto-approve', ...commitArgs, '--dir', 'config-entries', '--consul', server.url], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the last-applied record ${LAST_APPLIED} in Consul KV is not a consul-gitops record (${why})`);
    expect(run.stderr).toContain(`delete the key (\`consul kv delete ${LAST_APPLIED}\`) and apply the newest commit again`);
    expect(run.stderr).not.toContain('SyntaxError');
    expect(await apiEntry(server.url)).toBe(404);

    const json = await runCli(['apply', '--auto-approve', '--json', ...commitArgs, '--dir', 'config-entries', '--consul', server.url], cwd);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('state-unreadable');
    expect(await apiEntry(server.url)).toBe(404);
  });

  it('applies once the key is deleted', async () => {
    await putKv(server.url, LAST_APPLIED, 'garbage{');
    await fetch(`${server.url}/v1/kv/${LAST_APPLIED}`, { method: 'DELETE' });
    const run = await runCli(['apply', '--auto-approve', ...commitArgs, '--dir', 'config-entries', '--consul', server.url], tempTree(TREE));
    expect(run.code).toBe(0);
    expect(await apiEntry(server.url)).toBe(200);
  });
});

describe('a push through serve, a state record no run wrote', () => {
  let h: ServeHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it.each([
    ['delivery record', 'consul-gitops/state/default/deliveries/apply', '{"ids":'],
    ['delivery record', 'consul-gitops/state/default/deliveries/apply', '{"ids":[]}'],
    ['last-applied record', LAST_APPLIED, 'garbage{'],
  ])('the %s %s holding %j: nothing applied, the commit status and the log name the key', async (what, key, value) => {
    h = await startServeHarness();
    await putKv(h.consul.url, key, value);
    expect(await h.push(TREE)).toBe(202);
    expect(await apiEntry(h.consul.url)).toBe(404);
    const last = h.github.statuses.at(-1)!;
    expect(last.state).toBe('error');
    expect(last.description).toContain(`the ${what} ${key} in Consul KV is not a consul-gitops record`);
    const failed = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'Reconcile failed');
    expect(JSON.stringify(failed)).toContain('state-unreadable');
    expect(h.logs.join('\n')).not.toContain('SyntaxError');
  });
});
