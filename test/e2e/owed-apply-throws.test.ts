// An owed apply the drift check runs (reconcile-owed.ts) that throws, here because Consul went away
// under it: the failure is the apply's, published as an apply run of its own (mode apply, outcome
// error) and counted once in ReconcileRunsNotOk; the drift check, which did not run, is not counted
// for it as well. The log line says the owed apply failed and why, known secrets masked. Schedule →
// reconcile Lambda handlers, the GitHub double, the dev server behind a proxy that dies like a
// stopped Consul.
import { describe, expect, it } from 'vitest';
import { GITHUB_TOKEN } from '../support/serverless-harness.ts';
import { appliedThenOwed, harnessBehindProxy, liveProtocol, logLine, notOkOf, runsOf, statusesOf } from '../support/dead-run.ts';

const CONSUL_TOKEN = 'b1a3c7e2-5d4f-4e9a-8c6b-owed0token0';

describe('an owed apply that throws, run by the drift check', () => {
  it('publishes its own failed apply run, counted once, and the log line says why with secrets masked', async () => {
    let dead = false;
    // Consul goes away at the owed apply's first write: the owed check before it read Consul fine.
    const { h } = await harnessBehindProxy((req) => (dead && req.method === 'PUT' && req.url?.startsWith('/v1/config') ? 'die' : 'forward'), {
      // One attempt per request, and no pauses between the lease release's attempts: Consul stays gone.
      overrides: { consul: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, sleep: () => Promise.resolve() },
      env: { CONSUL_HTTP_TOKEN: CONSUL_TOKEN },
    });
    const { b } = await appliedThenOwed(h);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    h.emf.length = 0;
    h.logs.length = 0;

    dead = true;
    // The invocation fails, so Lambda retries it (the retry runs the owed apply again).
    const thrown = await h.tick('evt-1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Error);
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    // The apply's own run, failed; nothing more counted for the drift check that never ran.
    expect(runsOf(h)).toEqual([['apply', 'error']]);
    expect(notOkOf(h)).toEqual([1]);
    // The commit says the run failed (not pending for good), and the log line names the owed commit and the cause.
    expect(statusesOf(h, b).at(-1)?.state).toBe('error');
    const failed = logLine(h, 'Reconcile failed');
    expect(failed).toMatchObject({ mode: 'drift', outcome: 'error', ok: false, code: 'consul' });
    expect(failed?.summary).toMatch(new RegExp(`^owed ${b.slice(0, 12)}: apply failed: .+`));
    expect(failed?.error?.message).toBe(failed?.summary);
    expect((thrown as Error).message).toBe(failed?.summary);
    const all = h.logs.join('\n') + JSON.stringify(h.emf) + JSON.stringify(h.github.statuses);
    expect(all).not.toContain(CONSUL_TOKEN);
    expect(all).not.toContain(GITHUB_TOKEN);
  });
});
