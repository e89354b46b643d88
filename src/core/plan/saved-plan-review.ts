// What a pull request's reviewers saw, kept small enough for Consul KV, and how the plan a merge
// applies differs from it. A plan is reduced to its writes (create, update, delete) and, per
// written entry, a hash of each top-level field: enough to name the entry and the fields that
// differ, without copying entries (some hold private keys) into the reconciler's state.
import { sendsWrite } from './writes.ts';
import { createHash } from 'node:crypto';
import { stringifyApiJson } from '../api-json.ts';
import { formatEntryId } from '../../model/entry-id.ts';
import type { Plan } from './plan.ts';

export type WriteAction = 'create' | 'update' | 'delete';

export interface ReviewedChange {
  key: string;
  /** As people read it: `service-defaults/api`. */
  entry: string;
  action: WriteAction;
  /** Top-level field → short hash of its value, for creates and updates. */
  fields: Record<string, string>;
}

export interface ReviewedPlan {
  version: 1;
  pullRequest: number;
  /** The head commit the plan on the pull request was made for. */
  headSha: string;
  plannedAt: string;
  changes: ReviewedChange[];
}

export interface PlanDifference {
  entry: string;
  /** What the reviewed plan did to the entry; undefined: it left it alone. */
  reviewed?: WriteAction;
  /** What the merge applies; undefined: it leaves it alone. */
  applied?: WriteAction;
  /** Fields written differently (same action on both sides). */
  fields: string[];
}

const short = (value: unknown) =>
  createHash('sha256')
    .update(stringifyApiJson(value, 0) ?? 'undefined')
    .digest('hex')
    .slice(0, 16);

/** The writes of a plan. Updates that need `--adopt` are left out: the reconciler never writes them. */
export function reviewedChanges(plan: Plan): ReviewedChange[] {
  const out: ReviewedChange[] = [];
  for (const c of plan.changes) {
    if (!sendsWrite(c)) continue;
    const fields: Record<string, string> = {};
    if (c.action !== 'delete') for (const [k, v] of Object.entries(c.after ?? {})) fields[k] = short(v);
    out.push({ key: c.key, entry: formatEntryId(c.id), action: c.action, fields });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Every entry the two plans write differently, in entry order; empty when the merge applies what was reviewed. */
export function differencesFromReviewed(reviewed: readonly ReviewedChange[], applied: readonly ReviewedChange[]): PlanDifference[] {
  const then = new Map(reviewed.map((c) => [c.key, c]));
  const now = new Map(applied.map((c) => [c.key, c]));
  const keys = [...new Set([...then.keys(), ...now.keys()])].sort();
  const out: PlanDifference[] = [];
  for (const key of keys) {
    const r = then.get(key);
    const a = now.get(key);
    const entry = (a ?? r)!.entry;
    if (!r || !a || r.action !== a.action) {
      out.push({ entry, ...(r ? { reviewed: r.action } : {}), ...(a ? { applied: a.action } : {}), fields: [] });
      continue;
    }
    const fields = [...new Set([...Object.keys(r.fields), ...Object.keys(a.fields)])].filter((f) => r.fields[f] !== a.fields[f]).sort();
    if (fields.length) out.push({ entry, reviewed: r.action, applied: a.action, fields });
  }
  return out;
}

/** One difference in a sentence: `service-defaults/api: Protocol differs from the reviewed plan`. */
export function describeDifference(d: PlanDifference): string {
  if (d.reviewed && d.applied && d.reviewed === d.applied)
    return `${d.entry}: ${d.fields.join(', ')} ${d.fields.length === 1 ? 'differs' : 'differ'} from the reviewed plan`;
  if (!d.reviewed) return `${d.entry}: ${d.applied} not in the reviewed plan`;
  if (!d.applied) return `${d.entry}: reviewed ${d.reviewed}, not applied`;
  return `${d.entry}: reviewed ${d.reviewed}, applied ${d.applied}`;
}

/** Short form for a 140-character commit status: `service-defaults/api (Protocol)`. */
export function briefDifference(d: PlanDifference): string {
  if (d.reviewed && d.applied && d.reviewed === d.applied) return `${d.entry} (${d.fields.join(', ')})`;
  return `${d.entry} (${d.reviewed ?? 'no change'} → ${d.applied ?? 'no change'})`;
}
