// A drift check that runs an owed apply publishes two runs (reconcile-owed.ts): the apply's own
// record and the drift check's. When the owed apply fails, its failure is counted once in
// ReconcileRunsNotOk, on the apply's record; the drift check's record says only what the drift
// check found. Here the owed apply's write reaches Consul but its answer is lost (outcome unknown,
// not ok), so Consul ends as the branch says and the drift check is in sync. Schedule → reconcile
// Lambda handlers, the GitHub double, the dev server behind a proxy that loses the answer.
import { describe, expect, it } from 'vitest';
import { appliedThenOwed, harnessBehindProxy, liveProtocol, logLine, notOkOf, runsOf } from '../support/dead-run.ts';

describe('an owed apply that fails, run by the drift check', () => {
  it('is counted once in ReconcileRunsNotOk: on the apply run, not again on the drift check that found Consul in sync', async () => {
    let losing = false;
    const { h } = await harnessBehindProxy((req, body) =>
      losing && req.method === 'PUT' && req.url?.startsWith('/v1/config') && body.includes('"service-defaults"') ? 'lose-answer' : 'forward',
    );
    const { b } = await appliedThenOwed(h);
    h.emf.length = 0;

    losing = true;
    await h.tick('evt-1');
    // The write landed; only its answer was lost.
    expect(await liveProtocol(h.consul.url)).toBe('http');
    // Each run prints its figures, then its count by mode and outcome (cloudwatch-metrics.ts).
    expect(runsOf(h)).toEqual([
      ['apply', 'applied'],
      ['drift', 'in-sync'],
    ]);
    expect(notOkOf(h)).toEqual([1, 0]);
    // The run's log line still says the owed apply needs a person.
    const finished = logLine(h, 'Reconcile finished', 'drift');
    expect(finished).toMatchObject({ ok: false, outcome: 'in-sync' });
    expect(finished?.summary).toContain(`owed ${b.slice(0, 12)}: `);
  });
});
