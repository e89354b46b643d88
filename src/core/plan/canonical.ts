// The one form both sides of the diff are compared in: Consul's normalised form with server-set
// fields dropped and zero values (absent, null, {}, [], "", 0, false) treated as absent.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { normalizeEntry } from '../normalize.ts';
import { stringifyApiJson } from '../api-json.ts';
import type { ConsulVersion } from '../../model/consul-versions.ts';
import { canonicalNestedTenancy, isEnterprise, sameTenancy } from '../../model/tenancy.ts';
import { ownValue, setOwn } from '../../model/own-key.ts';
import { liveBytesDecoded } from './live-bytes.ts';

/** Fields Consul sets itself: never part of desired state. */
const SERVER_SET = new Set(['CreateIndex', 'ModifyIndex', 'Hash', 'Status']);

/**
 * One canonical form per live entry and version: a plan needs it for the diff and the final state
 * (and `--only` for its checks), and at 10,000 entries each pass costs a tenth of a second.
 * Callers treat canonical forms as read-only (they are compared and rendered, never changed).
 */
const canonicalCache = new WeakMap<ApiEntry, CachedCanonical>();

/** A plan asks for one version per entry: that one is kept inline, others (rare) in a map, so 50,000 entries do not make 50,000 maps. */
interface CachedCanonical {
  version: string;
  canonical: ApiEntry;
  others?: Map<string, ApiEntry>;
}

export function canonicalLive(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const version = consul ? `${consul.major}.${consul.minor}.${consul.patch}` : '';
  const cached = canonicalCache.get(entry);
  if (cached?.version === version) return cached.canonical;
  const other = cached?.others?.get(version);
  if (other) return other;
  const canonical = canonicalOf(entry, consul);
  if (!cached) canonicalCache.set(entry, { version, canonical });
  else (cached.others ??= new Map<string, ApiEntry>()).set(version, canonical);
  return canonical;
}

/**
 * A live entry's canonical form, made afresh (a plan keeps its own per entry, plan.ts). The top level without the server's fields (built, not deleted from a copy: deleting turned every
 * copy into a slow dictionary object), then normalised. No deep copy: normalizeEntry never writes
 * to its input and builds its result afresh (normalize.ts), so Consul's copy is only read.
 */
export function canonicalOf(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const top: Record<string, unknown> = {};
  for (const k in entry) {
    if (!Object.hasOwn(entry, k) || SERVER_SET.has(k)) continue;
    const v = entry[k];
    // Enterprise fills these with "default"; a file that omits them means the same.
    if ((k === 'Partition' || k === 'Namespace') && v === 'default') continue;
    // A key named __proto__ stays an own property, as the spread kept it.
    setOwn(top, k, v);
  }
  // A []byte comes back from Consul base64-encoded once more than the file's form (live-bytes.ts).
  return canonicalNestedTenancy(normalizeEntry(liveBytesDecoded(top as ApiEntry), consul), consul);
}

/**
 * The file's side of the same comparison. On Enterprise, a file that spells out the `default`
 * namespace or partition means what Consul's copy (which always has them) means, and nested tenancy
 * fields meet Consul's copy in canonicalNestedTenancy's form. CE is unchanged: a CE Consul rejects
 * any Namespace or Partition, so such a file must still show as a change.
 */
export function canonicalDesired(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const normalized = normalizeEntry(entry, consul);
  if (!isEnterprise(consul)) return normalized;
  const copy: Record<string, unknown> = { ...normalized };
  for (const k of ['Partition', 'Namespace']) if (typeof copy[k] === 'string' && sameTenancy(copy[k], '')) delete copy[k];
  return canonicalNestedTenancy(copy as ApiEntry, consul);
}

export interface FieldDiff {
  path: string;
  before: unknown;
  after: unknown;
}

/** Field-level differences between two canonical values; empty when they are equal. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldDiff[] {
  // Most entries of a plan are unchanged: telling so allocates nothing (no key sets, no paths).
  return sameValue(before, after) ? [] : fieldDiffs(before, after, path);
}

/** True exactly when fieldDiffs finds nothing: the same walk, without building paths or lists. */
export function sameValue(before: unknown, after: unknown): boolean {
  if (isPlainObject(before) && isPlainObject(after)) {
    // for-in over own keys is Object.keys without the array: a no-op plan compares every field of
    // every entry, and those arrays were the largest single kind of its garbage. The answer is an
    // AND of side-effect-free checks, so the order of visiting does not matter.
    // ownValue: a key one side lacks reads as absent, not as what every object inherits (`constructor`).
    for (const k in before) if (Object.hasOwn(before, k) && !sameValue(before[k], ownValue(after, k))) return false;
    for (const k in after) if (Object.hasOwn(after, k) && !Object.hasOwn(before, k) && !sameValue(undefined, after[k])) return false;
    return true;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) if (!sameValue(before[i], after[i])) return false;
    return true;
  }
  return sameScalar(before, after);
}

function fieldDiffs(before: unknown, after: unknown, path: string): FieldDiff[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: FieldDiff[] = [];
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of keys) out.push(...fieldDiffs(ownValue(before, k), ownValue(after, k), path ? `${path}.${k}` : k));
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => fieldDiffs(b, after[i], `${path}[${i}]`));
  }
  return sameScalar(before, after) ? [] : [{ path, before, after }];
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // 64-bit integers arrive as bigint from HCL and as number or bigint from Consul.
  if (numeric(a) && numeric(b)) return String(a) === String(b);
  if (typeof a === 'object' && typeof b === 'object') return stringifyApiJson(a, 0) === stringifyApiJson(b, 0);
  return false;
}

/** A module function, not a closure made on each call: sameScalar runs for every field of every entry of a plan. */
function numeric(v: unknown): boolean {
  return typeof v === 'bigint' || typeof v === 'number';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
