// apply: carry out a Plan wave by wave with check-and-set. Independent changes go on after a
// failure; changes that depend on a failed one are skipped and say so. Nothing is reported as
// applied that Consul did not confirm, nor as failed when it may have been stored; once Consul
// is unreachable nothing more is attempted.
import { sendsWrite } from '../core/plan/writes.ts';
import type { ConfigEntryStore } from './ports/config-entry-store.ts';
import { isMeshWide, setsMutualTlsMode } from '../model/registry.ts';
import type { Change, Plan } from '../core/plan/plan.ts';
import { canonicalLive, diffValues, type FieldDiff } from '../core/plan/canonical.ts';
import { normalizeEntry } from '../core/normalize.ts';
import { LOCKDOWN_WAVE } from '../core/plan/order.ts';
import { ConsulGitopsError, type ErrorCode } from '../errors.ts';
import { formatEntryId } from '../model/entry-id.ts';

export type ChangeOutcome =
  | { status: 'applied' }
  | { status: 'unchanged' } // noop and skip changes: nothing to do
  | { status: 'conflict'; message: string; liveDiffs: FieldDiff[] }
  | { status: 'failed'; message: string }
  /** The request was sent but no answer came back: Consul may have stored it. Re-run plan. */
  | { status: 'unknown'; message: string }
  /** `code`: set when the change was refused (field-loss, adopt-required); none when it was not attempted. */
  | { status: 'skipped'; message: string; code?: ErrorCode };

export interface ChangeResult {
  change: Change;
  outcome: ChangeOutcome;
}

export interface ApplyReport {
  results: ChangeResult[];
  ok: boolean;
  counts: Record<ChangeOutcome['status'], number>;
}

export interface ApplyOptions {
  /** Writes in flight at once inside a wave (default DEFAULT_APPLY_CONCURRENCY). */
  concurrency?: number;
  /** Whether the run may still write (it holds its target's lease: target-lock.ts LeaseGuard). */
  guard?: WriteGuard;
}

/**
 * Asked before writing: each answers why the run must stop writing, or undefined. `confirm` may ask
 * Consul and is asked once per wave; `lost` is asked before every write and does no I/O. Once either
 * answers, nothing more is written and the rest is reported "not attempted" with the reason.
 */
export interface WriteGuard {
  confirm(): Promise<string | undefined>;
  lost(): string | undefined;
}

/**
 * Writes in flight at once inside a wave. Changes inside one wave never depend on each other, so
 * this only bounds the load on Consul: each write is one Raft apply on the leader, which batches
 * concurrent applies, and 32 in flight keep 10,000 creates near 1 s at a few ms of latency.
 */
export const DEFAULT_APPLY_CONCURRENCY = 32;

/**
 * What apply reads from an error a store throws, when the store says it: ConsulError
 * (src/adapters/consul/errors.ts) carries both. `ambiguous`: the write may have been applied
 * (sent, then the connection broke or timed out). `kind` `unavailable`/`timeout`: the store did not
 * answer, after its own retries.
 */
interface StoreErrorFacts {
  kind?: unknown;
  ambiguous?: unknown;
}

const facts = (e: unknown): StoreErrorFacts => (typeof e === 'object' && e !== null ? e : {});
const storeUnreachable = (e: unknown) => facts(e).kind === 'unavailable' || facts(e).kind === 'timeout';

/**
 * The changes that failed so far, indexed so each later change asks in constant time whether it
 * depends on one. A later change depends on a failed one when it concerns the same service, or the
 * failed one is mesh-wide (a kind's `scope`). Locking the mesh down depends on every change of a
 * kind that sets MutualTLSMode (service-defaults, proxy-defaults): one that failed may have left a service permissive.
 */
class Failures {
  private count = 0;
  private global?: Failure;
  private mtls?: Failure;
  private readonly byName = new Map<string, Failure>();

  add(change: Change): void {
    const failure = { change, seq: this.count++ };
    if (isMeshWide(change.id.kind)) this.global ??= failure;
    if (setsMutualTlsMode(change.id.kind)) this.mtls ??= failure;
    const name = change.id.name.toLowerCase();
    if (!this.byName.has(name)) this.byName.set(name, failure);
  }

  /** The first failed change (in the order failures were recorded) that `later` depends on. */
  blockerOf(later: Change): Change | undefined {
    let first: Failure | undefined;
    for (const f of [this.global, later.wave === LOCKDOWN_WAVE ? this.mtls : undefined, this.byName.get(later.id.name.toLowerCase())])
      if (f && (!first || f.seq < first.seq)) first = f;
    return first?.change;
  }
}

interface Failure {
  change: Change;
  seq: number;
}

export async function applyPlan(store: ConfigEntryStore, plan: Plan, options: ApplyOptions = {}): Promise<ApplyReport> {
  // Plan.refused is set by the mass-delete guard alone (core/plan/mass-delete.ts).
  if (plan.refused) throw new ConsulGitopsError('mass-delete', plan.refused);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_APPLY_CONCURRENCY);
  const results: ChangeResult[] = [];
  const failed = new Failures();
  // Set by the first change that found Consul unreachable: nothing after it is sent.
  let unreachable: string | undefined;
  // Set once the guard says the run may no longer write (its lease was taken over): nothing more is sent.
  let stopped: string | undefined;
  const waves = new Map<number, Change[]>();
  for (const c of plan.changes) {
    const wave = waves.get(c.wave);
    if (wave) wave.push(c);
    else waves.set(c.wave, [c]);
  }

  for (const wave of [...waves.keys()].sort((a, b) => a - b)) {
    const changes = waves.get(wave)!;
    const waveFailures: Change[] = [];
    if (options.guard && !stopped && !unreachable && changes.some(sendsWrite)) stopped = await options.guard.confirm();
    await runBounded(changes, concurrency, async (change) => {
      const blocker = failed.blockerOf(change);
      let outcome: ChangeOutcome;
      if (change.action === 'noop' || change.action === 'skip') outcome = { status: 'unchanged' };
      // Consul differs from Git on an entry consul-gitops does not manage: never written without --adopt.
      else if (change.requiresAdopt) outcome = { status: 'skipped', message: `not written: ${change.reason}`, code: 'adopt-required' };
      // Writing it would remove live fields consul-gitops does not know: never without --allow-field-loss.
      else if (change.requiresFieldLoss)
        outcome = {
          status: 'skipped',
          message: `not written: it would remove ${change.lostFields!.join(', ')} (unknown to consul-gitops); --allow-field-loss writes it`,
          code: 'field-loss',
        };
      else if (unreachable) outcome = { status: 'skipped', message: `not attempted: Consul unreachable (${unreachable}); re-run plan once it answers` };
      else if ((stopped ??= options.guard?.lost()))
        outcome = { status: 'skipped', message: `not attempted: ${stopped}; another run may be writing to this target, so run plan once it finished` };
      else if (blocker)
        outcome = { status: 'skipped', message: `not attempted: ${blocker.id.kind}/${blocker.id.name} failed earlier and this change depends on it` };
      else {
        const applied = await applyChange(store, change);
        outcome = applied.outcome;
        if (applied.unreachable) unreachable ??= applied.unreachable;
      }
      if (outcome.status !== 'applied' && outcome.status !== 'unchanged') waveFailures.push(change);
      results.push({ change, outcome });
    });
    for (const f of waveFailures) failed.add(f);
  }
  // Report in plan order, whatever order concurrent writes finished in.
  const order = new Map(plan.changes.map((c, i) => [c, i]));
  results.sort((a, b) => order.get(a.change)! - order.get(b.change)!);
  const counts = { applied: 0, unchanged: 0, conflict: 0, failed: 0, unknown: 0, skipped: 0 };
  for (const r of results) counts[r.outcome.status]++;
  return { results, ok: counts.conflict + counts.failed + counts.unknown + counts.skipped === 0, counts };
}

/** One change's outcome; `unreachable` (why) when the store did not answer and nothing more should be sent. */
async function applyChange(store: ConfigEntryStore, change: Change): Promise<{ outcome: ChangeOutcome; unreachable?: string }> {
  try {
    const done =
      change.action === 'delete' ? await store.delete(change.id.kind, change.id.name, change.cas, change.id) : await store.write(change.after!, change.cas);
    if (done) return { outcome: { status: 'applied' } };
    return { outcome: await describeConflict(store, change) };
  } catch (e) {
    const message = (e as Error).message;
    const outcome: ChangeOutcome =
      facts(e).ambiguous === true
        ? {
            status: 'unknown',
            message: `outcome unknown: re-run plan (the request was sent but no answer came back, so Consul may have stored it: ${message})`,
          }
        : { status: 'failed', message };
    return storeUnreachable(e) ? { outcome, unreachable: message } : { outcome };
  }
}

/** CAS said no: someone changed the entry since the plan read it. Re-read it and say how it differs now. */
async function describeConflict(store: ConfigEntryStore, change: Change): Promise<ChangeOutcome> {
  const now = await store.get(change.id.kind, change.id.name, change.id).catch(() => undefined);
  const current = now ? canonicalLive(now.entry) : undefined;
  const liveDiffs = diffValues(change.before, current);
  const what = !now ? 'it was deleted' : !change.before ? 'it was created by someone else' : `it changed (ModifyIndex ${change.cas} → ${now.modifyIndex})`;
  const desiredNow = change.after ? diffValues(current, normalizeEntry(change.after)) : [];
  const note = change.after && desiredNow.length === 0 ? '; it already matches the file' : '; run plan again to review';
  return {
    status: 'conflict',
    message: `check-and-set conflict on ${change.id.kind}/${change.id.name}: ${what} since the plan was made; not overwritten${note}`,
    liveDiffs,
  };
}

/** One change Consul does not hold as planned after an apply: its entry, a short label, and the whole message. */
export interface NotApplied {
  entry: string;
  label: string;
  message: string;
}

const LABELS: Record<Exclude<ChangeOutcome['status'], 'applied' | 'unchanged'>, string> = {
  conflict: 'conflict',
  failed: 'failed',
  unknown: 'outcome unknown',
  skipped: 'not attempted',
};

/**
 * Every change of a report that did not land, causes first (conflicts, failures, unknown outcomes)
 * and then what was not attempted, each in plan order: what a summary names when counts alone would
 * leave the reader to guess which entries Consul does not hold as Git says.
 */
export function notApplied(report: Pick<ApplyReport, 'results'>): NotApplied[] {
  const left = report.results.filter((r) => r.outcome.status !== 'applied' && r.outcome.status !== 'unchanged');
  const rank = (r: ChangeResult) => (r.outcome.status === 'skipped' ? 1 : 0);
  return left
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => {
      const o = r.outcome as Exclude<ChangeOutcome, { status: 'applied' | 'unchanged' }>;
      const label = o.status === 'skipped' && o.code ? `not written: ${o.code}` : LABELS[o.status];
      return { entry: formatEntryId(r.change.id), label, message: o.message };
    });
}

async function runBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
