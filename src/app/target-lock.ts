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
  /**
   * The process that holds it, when it can be told dead from this host (`serve`): a restart on the
   * same host breaks the lease of its killed predecessor instead of waiting up to 14 minutes.
   */
  process?: ProcessIdentity;
}

/** A process as this host knows it: its pid alone is reused, so with the kernel's start time of it, in one boot and pid namespace. */
export interface ProcessIdentity {
  host: string;
  /** /proc/sys/kernel/random/boot_id */
  boot: string;
  /** /proc/self/ns/pid (`pid:[4026531836]`): another container's pids mean nothing here. */
  pidNamespace: string;
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks after boot at which the process started. */
  startTicks: string;
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
  /** Written into the lease, so a restart on this host can tell the holder is dead (see breakDeadHolder). */
  process?: ProcessIdentity;
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

/**
 * What a run asks before it writes (applyPlan's WriteGuard): whether it still holds its lease. Each
 * answers why it must not write, or undefined. A run whose lease another run took over (it stalled
 * past the lease, or a renewal was refused) would otherwise write beside that run.
 */
export interface LeaseGuard {
  /** Reads the lock key: is it still this run's lease? (Once per wave of writes.) */
  confirm(): Promise<string | undefined>;
  /** Without I/O, before every write: was the lease seen lost (a renewal refused, a confirm), or has it ended by this run's clock? */
  lost(): string | undefined;
}

/** The lease this run holds: its index in KV, its text, and when it ends. */
interface Held {
  index: number;
  value: string;
  expiresAtMs: number;
  /** Set once the lease is known to be another run's: who holds it now. */
  lostTo?: string;
}

/** Runs `fn` while holding the lease; always releases it (unless another run took it over after expiry). */
export async function withTargetLock<T>(store: StateStore, options: LockOptions, fn: (guard: LeaseGuard) => Promise<T>): Promise<T> {
  const held = await acquire(store, options);
  const renewal = options.renew === false ? { stop: async () => undefined, settled: async () => undefined } : keepRenewed(store, options, held);
  try {
    return await fn(leaseGuard(store, options, held, renewal));
  } finally {
    await renewal.stop();
    await release(store, options, held.index);
  }
}

function leaseGuard(store: StateStore, o: LockOptions, held: Held, renewal: { settled(): Promise<void> }): LeaseGuard {
  const lost = (): string | undefined => {
    if (held.lostTo !== undefined) return `this run lost its lease on the target (${o.key} is now held by ${held.lostTo})`;
    if (o.now().getTime() >= held.expiresAtMs)
      return `this run's lease on the target (${o.key}) ended at ${new Date(held.expiresAtMs).toISOString()} before the apply did, so another run may hold it`;
    return undefined;
  };
  return {
    lost,
    async confirm() {
      if (lost()) return lost();
      // A renewal in flight changes the key to our next lease: wait for it, not mistake it for another run's.
      await renewal.settled();
      const now = await store.read(o.key).catch(() => undefined);
      // Consul did not answer: the write that follows meets the same and says so.
      if (now && now.value !== held.value) held.lostTo = holderOf(now.value);
      return lost();
    },
  };
}

/** Who holds a lease, for messages: its holder name, or what the key holds instead. */
function holderOf(value: string): string {
  try {
    const lease = JSON.parse(value) as Partial<Lease> | null;
    if (lease && typeof lease.holder === 'string') return lease.released ? `nobody (released by ${lease.holder})` : lease.holder;
  } catch {
    // not a lease: said below
  }
  return 'something that is not a consul-gitops lease';
}

/**
 * Renews the lease every third of its length while the run works. A run can outlive its lease (a
 * slow or retrying Consul; `serve` and the CLI have no deadline that ends them): another run would
 * then take the target over and both would write at once. A killed run renews nothing, so its lease
 * still expires. A renewal lost to another run (ours had expired) is not retried; one Consul did not
 * answer is tried again at the next tick.
 */
function keepRenewed(store: StateStore, o: LockOptions, held: Held): { stop(): Promise<void>; settled(): Promise<void> } {
  let inflight: Promise<void> | undefined;
  const renew = async (): Promise<void> => {
    const expiresAtMs = o.now().getTime() + o.leaseMs;
    const mine = JSON.stringify({ ...leaseOf(o, expiresAtMs), attempt: randomUUID() } satisfies Lease);
    const written = await store.write(o.key, mine, held.index);
    // Read back even after a "false": a renewal whose answer was lost may have been stored (see acquire).
    const now = await store.read(o.key);
    if (now?.value === mine) Object.assign(held, { index: now.modifyIndex, value: mine, expiresAtMs });
    // Refused: another run holds the target now. The guard stops this run's writes (LeaseGuard.lost).
    else if (!written) held.lostTo = now ? holderOf(now.value) : 'nobody (the key was deleted)';
  };
  const timer = setInterval(
    () => {
      if (inflight || held.lostTo !== undefined) return;
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
    async settled() {
      await inflight;
    },
  };
}

async function acquire(store: StateStore, o: LockOptions): Promise<Held> {
  const giveUpAt = o.now().getTime() + o.waitMs;
  let delay = 50;
  // The lease this run last tried to write. A write whose answer was lost may have been stored all
  // the same, and its retry then meets check-and-set saying no: finding exactly this lease in the
  // key means it is ours, not another run's (else the run would wait for itself and give up).
  let tried: string | undefined;
  let triedExpiresAtMs = 0;
  for (;;) {
    const current = await store.read(o.key);
    if (current && current.value === tried) return { index: current.modifyIndex, value: tried, expiresAtMs: triedExpiresAtMs };
    const lease = current ? parseLease(o.key, current.value) : undefined;
    const free = !lease || lease.released || Date.parse(lease.expiresAt) <= o.now().getTime();
    if (free) {
      triedExpiresAtMs = o.now().getTime() + o.leaseMs;
      const mine: Lease = { ...leaseOf(o, triedExpiresAtMs), attempt: randomUUID() };
      tried = JSON.stringify(mine);
      if (await store.write(o.key, tried, current?.modifyIndex ?? 0)) {
        const taken = await store.read(o.key);
        return { index: taken!.modifyIndex, value: tried, expiresAtMs: triedExpiresAtMs };
      }
      continue; // someone else won the race (or our lost write did): look again
    }
    if (o.now().getTime() >= giveUpAt) throw new TargetBusyError(o.key, lease.holder, lease.expiresAt);
    await o.sleep(delay);
    delay = Math.min(delay * 2, 2000);
  }
}

function leaseOf(o: LockOptions, expiresAtMs: number): Lease {
  return { holder: o.holder, expiresAt: new Date(expiresAtMs).toISOString(), ...(o.process ? { process: o.process } : {}) };
}

/** The lease that holds the target now (not released, not expired by `now`), else undefined. */
export async function liveLease(store: StateStore, key: string, now: Date): Promise<Lease | undefined> {
  const current = await store.read(key);
  if (!current) return undefined;
  const lease = parseLease(key, current.value);
  return lease.released || Date.parse(lease.expiresAt) <= now.getTime() ? undefined : lease;
}

/**
 * Ends the lease of a holder that `isDead` proves dead (a killed `serve` on this host), with
 * check-and-set so a lease another run took meanwhile is left alone. Returns the broken lease.
 */
export async function breakDeadHolder(store: StateStore, key: string, now: Date, isDead: (p: ProcessIdentity) => boolean): Promise<Lease | undefined> {
  const current = await store.read(key);
  if (!current) return undefined;
  const lease = parseLease(key, current.value);
  if (lease.released || Date.parse(lease.expiresAt) <= now.getTime() || !lease.process || !isDead(lease.process)) return undefined;
  const released: Lease = { holder: lease.holder, expiresAt: now.toISOString(), released: true };
  return (await store.write(key, JSON.stringify(released), current.modifyIndex)) ? lease : undefined;
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
