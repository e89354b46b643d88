// The serve queue on its own: no servers, runs controlled by the test.
import { describe, expect, it } from 'vitest';
import { ReconcileQueue, type JobKind, type QueueJob } from '../../src/serve/queue.ts';

interface Payload {
  sha: string;
}

/** A queue whose runs finish only when the test says so. */
function harness() {
  const started: QueueJob<Payload>[] = [];
  const finishers = new Map<QueueJob<Payload>, { resolve: () => void; reject: (e: Error) => void }>();
  const errors: unknown[] = [];
  const queue = new ReconcileQueue<Payload>({
    run: (job) =>
      new Promise<void>((resolve, reject) => {
        started.push(job);
        finishers.set(job, { resolve, reject });
      }),
    onError: (_job, error) => errors.push(error),
  });
  let seq = 0;
  const job = (target: string, kind: JobKind, sha: string, pullRequest?: number): QueueJob<Payload> => ({
    target,
    kind,
    seq: ++seq,
    ...(pullRequest !== undefined ? { pullRequest } : {}),
    payload: { sha },
  });
  /** Finish the running job of `target` and let the queue start the next one. */
  const finish = async (target: string, error?: Error) => {
    const running = queue.snapshot()[target]?.running;
    if (!running) throw new Error(`nothing runs on ${target}`);
    const f = finishers.get(running)!;
    if (error) f.reject(error);
    else f.resolve();
    await new Promise((r) => setImmediate(r));
  };
  const shas = (target?: string) => started.filter((j) => !target || j.target === target).map((j) => j.payload.sha);
  return { queue, started, errors, job, finish, shas };
}

describe('ReconcileQueue', () => {
  it('runs one job at a time per target, in arrival order', async () => {
    const h = harness();
    expect(h.queue.enqueue(h.job('prod', 'apply', 'a'))).toBe('started');
    expect(h.queue.enqueue(h.job('prod', 'plan', 'p1', 1))).toBe('queued');
    expect(h.queue.enqueue(h.job('prod', 'drift', 'd'))).toBe('queued');
    expect(h.shas()).toEqual(['a']);
    await h.finish('prod');
    expect(h.shas()).toEqual(['a', 'p1']);
    await h.finish('prod');
    expect(h.shas()).toEqual(['a', 'p1', 'd']);
    await h.finish('prod');
    await h.queue.idle();
    expect(h.queue.snapshot().prod).toEqual({ pending: [] });
  });

  it('newest apply wins: three pushes while one runs → exactly one more run, with the newest sha', async () => {
    const h = harness();
    h.queue.enqueue(h.job('prod', 'apply', 'c1'));
    expect(h.queue.enqueue(h.job('prod', 'apply', 'c2'))).toBe('queued');
    expect(h.queue.enqueue(h.job('prod', 'apply', 'c3'))).toBe('replaced');
    expect(h.queue.enqueue(h.job('prod', 'apply', 'c4'))).toBe('replaced');
    await h.finish('prod');
    await h.finish('prod');
    await h.queue.idle();
    expect(h.shas()).toEqual(['c1', 'c4']);
  });

  it('an older push never replaces a newer one, pending or already started', () => {
    const h = harness();
    const older = h.job('prod', 'apply', 'old');
    const newer = h.job('prod', 'apply', 'new');
    const newest = h.job('prod', 'apply', 'newest');
    // Arrived in order older, newer, newest; reached the queue in order newer, newest, older.
    expect(h.queue.enqueue(newer)).toBe('started');
    expect(h.queue.enqueue(older)).toBe('superseded');
    expect(h.queue.enqueue(newest)).toBe('queued');
    expect(h.queue.enqueue({ ...older, seq: newer.seq + 0.5 })).toBe('superseded');
    expect(h.queue.snapshot().prod.pending.map((j) => j.payload.sha)).toEqual(['newest']);
  });

  it('plans queue per pull request; the latest head of each wins', async () => {
    const h = harness();
    h.queue.enqueue(h.job('prod', 'apply', 'main'));
    expect(h.queue.enqueue(h.job('prod', 'plan', 'pr7-a', 7))).toBe('queued');
    expect(h.queue.enqueue(h.job('prod', 'plan', 'pr8-a', 8))).toBe('queued');
    expect(h.queue.enqueue(h.job('prod', 'plan', 'pr7-b', 7))).toBe('replaced');
    for (let i = 0; i < 3; i++) await h.finish('prod');
    await h.queue.idle();
    expect(h.shas()).toEqual(['main', 'pr7-b', 'pr8-a']);
  });

  it('skips a drift check when one is already pending', async () => {
    const h = harness();
    expect(h.queue.enqueue(h.job('prod', 'drift', 'd1'))).toBe('started');
    expect(h.queue.enqueue(h.job('prod', 'drift', 'd2'))).toBe('queued');
    expect(h.queue.enqueue(h.job('prod', 'drift', 'd3'))).toBe('skipped');
    await h.finish('prod');
    await h.finish('prod');
    await h.queue.idle();
    expect(h.shas()).toEqual(['d1', 'd2']);
  });

  it('runs targets in parallel with each other', async () => {
    const h = harness();
    expect(h.queue.enqueue(h.job('prod', 'apply', 'p1'))).toBe('started');
    expect(h.queue.enqueue(h.job('staging', 'apply', 's1'))).toBe('started');
    expect(h.queue.enqueue(h.job('staging', 'apply', 's2'))).toBe('queued');
    expect(h.started.map((j) => j.target)).toEqual(['prod', 'staging']);
    await h.finish('staging');
    expect(h.shas('staging')).toEqual(['s1', 's2']);
    expect(h.queue.snapshot().prod.running?.payload.sha).toBe('p1');
    await h.finish('staging');
    let idle = false;
    void h.queue.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false); // prod still runs
    await h.finish('prod');
    expect(idle).toBe(true);
  });

  it('a failing run is reported and the lane goes on', async () => {
    const h = harness();
    h.queue.enqueue(h.job('prod', 'apply', 'bad'));
    h.queue.enqueue(h.job('prod', 'apply', 'good'));
    await h.finish('prod', new Error('consul unreachable'));
    expect(h.errors).toEqual([new Error('consul unreachable')]);
    expect(h.shas()).toEqual(['bad', 'good']);
    await h.finish('prod');
    await h.queue.idle();
  });

  it('close drops pending jobs, waits for running ones within the bound, and refuses new ones', async () => {
    const h = harness();
    h.queue.enqueue(h.job('prod', 'apply', 'running'));
    h.queue.enqueue(h.job('prod', 'apply', 'pending'));
    const closing = h.queue.close(5_000);
    expect(h.queue.enqueue(h.job('prod', 'apply', 'late'))).toBe('closed');
    await h.finish('prod');
    expect(await closing).toEqual({ dropped: 1, abandoned: 0 });
    expect(h.shas()).toEqual(['running']);

    const stuck = harness();
    stuck.queue.enqueue(stuck.job('prod', 'drift', 'never-ends'));
    expect(await stuck.queue.close(10)).toEqual({ dropped: 0, abandoned: 1 });
  });
});
