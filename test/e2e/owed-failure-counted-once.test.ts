// A drift check that runs an owed apply publishes two runs (reconcile-owed.ts): the apply's own
// record and the drift check's. When the owed apply fails, its failure is counted once in
// ReconcileRunsNotOk, on the apply's record; the drift check's record says only what the drift
// check found. Here the owed apply's write reaches Consul but its answer is lost (outcome unknown,
// not ok), so Consul ends as the branch says and the drift check is in sync. Schedule → reconcile
// Lambda handlers, the GitHub double, the dev server behind a proxy that loses the answer.
import { afterEach, describe, expect, it } from 'vitest';
import { createReconcileHandler, type ReconcileHandler } from '../../functions/reconcile/handler.ts';
import { pushOf } from '../support/github-events.ts';
import { startConsulProxy, type ConsulProxy } from '../support/consul-proxy.ts';
import { startServerlessHarness, type ServerlessHarness } from '../support/serverless-harness.ts';
import { liveProtocol, pendingAsADeadRunLeavesIt, treeWith } from '../support/dead-run.ts';

let h: ServerlessHarness;
let proxy: ConsulProxy;
afterEach(async () => {
  expect(h.github.unexpected).toEqual([]);
  await proxy.close();
  await h.close();
});

describe('an owed apply that fails, run by the drift check', () => {
  it('is counted once in ReconcileRunsNotOk: on the apply run, not again on the drift check that found Consul in sync', async () => {
    let losing = false;
    let inner: ReconcileHandler | undefined;
    h = await startServerlessHarness({
      createReconcileHandler: (deps) => (event, context) =>
        (inner ??= createReconcileHandler({ ...deps, env: { ...deps.env, CONSUL_HTTP_ADDR: proxy.url } }))(event, context),
    });
    proxy = await startConsulProxy(h.consul.url, (req, body) =>
      losing && req.method === 'PUT' && req.url?.startsWith('/v1/config') && body.includes('"service-defaults"') ? 'lose-answer' : 'forward',
    );
    const a = h.github.addCommit(treeWith('tcp'), 'api: tcp', { branch: 'master' });
    await h.deliver('push', pushOf(a));
    const b = h.github.addCommit(treeWith('http'), 'api: http', { branch: 'master' });
    await pendingAsADeadRunLeavesIt(h.github.url, b);
    h.emf.length = 0;

    losing = true;
    await h.tick('evt-1');
    // The write landed; only its answer was lost.
    expect(await liveProtocol(h.consul.url)).toBe('http');
    // Each run prints its figures, then its count by mode and outcome (cloudwatch-metrics.ts).
    const runs = h.emf.filter((e) => 'ReconcileRuns' in e).map((e) => [e.Mode, e.Outcome]);
    expect(runs).toEqual([
      ['apply', 'applied'],
      ['drift', 'in-sync'],
    ]);
    expect(h.emf.filter((e) => 'ReconcileRunsNotOk' in e).map((e) => e.ReconcileRunsNotOk)).toEqual([1, 0]);
    // The run's log line still says the owed apply needs a person.
    const finished = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'Reconcile finished' && l.mode === 'drift');
    expect(finished).toMatchObject({ ok: false, outcome: 'in-sync' });
    expect(finished?.summary).toContain(`owed ${b.slice(0, 12)}: `);
  });
});
