// One reconcile at a time per target, across Lambda containers and `serve` processes: a lease in
// Consul KV taken and released with check-and-set. A lease expires, so a crashed run cannot block
// a target for longer than its timeout.
import { randomUUID } from 'node:crypto';
import type { StateStore } from './ports/config-entry-store.ts';
import { ConsulGitopsError } from '../errors.ts';

export interface Lease {
  holder: string;
  expiresAt: string;
  /** Random per attempt: two runs under one holder name and clock never write the same lease. */
  attempt?: string;
  released?: boolean;
}

export interface LockOptions {
  key: string;
  holder: string;
  leaseMs: number;
  /** How long to wait for another run to finish before giving up. */
  waitMs: number;
  /**
   * Renew the lease while the run works (default true). False for a run with a deadline whose lease
   * already ends just past it (a Lambda invocation): renewing would keep a killed run's lease alive.
   */
  renew?: boolean;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

export class TargetBusyError extends ConsulGitopsError {
  constructor(
    readonly key: string,
    readonly holder: string,
    readonly expiresAt?: string,
  ) {
    super('target-busy', `another consul-gitops run (${holder}) holds ${key}${expiresAt ? ` until ${expiresAt} at the latest` : ''}; gave up waiting`);
  }
}

/**
 * The lock key holds something no run wrote (hand-edited KV, another tool): waiting cannot end it,
 * and treating it as free could let two runs write at once, so the run stops and says what to do.
 */
export class LockUnreadableError extends ConsulGitopsError {
  constructor(
    readonly key: string,
    why: string,
  ) {
    super(
      'state-unreadable',
      `the target lock ${key} in Consul KV is not a consul-gitops lease (${why}); delete the key (\`consul kv delete ${key}\`) once no consul-gitops run holds the target, and run again`,
    );
  }
}

/** The lease in the lock key's value, or why it is not one. */
function parseLease(key: string, value: string): Lease {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new LockUnreadableError(key, 'not JSON');
  }
  const lease = parsed as Partial<Lease> | null;
  if (typeof lease !== 'object' || lease === null || Array.isArray(lease)) throw new LockUnreadableError(key, 'not a JSON object');
  if (typeof lease.holder !== 'string') throw new LockUnreadableError(key, 'no "holder" string');
  if (typeof lease.expiresAt !== 'string' || !Number.isFinite(Date.parse(lease.expiresAt))) throw new LockUnreadableError(key, 'no "expiresAt" time');
  return lease as Lease;
}

/** Runs `fn` while holding the lease; always releases it (unless another run took it over after expiry). */
export async function withTargetLock<T>(store: StateStore, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const held = { index: await acquire(store, options) };
  const renewal = options.renew === false ? { stop: async () => undefined } : keepRenewed(store, options, held);
  try {
    return await fn();
  } finally {
    await renewal.stop();
    await release(store, options, held.index);
  }
}

/**
 * Renews the lease every third of its length while the run works. A run can outlive its lease (a
 * slow or retrying Consul; `serve` and the CLI have no deadline that ends them): another run would
 * then take the target over and both would write at once. A killed run renews nothing, so its lease
 * still expires. A renewal lost to another run (ours had expired) is not retried; one Consul did not
 * answer is tried again at the next tick.
 */
function keepRenewed(store: StateStore, o: LockOptions, held: { index: number }): { stop(): Promise<void> } {
  let inflight: Promise<void> | undefined;
  let lost = false;
  const renew = async (): Promise<void> => {
    const mine = JSON.stringify({ holder: o.holder, expiresAt: new Date(o.now().getTime() + o.leaseMs).toISOString(), attempt: randomUUID() } satisfies Lease);
    const written = await store.write(o.key, mine, held.index);
    // Read back even after a "false": a renewal whose answer was lost may have been stored (see acquire).
    const now = await store.read(o.key);
    if (now?.value === mine) held.index = now.modifyIndex;
    else if (!written) lost = true;
  };
  const timer = setInterval(
    () => {
      if (inflight || lost) return;
      inflight = renew()
        .catch(() => undefined)
        .finally(() => (inflight = undefined));
    },
    Math.max(10, Math.floor(o.leaseMs / 3)),
  );
  // Never what keeps a process alive: the run itself does that.
  timer.unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}

async function acquire(store: StateStore, o: LockOptions): Promise<number> {
  const giveUpAt = o.now().getTime() + o.waitMs;
  let delay = 50;
  // The lease this run last tried to write. A write whose answer was lost may have been stored all
  // the same, and its retry then meets check-and-set saying no: finding exactly this lease in the
  // key means it is ours, not another run's (else the run would wait for itself and give up).
  let tried: string | undefined;
  for (;;) {
    const current = await store.read(o.key);
    if (current && current.value === tried) return current.modifyIndex;
    const lease = current ? parseLease(o.key, current.value) : undefined;
    const free = !lease || lease.released || Date.parse(lease.expiresAt) <= o.now().getTime();
    if (free) {
      const mine: Lease = { holder: o.holder, expiresAt: new Date(o.now().getTime() + o.leaseMs).toISOString(), attempt: randomUUID() };
      tried = JSON.stringify(mine);
      if (await store.write(o.key, tried, current?.modifyIndex ?? 0)) {
        const taken = await store.read(o.key);
        return taken!.modifyIndex;
      }
      continue; // someone else won the race (or our lost write did): look again
    }
    if (o.now().getTime() >= giveUpAt) throw new TargetBusyError(o.key, lease.holder, lease.expiresAt);
    await o.sleep(delay);
    delay = Math.min(delay * 2, 2000);
  }
}

async function release(store: StateStore, o: LockOptions, index: number): Promise<void> {
  const released: Lease = { holder: o.holder, expiresAt: o.now().toISOString(), released: true };
  // CAS on our own index: if the lease expired and another run took it, leave theirs alone.
  // Consul may be between leaders for a few seconds (Consul answers "No cluster leader" once its
  // RPC hold timeout is spent): a release lost then would block every next run until the lease
  // expires, so it is retried for a few seconds more before the lease is left to expire.
  for (const pause of RELEASE_PAUSES_MS) {
    const done = await store.write(o.key, JSON.stringify(released), index).then(
      () => true,
      () => false,
    );
    if (done) return;
    if (pause > 0) await o.sleep(pause);
  }
}

/** Pauses after each failed release attempt (0: the last attempt). About 4 s in all. */
const RELEASE_PAUSES_MS = [250, 500, 1_000, 2_000, 0];
