// Every refusal of plan/apply names its code (src/errors.ts) in --json output, through the CLI's
// main(): a script decides by `error.code`, never by the wording, and nothing is changed in Consul.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree, type CliRun } from '../support/run-cli.ts';

let server: DevServer;
beforeEach(async () => {
  server = await startDevServer({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await server.close();
});

const services = Array.from({ length: 12 }, (_, i) => `svc${i}`);
const entry = (name: string, protocol = 'http') => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "${protocol}"\n`;
const treeOf = (names: readonly string[], protocol = 'http') => tempTree(Object.fromEntries(names.map((s) => [`config-entries/${s}.hcl`, entry(s, protocol)])));

const cli = (args: string[], dir: string) => runCli([...args, '--consul', server.url], dir);

/** The one JSON object the CLI printed on stdout for an error, and the exit code. */
function errorOf(run: CliRun): { code: string; message: string; errors?: unknown[] } {
  expect(run.code).toBe(1);
  const lines = run.stdout.trim().split('\n');
  return (JSON.parse(lines.length > 1 ? run.stdout : lines[0]) as { error: { code: string; message: string; errors?: unknown[] } }).error;
}

async function liveNames(): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/config/service-defaults`);
  return ((await res.json()) as { Name: string }[]).map((e) => e.Name).sort();
}

describe('CLI refusals carry their code in --json', () => {
  it('mass-delete: apply --prune of a tree that lost most entries, and plan --json says so too', async () => {
    expect((await cli(['apply', '--auto-approve'], treeOf(services))).code).toBe(0);
    const shrunk = treeOf(services.slice(0, 1));
    const apply = await cli(['apply', '--prune', '--json', '--auto-approve'], shrunk);
    expect(errorOf(apply)).toMatchObject({ code: 'mass-delete', message: expect.stringContaining('--allow-mass-delete') });
    expect(apply.stderr).toContain('error: refusing to delete 11 of 12 managed entries');
    const plan = await cli(['plan', '--prune', '--json'], shrunk);
    expect(plan.code).toBe(1);
    expect(JSON.parse(plan.stdout)).toMatchObject({ error: { code: 'mass-delete' }, summary: { delete: 11 } });
    expect(await liveNames()).toHaveLength(12);
  });

  it('stale-commit: an apply of a commit older than the last one applied', async () => {
    expect((await cli(['apply', '--auto-approve', '--commit', 'b'.repeat(40), '--commit-time', '2026-11-25T11:00:00Z'], treeOf(['api']))).code).toBe(0);
    const older = await cli(['apply', '--json', '--auto-approve', '--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'], treeOf(['api', 'web']));
    expect(errorOf(older)).toMatchObject({ code: 'stale-commit', message: expect.stringContaining('refusing to roll the mesh back') });
    expect(await liveNames()).toEqual(['api']);
  });

  it('target-busy: another run holds the target past --lock-wait', async () => {
    const lease = { holder: 'cli ci-runner-7 pid 4242', expiresAt: '2099-01-01T00:00:00.000Z' };
    await fetch(`${server.url}/v1/kv/consul-gitops/state/default/lock`, { method: 'PUT', body: JSON.stringify(lease) });
    const run = await cli(['apply', '--json', '--auto-approve', '--lock-wait', '0'], treeOf(['api']));
    expect(errorOf(run)).toMatchObject({ code: 'target-busy', message: expect.stringContaining('ci-runner-7') });
    expect(await liveNames()).toEqual([]);
  });

  it('invalid-entries: every file error, with file, line and field, under one code', async () => {
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nMaxInboundConnections = "many"\n' });
    for (const command of ['plan', 'apply']) {
      const run = await cli([command, '--json', ...(command === 'apply' ? ['--auto-approve'] : [])], dir);
      const error = errorOf(run);
      expect(error.code).toBe('invalid-entries');
      expect(error.errors).toEqual([expect.objectContaining({ file: 'config-entries/api.hcl', line: 3, field: 'MaxInboundConnections' })]);
    }
    expect(await liveNames()).toEqual([]);
  });

  it('saved plans: Consul changed since (saved-plan-changed), the file edited (saved-plan-integrity)', async () => {
    const dir = treeOf(['api']);
    expect((await cli(['plan', '--out', 'api.tfplan'], dir)).code).toBe(0);
    const file = join(dir, 'api.tfplan');
    const saved = readFileSync(file, 'utf8');
    writeFileSync(file, saved.replace('"http"', '"tcp"'));
    expect(errorOf(await cli(['apply', 'api.tfplan', '--json'], dir)).code).toBe('saved-plan-integrity');
    writeFileSync(file, saved);
    await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify({ Kind: 'service-defaults', Name: 'web', Protocol: 'tcp' }) });
    expect(errorOf(await cli(['apply', 'api.tfplan', '--json'], dir)).code).toBe('saved-plan-changed');
    expect(await liveNames()).toEqual(['web']);
  });

  it('usage and config: a wrong flag, a flag pair, an unknown target', async () => {
    const dir = treeOf(['api']);
    expect(errorOf(await cli(['plan', '--json', '--bogus'], dir)).code).toBe('usage');
    expect(errorOf(await cli(['apply', '--json', '--auto-approve', '--commit', 'a'.repeat(40)], dir)).code).toBe('usage');
    expect(errorOf(await cli(['plan', '--json', '--target', 'nope'], dir)).code).toBe('config');
  });
});
