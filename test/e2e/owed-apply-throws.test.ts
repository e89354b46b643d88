// An owed apply the drift check runs (reconcile-owed.ts) that throws, here because Consul went away
// under it: the failure is the apply's, published as an apply run of its own (mode apply, outcome
// error) and counted once in ReconcileRunsNotOk; the drift check, which did not run, is not counted
// for it as well. The log line says the owed apply failed and why, known secrets masked. Schedule →
// reconcile Lambda handlers, the GitHub double, the dev server behind a proxy that dies like a
// stopped Consul.
import { afterEach, describe, expect, it } from 'vitest';
import { createReconcileHandler, type ReconcileHandler } from '../../functions/reconcile/handler.ts';
import { pushOf } from '../support/github-events.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { GITHUB_TOKEN, startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { CONTEXT, liveProtocol, pendingAsADeadRunLeavesIt, treeWith } from '../support/dead-run.ts';

const CONSUL_TOKEN = 'b1a3c7e2-5d4f-4e9a-8c6b-owed0token0';

let h: ServerlessHarness;
let proxy: ConsulProxy;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await proxy.close();
  await h.close();
});

describe('an owed apply that throws, run by the drift check', () => {
  it('publishes its own failed apply run, counted once, and the log line says why with secrets masked', async () => {
    let dead = false;
    let inner: ReconcileHandler | undefined;
    h = await startServerlessHarness({
      // One attempt per request, and no pauses between the lease release's attempts: Consul stays gone.
      overrides: { consul: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, sleep: () => Promise.resolve() },
      createReconcileHandler: (deps) => (event, context) =>
        (inner ??= createReconcileHandler({ ...deps, env: { ...deps.env, CONSUL_HTTP_ADDR: proxy.url, CONSUL_HTTP_TOKEN: CONSUL_TOKEN } }))(event, context),
    });
    // Consul goes away at the owed apply's first write: the owed check before it read Consul fine.
    proxy = await startConsulProxy(h.consul.url, (req) => (dead && req.method === 'PUT' && req.url?.startsWith('/v1/config') ? 'die' : 'forward'));
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    expect(await liveProtocol(h.consul.url)).toBe('tcp');
    const b = h.github.addCommit(treeWith('http'), 'api: http', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, b);
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
    const runs = h.emf.filter((e) => 'ReconcileRuns' in e).map((e) => [e.Mode, e.Outcome]);
    expect(runs).toEqual([['apply', 'error']]);
    expect(h.emf.filter((e) => 'ReconcileRunsNotOk' in e).map((e) => e.ReconcileRunsNotOk)).toEqual([1]);
    // The commit says the run failed (not pending for good), and the log line names the owed commit and the cause.
    expect(h.github.statuses.filter((s) => s.sha === b && s.context === CONTEXT).at(-1)?.state).toBe('error');
    const failed = h.logs.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.message === 'Reconcile failed');
    expect(failed).toMatchObject({ mode: 'drift', outcome: 'error', ok: false, code: 'consul' });
    expect(failed?.summary).toMatch(new RegExp(`^owed ${b.slice(0, 12)}: apply failed: .+`));
    expect(failed?.error?.message).toBe(failed?.summary);
    expect((thrown as Error).message).toBe(failed?.summary);
    const all = h.logs.join('\n') + JSON.stringify(h.emf) + JSON.stringify(h.github.statuses);
    expect(all).not.toContain(CONSUL_TOKEN);
    expect(all).not.toContain(GITHUB_TOKEN);
  });
});
