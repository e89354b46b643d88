// serve killed mid-apply leaves its lease on the target, renewed up to 14 minutes ahead, and its
// restart's owed run then ended `target-busy` with the head's status never settled. serve now writes
// its process (host, boot, pid namespace, pid, start time) into its leases, and on start ends a lease
// whose holder is provably a dead process of this host. A lease it cannot judge (another host or
// container) is waited for: the owed run says until when in a `pending` status, and serve's timer
// runs it once the lease has ended. The killed process's leftovers (a pending status, a lease) are
// made through GitHub's and Consul's APIs; everything after is serve as in production.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.ts';
import { thisProcess } from '../../src/runtime/process-identity.ts';
import { CONTEXT, LOCK, liveProtocol, pendingAsADeadRunLeavesIt, treeWith } from '../support/dead-run.ts';

let h: ServeHarness;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await h.close();
});

async function leaseLeftBy(process: unknown, expiresAt: string): Promise<void> {
  const lease = { holder: 'serve@old/pid-1/abcd1234', expiresAt, attempt: 'x', process };
  expect((await fetch(`${h.consul.url}/v1/kv/${LOCK}`, { method: 'PUT', body: JSON.stringify(lease) })).status).toBe(200);
}

const statusesOf = (sha: string) => h.github.statuses.filter((s) => s.sha === sha && s.context === CONTEXT);
const logLines = () => h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('serve restarted after a process killed mid-apply', () => {
  it('breaks the lease of a dead process of this host and runs the owed head at once', async () => {
    h = await startServeHarness({ overrides: { lockWaitMs: 200 } });
    expect(await h.push(treeWith('tcp'))).toBe(202);
    await h.serve.close();
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, b);
    // A process of this host that has exited: its pid is gone.
    const dead = spawnSync('true').pid;
    await leaseLeftBy({ ...thisProcess()!, pid: dead, startTicks: '1' }, new Date(Date.now() + 14 * 60_000).toISOString());

    await h.startServe();
    await h.serve.idle();
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusesOf(b).map((s) => s.state)).toEqual(['pending', 'pending', 'success']);
    expect(logLines().find((l) => l.message === 'Lease of a dead process broken')).toMatchObject({ target: 'default', pid: dead });
  });

  it('waits for a lease it cannot judge, says until when, and its timer runs the head once the lease ended', async () => {
    // serve's clock, moved past the lease once the owed run met it (not a second and a half later).
    let skew = 0;
    h = await startServeHarness({ overrides: { lockWaitMs: 200, now: () => new Date(Date.now() + skew) } });
    expect(await h.push(treeWith('tcp'))).toBe(202);
    await h.serve.close();
    const b = h.github.addCommit(treeWith('http'), 'B: http', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, b);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    // Another host's serve (or another container's): alive or not, nothing here can tell.
    await leaseLeftBy({ ...thisProcess()!, host: 'another-host' }, expiresAt);

    await h.startServe({ scheduleIntervalMs: 250 });
    const deadline = Date.now() + 20_000;
    const waiting = (d: string | undefined) => d?.startsWith('target default busy until');
    while (!statusesOf(b).some((s) => waiting(s.description)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    skew = Date.parse(expiresAt) - Date.now() + 1;
    while (statusesOf(b).at(-1)?.state !== 'success' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(statusesOf(b).map((s) => [s.state, s.description])).toEqual([
      ['pending', 'planning and applying'],
      ['pending', `target default busy until ${expiresAt}: retried at the first drift check after that (held by serve@old/pid-1/abcd1234)`],
      ['pending', 'planning and applying'],
      ['success', expect.stringContaining('1 applied')],
    ]);
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(logLines().some((l) => l.message === 'Lease of a dead process broken')).toBe(false);
  });
});
