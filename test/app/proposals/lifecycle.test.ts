// The strict-mode proposals' lifecycle against the GitHub double, through the real GitHub
// adapters: one PR per ready service, updated instead of duplicated, no request when nothing
// changed, closed with a comment when plaintext returns, never reopened against a human's "no".
import { afterEach, describe, expect, it } from 'vitest';
import { MESH_OPEN, permissive, report, verdict, world, type World } from './support.ts';

let w: World;
afterEach(() => w?.double.close());

const TREE = { 'config-entries/api.hcl': permissive('api'), 'config-entries/web.hcl': permissive('web'), 'config-entries/mesh.hcl': MESH_OPEN };

describe('strict-mode pull requests', () => {
  it('opens one PR per ready service on its own branch, with title, labels, evidence marker and a one-line change', async () => {
    w = await world(TREE);
    const out = await w.run(report([verdict('api', 'ready-for-strict'), verdict('web', 'no-mtls-traffic-yet')]));

    expect(out.actions.map((a) => [a.key, a.kind])).toEqual([
      ['strict:default/default/api', 'opened'],
      ['strict:default/default/web', 'held'],
    ]);
    expect(w.double.pulls).toHaveLength(1);
    const pr = w.double.pulls[0];
    expect(pr).toMatchObject({
      title: 'mTLS: move api to strict',
      head: 'consul-gitops/strict/default/default/api',
      base: 'main',
      state: 'open',
      labels: ['mtls'],
    });
    expect(pr.body).toContain('<!-- consul-gitops:strict-proposal service=default/default/api evidence=');
    expect(pr.body).toContain('-MutualTLSMode = "permissive"\n+MutualTLSMode = "strict"');
    expect(w.double.filesAt(pr.head)['config-entries/api.hcl']).toBe(permissive('api').replace('"permissive"', '"strict"'));
    expect(w.double.unexpected).toEqual([]);
  });

  it('a second run with the same evidence makes no write request at all; fresh evidence updates the body without a commit', async () => {
    w = await world(TREE);
    await w.run(report([verdict('api', 'ready-for-strict')]));
    const head = w.double.refSha('consul-gitops/strict/default/default/api');
    const before = w.writes().length;

    const same = await w.run(report([verdict('api', 'ready-for-strict')]));
    expect(same.actions[0].kind).toBe('unchanged');
    expect(w.writes().slice(before)).toEqual([]);

    // Volatile numbers (mTLS counts grow every run) are not new evidence.
    const busier = verdict('api', 'ready-for-strict');
    busier.evidence.mtls.handshakes = 123_456;
    expect((await w.run(report([busier]))).actions[0].kind).toBe('unchanged');
    expect(w.writes().slice(before)).toEqual([]);

    const fresh = await w.run(report([verdict('api', 'ready-for-strict', { instances: ['api-0', 'api-1'] })]));
    expect(fresh.actions[0].kind).toBe('evidence-updated');
    expect(w.double.pulls).toHaveLength(1);
    expect(w.double.refSha('consul-gitops/strict/default/default/api')).toBe(head);
    expect(w.double.pulls[0].body).toContain('api-1');
    expect(w.double.unexpected).toEqual([]);
  });

  it('closes the PR with one comment naming the instance when plaintext comes back, and deletes its branch', async () => {
    w = await world(TREE);
    await w.run(report([verdict('api', 'ready-for-strict')]));

    const back = await w.run(
      report([verdict('api', 'still-receiving-plaintext', { plaintext: 12, lastSeenAt: Date.parse('2026-11-30T10:07:00Z'), instances: ['api-7f9c'] })]),
    );

    expect(back.actions[0].kind).toBe('closed');
    expect(w.double.pulls[0].state).toBe('closed');
    const comments = w.double.comments.filter((c) => c.issue_number === w.double.pulls[0].number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('`api-7f9c`: 12 plaintext connections');
    expect(comments[0].body).toContain('2026-11-30 10:07 UTC');
    expect(w.double.refSha('consul-gitops/strict/default/default/api')).toBeUndefined();

    // A later plaintext run comments no more.
    await w.run(report([verdict('api', 'still-receiving-plaintext', { plaintext: 20 })]));
    expect(w.double.comments.filter((c) => c.issue_number === w.double.pulls[0].number)).toHaveLength(1);
  });

  it('does not reopen a PR a human closed while the evidence stays ready; proposes again after not-ready → ready', async () => {
    w = await world(TREE);
    await w.run(report([verdict('api', 'ready-for-strict')]));
    w.double.closePullRequest(w.double.pulls[0].number);

    const again = await w.run(report([verdict('api', 'ready-for-strict', { instances: ['api-0', 'api-9'] })]));
    expect(again.actions[0].kind).toBe('declined');
    const third = await w.run(report([verdict('api', 'ready-for-strict')]));
    expect(third.actions[0].kind).toBe('declined');
    expect(w.double.pulls.filter((p) => p.state === 'open')).toHaveLength(0);

    await w.run(report([verdict('api', 'insufficient-data')]));
    const back = await w.run(report([verdict('api', 'ready-for-strict')]));
    expect(back.actions[0].kind).toBe('opened');
    expect(w.double.pulls.filter((p) => p.state === 'open')).toHaveLength(1);
    expect(w.double.unexpected).toEqual([]);
  });

  it('a merged PR ends the story: nothing reopened, nothing closed', async () => {
    w = await world(TREE);
    await w.run(report([verdict('api', 'ready-for-strict')]));
    w.double.closePullRequest(w.double.pulls[0].number, { merge: true });

    const after = await w.run(report([]));
    expect(after.actions.map((a) => a.kind)).toEqual([]);
    expect(w.double.pulls).toHaveLength(1);
    expect(w.double.comments).toHaveLength(0);
  });

  it('a branch a human deleted closes the PR on GitHub: taken as a "no", never a crash', async () => {
    w = await world(TREE);
    await w.run(report([verdict('api', 'ready-for-strict')]));
    w.double.deleteBranch('consul-gitops/strict/default/default/api');

    const out = await w.run(report([verdict('api', 'ready-for-strict')]));
    expect(out.actions[0].kind).toBe('declined');
    expect(w.double.unexpected).toEqual([]);
  });

  it('a 422 on create is a failed action for that service, not a crash; the next run opens it', async () => {
    w = await world(TREE);
    w.double.fail({ method: 'POST', path: /\/pulls$/, status: 422, body: { message: 'Validation Failed', errors: [{ message: 'something odd' }] } });

    const out = await w.run(report([verdict('api', 'ready-for-strict'), verdict('web', 'ready-for-strict')]));
    expect(out.actions.map((a) => a.kind)).toEqual(['failed', 'opened']);
    expect(out.actions[0].detail).toContain('Validation Failed');

    const next = await w.run(report([verdict('api', 'ready-for-strict'), verdict('web', 'ready-for-strict')]));
    expect(next.actions.map((a) => a.kind)).toEqual(['opened', 'unchanged']);
    expect(w.double.pulls.filter((p) => p.state === 'open')).toHaveLength(2);
  });

  it('never takes a fork PR whose branch has our name for ours (no comment, no close)', async () => {
    w = await world(TREE);
    // Same branch name, but from a fork: GitHub labels it `mallory:<branch>`.
    const forkPr = w.double.addForkPullRequest({ headOwner: 'mallory', head: 'consul-gitops/strict/default/default/api', title: 'mine', body: 'x' });
    const out = await w.run(report([verdict('api', 'still-receiving-plaintext', { plaintext: 4 })]));
    expect(out.actions[0].kind).toBe('held');
    expect(w.double.pulls.find((p) => p.number === forkPr)).toMatchObject({ state: 'open', title: 'mine', body: 'x' });
    expect(w.double.comments.filter((c) => c.issue_number === forkPr)).toEqual([]);
  });

  it('grouping "all": one PR on consul-gitops/strict/all for every ready service, updated as the set changes', async () => {
    w = await world(TREE);
    const first = await w.run(report([verdict('api', 'ready-for-strict'), verdict('web', 'ready-for-strict')]), { grouping: 'all' });
    expect(first.actions.map((a) => [a.branch, a.kind])).toEqual([['consul-gitops/strict/all', 'opened']]);
    const files = w.double.filesAt('consul-gitops/strict/all');
    expect(files['config-entries/api.hcl']).toContain('"strict"');
    expect(files['config-entries/web.hcl']).toContain('"strict"');
    expect(w.double.pulls[0].title).toBe('mTLS: move 2 services to strict');

    const fewer = await w.run(report([verdict('api', 'ready-for-strict'), verdict('web', 'still-receiving-plaintext', { plaintext: 3 })]), { grouping: 'all' });
    expect(fewer.actions[0].kind).toBe('updated');
    expect(w.double.pulls).toHaveLength(1);
    expect(w.double.filesAt('consul-gitops/strict/all')['config-entries/web.hcl']).toContain('"permissive"');

    const none = await w.run(
      report([verdict('api', 'still-receiving-plaintext', { plaintext: 1 }), verdict('web', 'still-receiving-plaintext', { plaintext: 3 })]),
      { grouping: 'all' },
    );
    expect(none.actions[0].kind).toBe('closed');
    expect(w.double.pulls[0].state).toBe('closed');
  });
});
