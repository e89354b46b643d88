// A saved plan (`plan --out FILE`, `apply FILE`): the plan as data, with everything apply needs to
// prove it still holds (the target, the ModifyIndex of every entry read, the files' revision), a
// format version, and a SHA-256 over the content so an accidental edit is caught. Pure: the caller
// reads and writes the file; the hash needs no key, so the file holds no secret of consul-gitops.
import { createHash } from 'node:crypto';
import { stringifyApiJson } from '../api-json.ts';
import { entryIdOf, entryKey, formatEntryId, type EntryId } from '../../model/entry-id.ts';
import type { LiveEntry } from '../../model/live-entry.ts';
import type { Plan } from './plan.ts';

export const SAVED_PLAN_FORMAT = 'consul-gitops-plan';
export const SAVED_PLAN_VERSION = 1;

/** Where the plan applies: the target's name and the Consul it addresses (no token, no userinfo). */
export interface PlanTarget {
  name: string;
  address: string;
  datacenter?: string;
}

/** What the files were: always their content hash; with the commit and tree when read from a git checkout. */
export interface PlanSource {
  dir: string;
  /** sha256 over the sorted (path, content) pairs of every file read. */
  contentHash: string;
  git?: { commit: string; tree: string; commitTime: string; clean: boolean };
}

/** One entry Consul held when the plan was made: apply refuses when its ModifyIndex moved. */
export interface ReadEntry {
  id: EntryId;
  modifyIndex: number;
}

export interface SavedPlanBody {
  format: typeof SAVED_PLAN_FORMAT;
  version: typeof SAVED_PLAN_VERSION;
  createdAt: string;
  target: PlanTarget;
  source: PlanSource;
  options: { prune: boolean; adopt: boolean; only: string[] };
  read: ReadEntry[];
  plan: Plan;
}

export interface SavedPlan extends SavedPlanBody {
  sha256: string;
}

/** Why a saved plan may not be applied: one kind per refusal, each with its own wording. */
export type SavedPlanProblemKind = 'unreadable' | 'format' | 'version' | 'integrity' | 'target' | 'age' | 'changed';

export interface SavedPlanProblem {
  kind: SavedPlanProblemKind;
  /** The plan file. */
  file: string;
  message: string;
}

const hashOf = (body: SavedPlanBody) => createHash('sha256').update(stringifyApiJson(body, 0)).digest('hex');

export function sealPlan(body: SavedPlanBody): SavedPlan {
  return { ...body, sha256: hashOf(body) };
}

/** The file's text: the body, then its hash last so a reader sees what it covers. */
export function savedPlanText(plan: SavedPlan): string {
  return `${stringifyApiJson(plan)}\n`;
}

/** The entries a plan read, in a stable order (sorted by key). */
export function readEntries(live: readonly LiveEntry[]): ReadEntry[] {
  return live
    .map((l) => ({ id: entryIdOf(l.entry), modifyIndex: l.modifyIndex }))
    .sort((a, b) => (entryKey(a.id) < entryKey(b.id) ? -1 : entryKey(a.id) > entryKey(b.id) ? 1 : 0));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed file: format, version, shape, then the hash. The problems name the file. */
export function openSavedPlan(value: unknown, file: string): SavedPlan | SavedPlanProblem {
  const problem = (kind: SavedPlanProblemKind, message: string): SavedPlanProblem => ({ kind, file, message });
  if (!isObject(value) || value.format !== SAVED_PLAN_FORMAT)
    return problem('format', `not a consul-gitops saved plan (no "format": "${SAVED_PLAN_FORMAT}"); write one with \`consul-gitops plan --out FILE\``);
  if (value.version !== SAVED_PLAN_VERSION)
    return problem(
      'version',
      `saved plan format version ${JSON.stringify(value.version)}; this consul-gitops reads version ${SAVED_PLAN_VERSION}: make the plan again with this version`,
    );
  const { sha256, ...body } = value;
  const shapeError = shapeProblem(body);
  if (shapeError) return problem('format', `field ${shapeError}; make the plan again`);
  if (typeof sha256 !== 'string') return problem('integrity', 'field "sha256" is missing: the plan cannot be checked for edits; make the plan again');
  const actual = hashOf(body as unknown as SavedPlanBody);
  if (actual !== sha256)
    return problem(
      'integrity',
      `the content does not match its sha256 (${sha256.slice(0, 12)}… recorded, ${actual.slice(0, 12)}… now): the file was edited after \`plan --out\` wrote it; make the plan again`,
    );
  return value as unknown as SavedPlan;
}

/** The first field whose shape is wrong, or undefined. Enough to trust the fields apply uses. */
function shapeProblem(body: Record<string, unknown>): string | undefined {
  if (typeof body.createdAt !== 'string' || !Number.isFinite(Date.parse(body.createdAt))) return '"createdAt" is not a time';
  const t = body.target;
  if (!isObject(t) || typeof t.name !== 'string' || typeof t.address !== 'string') return '"target" needs a name and an address';
  const s = body.source;
  if (!isObject(s) || typeof s.dir !== 'string' || typeof s.contentHash !== 'string') return '"source" needs dir and contentHash';
  const o = body.options;
  if (!isObject(o) || typeof o.prune !== 'boolean' || typeof o.adopt !== 'boolean' || !Array.isArray(o.only)) return '"options" needs prune, adopt and only';
  if (!Array.isArray(body.read) || !body.read.every((r) => isObject(r) && isObject(r.id) && typeof r.modifyIndex === 'number'))
    return '"read" must list entries with an id and a modifyIndex';
  const p = body.plan;
  if (!isObject(p) || !Array.isArray(p.changes) || !isObject(p.summary)) return '"plan" needs changes and a summary';
  for (const c of p.changes) {
    if (!isObject(c) || typeof c.action !== 'string' || !isObject(c.id) || typeof c.key !== 'string' || typeof c.cas !== 'number' || typeof c.wave !== 'number')
      return '"plan.changes" holds a change without action, id, key, cas or wave';
    if ((c.action === 'create' || c.action === 'update') && !isObject(c.after)) return `"plan.changes" ${c.action} of ${String(c.key)} has no "after"`;
  }
  return undefined;
}

/** Refusal when the plan is for another target (another name, Consul address or datacenter). */
export function targetProblem(saved: SavedPlan, now: PlanTarget, file: string): SavedPlanProblem | undefined {
  const diffs: string[] = [];
  if (saved.target.name !== now.name) diffs.push(`target "${saved.target.name}" in the plan, "${now.name}" now`);
  if (saved.target.address !== now.address) diffs.push(`Consul ${saved.target.address} in the plan, ${now.address} now`);
  if ((saved.target.datacenter ?? '') !== (now.datacenter ?? ''))
    diffs.push(`datacenter ${saved.target.datacenter ?? '(agent default)'} in the plan, ${now.datacenter ?? '(agent default)'} now`);
  if (!diffs.length) return undefined;
  return { kind: 'target', file, message: `the plan was made for another target: ${diffs.join('; ')}` };
}

/** Refusal when the plan is older than `maxAgeMs` (or dated in the future beyond clock skew). */
export function ageProblem(saved: SavedPlan, now: Date, maxAgeMs: number, file: string): SavedPlanProblem | undefined {
  const age = now.getTime() - Date.parse(saved.createdAt);
  const SKEW_MS = 5 * 60_000;
  if (age < -SKEW_MS)
    return {
      kind: 'age',
      file,
      message: `the plan is dated ${saved.createdAt}, in the future (now ${now.toISOString()}): check the clocks, then make the plan again`,
    };
  if (age <= maxAgeMs) return undefined;
  return {
    kind: 'age',
    file,
    message: `the plan was made at ${saved.createdAt}, ${humanDuration(age)} ago, more than --max-plan-age ${humanDuration(maxAgeMs)}: make the plan again and review it`,
  };
}

/**
 * Refusal when Consul changed since the plan: an entry's ModifyIndex moved, an entry appeared or
 * went away. Compared over every entry read, not only the planned ones: the plan's checks (cross-entry
 * rules, mass-deletion guard, warnings) were made against all of them.
 */
export function changedSinceProblem(saved: SavedPlan, live: readonly LiveEntry[], file: string): SavedPlanProblem | undefined {
  const then = new Map(saved.read.map((r) => [entryKey(r.id), r]));
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const l of live) {
    const id = entryIdOf(l.entry);
    const key = entryKey(id);
    seen.add(key);
    const before = then.get(key);
    if (!before) lines.push(`${formatEntryId(id)}: created since the plan (ModifyIndex ${l.modifyIndex})`);
    else if (before.modifyIndex !== l.modifyIndex)
      lines.push(`${formatEntryId(id)}: changed since the plan (ModifyIndex ${before.modifyIndex} → ${l.modifyIndex})`);
  }
  for (const [key, r] of then) if (!seen.has(key)) lines.push(`${formatEntryId(r.id)}: deleted since the plan (it had ModifyIndex ${r.modifyIndex})`);
  if (!lines.length) return undefined;
  lines.sort();
  return {
    kind: 'changed',
    file,
    message: `Consul changed since the plan was made, so it is not the plan that was reviewed:\n${lines.map((l) => `  ${l}`).join('\n')}\nMake the plan again and review it`,
  };
}

export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

/** `--max-plan-age`: Go-style durations (`90s`, `30m`, `1h`, `1h30m`, `2d`), at least one second. */
export function parsePlanAge(raw: string): number | string {
  const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  if (!/^(\d{1,6}[smhd])+$/.test(raw)) return `--max-plan-age ${JSON.stringify(raw)}: expected a duration like 30m, 1h or 1h30m`;
  let ms = 0;
  for (const [, n, u] of raw.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * units[u];
  if (ms < 1000) return `--max-plan-age ${JSON.stringify(raw)}: must be at least 1s`;
  return ms;
}

/** sha256 over the files read, sorted by path: names the tree when there is no git commit. */
export function contentHashOf(files: readonly { path: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    h.update(`${JSON.stringify(f.path)}\n${f.text.length}\n${f.text}\n`);
  return `sha256:${h.digest('hex')}`;
}
