// The in-process reconcile queue of `serve`: one run at a time per target, targets in parallel.
// While a target runs, what arrives for it collapses so the newest state wins and nothing piles up:
//
// - `apply` (a push): one pending job per target, holding the newest request. Newer replaces older;
//   an older request (by arrival order, i.e. webhook order) never replaces or runs after a newer one.
// - `plan` (a pull request): one pending job per pull request number, the latest head wins.
// - `drift` (the schedule): skipped when one is already pending.
//
// Pure: no I/O, no timers. The runner does the work; its errors go to `onError` and the queue moves on.

export type JobKind = 'apply' | 'plan' | 'drift';

export interface QueueJob<P = unknown> {
  target: string;
  kind: JobKind;
  /** Arrival order: larger is newer. The server numbers requests as they arrive, before any await. */
  seq: number;
  /** For `plan`: the pull request number, which names the job's slot. */
  pullRequest?: number;
  payload: P;
}

/**
 * - `started`: the target was idle; the job runs now.
 * - `queued`: waits for the running job.
 * - `replaced`: took the place of an older pending job of the same slot.
 * - `superseded`: dropped: a newer job of the same slot is pending or has already started.
 * - `skipped`: dropped: a drift check is already pending.
 * - `closed`: dropped: the queue is stopping.
 */
export type EnqueueResult = 'started' | 'queued' | 'replaced' | 'superseded' | 'skipped' | 'closed';

export interface QueueOptions<P> {
  run: (job: QueueJob<P>) => Promise<unknown>;
  onError?: (job: QueueJob<P>, error: unknown) => void;
}

export interface CloseResult {
  /** Pending jobs dropped. */
  dropped: number;
  /** Jobs still running when the wait ran out. */
  abandoned: number;
}

interface Lane<P> {
  running?: { job: QueueJob<P>; done: Promise<void> };
  /** Slot → job, in the order slots were first filled (a replacement keeps its place). */
  pending: Map<string, QueueJob<P>>;
  /** Slot → arrival number of the newest job started in it. */
  started: Map<string, number>;
}

export function slotOf(job: Pick<QueueJob, 'kind' | 'pullRequest'>): string {
  return job.kind === 'plan' ? `plan#${job.pullRequest ?? '?'}` : job.kind;
}

export class ReconcileQueue<P = unknown> {
  readonly #lanes = new Map<string, Lane<P>>();
  readonly #run: QueueOptions<P>['run'];
  readonly #onError: NonNullable<QueueOptions<P>['onError']>;
  #idleWaiters: Array<() => void> = [];
  #closed = false;

  constructor(options: QueueOptions<P>) {
    this.#run = options.run;
    this.#onError = options.onError ?? (() => undefined);
  }

  enqueue(job: QueueJob<P>): EnqueueResult {
    if (this.#closed) return 'closed';
    let lane = this.#lanes.get(job.target);
    if (!lane) {
      lane = { pending: new Map(), started: new Map() };
      this.#lanes.set(job.target, lane);
    }
    const slot = slotOf(job);
    if (job.kind !== 'drift' && (lane.started.get(slot) ?? -Infinity) >= job.seq) return 'superseded';
    if (!lane.running) {
      this.#start(lane, job);
      return 'started';
    }
    const pending = lane.pending.get(slot);
    if (!pending) {
      lane.pending.set(slot, job);
      return 'queued';
    }
    if (job.kind === 'drift') return 'skipped';
    if (pending.seq >= job.seq) return 'superseded';
    lane.pending.set(slot, job); // same key: keeps its place in line
    return 'replaced';
  }

  /** Resolves once nothing runs and nothing is pending (at once if that is already so). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** What runs and waits now, per target (for logs and tests). */
  snapshot(): Record<string, { running?: QueueJob<P>; pending: QueueJob<P>[] }> {
    const out: Record<string, { running?: QueueJob<P>; pending: QueueJob<P>[] }> = {};
    for (const [target, lane] of this.#lanes) {
      out[target] = { ...(lane.running ? { running: lane.running.job } : {}), pending: [...lane.pending.values()] };
    }
    return out;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Stop taking jobs, drop the pending ones, and wait up to `timeoutMs` for the running ones. */
  async close(timeoutMs: number): Promise<CloseResult> {
    this.#closed = true;
    let dropped = 0;
    for (const lane of this.#lanes.values()) {
      dropped += lane.pending.size;
      lane.pending.clear();
    }
    const running = [...this.#lanes.values()].flatMap((l) => (l.running ? [l.running.done] : []));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs));
    });
    await Promise.race([Promise.all(running), timedOut]);
    clearTimeout(timer);
    const abandoned = [...this.#lanes.values()].filter((l) => l.running).length;
    this.#notifyIfIdle();
    return { dropped, abandoned };
  }

  #start(lane: Lane<P>, job: QueueJob<P>): void {
    const slot = slotOf(job);
    lane.started.set(slot, Math.max(lane.started.get(slot) ?? -Infinity, job.seq));
    const done = (async () => {
      try {
        await this.#run(job);
      } catch (error) {
        try {
          this.#onError(job, error);
        } catch {
          // A failing error handler must not stall the lane.
        }
      }
    })().then(() => this.#finished(lane));
    lane.running = { job, done };
  }

  #finished(lane: Lane<P>): void {
    lane.running = undefined;
    const next = lane.pending.entries().next();
    if (!next.done) {
      const [slot, job] = next.value;
      lane.pending.delete(slot);
      this.#start(lane, job);
      return;
    }
    this.#notifyIfIdle();
  }

  #isIdle(): boolean {
    for (const lane of this.#lanes.values()) if (lane.running || lane.pending.size > 0) return false;
    return true;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
