// The drift check finds a head owed (its run died, `pending`, no lease), and between that check and
// its apply another run takes the target: the owed apply waits for the lease and gives up. That was
// published as a failed apply run (ReconcileRunsNotOk) and failed the invocation, though nothing had
// failed: another run was at work, and the head is run at the first drift check after its lease.
// Now the apply run is `busy` and ok, the head's status says until when, the drift check waits for
// the next tick, and the invocation succeeds. It is a failure once the head was already told to wait
// for a lease that has ended and meets the target busy again. Schedule → reconcile Lambda handlers;
// the other run's lease is written into Consul KV the moment the owed apply first reads the lock.
import { describe, expect, it } from 'vitest';
import { appliedThenOwed, harnessBehindProxy, LOCK, liveProtocol, logLine, notOkOf, runsOf, statusesOf } from '../support/dead-run.ts';
import type { ServerlessHarness } from '../support/serverless-harness.ts';

/** A clock ahead of the wall clock by `skew` ms: leases end without waiting for them. */
let skew = 0;
const now = () => new Date(Date.now() + skew);

/**
 * The harness whose lock reads pass a proxy: `takeAt(n, expiresAt)` has another run take the target
 * (its lease written to Consul KV) just before the n-th read of the lock key from now is answered.
 */
async function harnessWithTakeover(): Promise<{ h: ServerlessHarness; takeAt: (n: number, expiresAt: string) => void }> {
  let takeover: { n: number; expiresAt: string } | undefined;
  const { h } = await harnessBehindProxy(
    async (req) => {
      if (takeover && req.method === 'GET' && req.url?.startsWith(`/v1/kv/${LOCK}`) && --takeover.n === 0) {
        const body = JSON.stringify({ holder: 'other-run', expiresAt: takeover.expiresAt });
        takeover = undefined;
        expect((await fetch(`${h.consul.url}/v1/kv/${LOCK}`, { method: 'PUT', body })).status).toBe(200);
      }
      return 'forward' as const;
    },
    { overrides: { lockWaitMs: 100, now } },
  );
  return { h, takeAt: (n, expiresAt) => (takeover = { n, expiresAt }) };
}

describe('an owed apply that meets another run holding the target', () => {
  it('is a busy run, not a failure: the head says until when, the invocation succeeds, and the tick after the lease applies it', async () => {
    skew = 0;
    const { h, takeAt } = await harnessWithTakeover();
    const { b } = await appliedThenOwed(h);
    h.emf.length = 0;
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    // The owed check reads the lock free (read 1); the apply's lock then meets the other run (read 2).
    takeAt(2, expiresAt);

    await h.tick('evt-1');
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    expect(runsOf(h)).toEqual([['apply', 'busy']]);
    expect(notOkOf(h)).toEqual([0]);
    const busy = `target default busy until ${expiresAt}: retried at the first drift check after that (held by other-run)`;
    expect(statusesOf(h, b).map((s) => [s.state, s.description])).toEqual([
      ['pending', 'planning and applying'],
      ['pending', busy],
    ]);
    expect(logLine(h, 'Reconcile finished', 'drift')).toMatchObject({
      outcome: 'busy',
      ok: true,
      code: 'target-busy',
      summary: `owed ${b.slice(0, 12)}: ${busy}; drift not checked while it holds the target`,
    });

    skew = Date.parse(expiresAt) - Date.now() + 1000;
    await h.tick('evt-2');
    expect(await liveProtocol(h.consul.url)).toBe('http');
    expect(statusesOf(h, b).at(-1)?.state).toBe('success');
  });

  it('busy again after the lease it was told to wait for ended: counted as needing a person', async () => {
    skew = 0;
    const { h, takeAt } = await harnessWithTakeover();
    const { b } = await appliedThenOwed(h);
    const first = new Date(Date.now() + 60_000).toISOString();
    takeAt(2, first);
    await h.tick('evt-1');

    // The lease ended; at the next tick another run takes the target again the same way.
    skew = Date.parse(first) - Date.now() + 1000;
    const second = new Date(Date.now() + skew + 60_000).toISOString();
    takeAt(2, second);
    h.emf.length = 0;
    h.logs.length = 0;
    await h.tick('evt-2');
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    expect(runsOf(h)).toEqual([['apply', 'busy']]);
    expect(notOkOf(h)).toEqual([1]);
    expect(logLine(h, 'Reconcile finished', 'drift')).toMatchObject({ outcome: 'busy', ok: false });
    expect(logLine(h, 'Reconcile finished', 'drift')?.summary).toContain(`; still busy after the lease it waited for ended (${first})`);
    expect(statusesOf(h, b).at(-1)?.description).toContain(`busy until ${second}`);
  });
});
