// CLI `apply` takes the same path as the webhook: the commit time is checked before anything is
// asked of Consul, and two applies against one Consul run one after the other, never interleaved.
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/plan-command.ts';
import { tempTree, runAgainst } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const services = Array.from({ length: 12 }, (_, i) => `svc${i}`);
const treeWith = (protocol: string) =>
  tempTree(Object.fromEntries(services.map((s) => [`config-entries/${s}.hcl`, `Kind = "service-defaults"\nName = "${s}"\nProtocol = "${protocol}"\n`])));

async function liveProtocols(): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/config/service-defaults`);
  return ((await res.json()) as { Protocol?: string }[]).map((e) => e.Protocol ?? '');
}

async function kv(key: string): Promise<number> {
  return (await fetch(`${server.url}/v1/kv/${key}?recurse`)).status;
}

describe('apply --commit-time', () => {
  it.each(['yesterday', '2026-11-25', '2026-11-25T10:00:00', '2026-13-01T00:00:00Z', '2026-02-30T10:00:00Z', '1764064800'])(
    'refuses %j before any Consul call, naming the flag and the value',
    async (time) => {
      const dir = treeWith('http');
      const r = await runAgainst(server.url, applyCommand, ['--commit', 'a'.repeat(40), '--commit-time', time], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`--commit-time ${JSON.stringify(time)}`);
      expect(r.stderr).toContain('RFC 3339');
      expect(r.stderr).toContain('nothing was planned or applied');
      expect(await liveProtocols()).toEqual([]);
      // Nothing stored, so the stale-commit guard keeps working for the next apply.
      expect(await kv('consul-gitops/state')).toBe(404);
    },
  );

  it('accepts RFC 3339 times with Z or an offset, and orders them by instant', async () => {
    const dir = treeWith('http');
    const first = await runAgainst(server.url, applyCommand, ['--commit', 'b'.repeat(40), '--commit-time', '2026-11-25T11:30:00+01:00'], dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // 10:00Z is before 11:30+01:00 (10:30Z): stale, although its clock reading is earlier only by text.
    const older = await runAgainst(server.url, applyCommand, ['--commit', 'a'.repeat(40), '--commit-time', '2026-11-25T10:00:00Z'], treeWith('tcp'));
    expect(older.code).toBe(1);
    expect(older.stderr).toContain('stale commit');
    expect(new Set(await liveProtocols())).toEqual(new Set(['http']));
  });

  it('--commit without --commit-time is an error, not an apply without the guard', async () => {
    const r = await runAgainst(server.url, applyCommand, ['--commit', 'a'.repeat(40)], treeWith('http'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--commit and --commit-time go together');
    expect(await liveProtocols()).toEqual([]);
  });
});

describe('two CLI applies against one Consul', () => {
  it('run one after the other: both succeed and Consul holds one tree, never a mix', async () => {
    // A slow Consul, so both runs would be planning and writing at the same time without the lock.
    await server.restart({ latencyMs: 15 });
    const [a, b] = await Promise.all([runAgainst(server.url, applyCommand, [], treeWith('http')), runAgainst(server.url, applyCommand, [], treeWith('tcp'))]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const protocols = await liveProtocols();
    expect(protocols).toHaveLength(services.length);
    expect(new Set(protocols).size).toBe(1);
    // The second run planned against the first one's result: it updated every entry, conflicting on none.
    const second = [a, b].find((r) => r.stdout.includes('to update'))!;
    expect(second.stdout).toContain(`Apply: ${services.length} applied, 0 failed, 0 conflicts`);
  });

  it('refuses with a clear message, naming the other run, when it holds the target past --lock-wait', async () => {
    const lease = { holder: 'cli ci-runner-7 pid 4242', expiresAt: '2099-01-01T00:00:00.000Z' };
    await fetch(`${server.url}/v1/kv/consul-gitops/state/default/lock`, { method: 'PUT', body: JSON.stringify(lease) });
    const r = await runAgainst(server.url, applyCommand, ['--lock-wait', '0'], treeWith('http'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'another consul-gitops run (cli ci-runner-7 pid 4242) holds consul-gitops/state/default/lock until 2099-01-01T00:00:00.000Z at the latest; gave up waiting; nothing was applied',
    );
    expect(await liveProtocols()).toEqual([]);
  });
});
