// The one form both sides of the diff are compared in: Consul's normalised form with server-set
// fields dropped and zero values (absent, null, {}, [], "", 0, false) treated as absent.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { normalizeEntry, typeOfField } from '../normalize.ts';
import { kindDefinition } from '../../model/registry.ts';
import { isPointer } from '../../model/field-types.ts';
import { stringifyApiJson } from '../api-json.ts';
import type { ConsulVersion } from '../../model/consul-versions.ts';
import { canonicalNestedTenancy, isEnterprise, sameTenancy } from '../../model/tenancy.ts';
import { ownValue, setOwn } from '../../model/own-key.ts';
import { hasBytesFields, liveBytesDecoded } from './live-bytes.ts';
import { OWNER_KEY, OWNER_VALUE, SOURCE_KEY } from './ownership.ts';

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
 * A CE live entry's canonical form, made without normalising it, when Consul holds exactly what the
 * file writes: Consul's copy without the server's fields (as canonicalOf builds its top level) has
 * the keys and values of withOwnership(`entry`, `sourcePath`), `entry` being the file's entry as
 * validation normalised it for this version. Equal values, not merely equal after normalising: the
 * same keys (in any order), the same types, scalars `===`. Normalising an entry that is already
 * normalised changes nothing (test/unit/core/plan/live-as-written.test.ts checks it for every kind on
 * random entries, and that the answer is canonicalOf's, key order included), so canonicalOf would
 * give this same copy back; a no-op plan spent most of its planning normalising Consul's 10,000
 * answers. Undefined when anything differs (the caller then runs canonicalOf), and for a kind with a
 * []byte field (Consul's copy of one is encoded once more than the file's, live-bytes.ts).
 *
 * Nothing is cached between runs: Consul's answer of this run is what is compared, so an edit made
 * in Consul since the last plan always shows.
 */
export function liveAsWritten(live: ApiEntry, entry: ApiEntry, sourcePath: string): ApiEntry | undefined {
  if (hasBytesFields(live.Kind) || !isPlainRecord(live)) return undefined;
  const em = entry.Meta ?? NO_META;
  const lm = live.Meta;
  if (!isPlainRecord(em) || !isPlainRecord(lm)) return undefined;
  const fields = kindDefinition(live.Kind)?.fields;
  const top: Record<string, unknown> = {};
  let count = 0;
  for (const k in live) {
    if (!Object.hasOwn(live, k) || SERVER_SET.has(k)) continue;
    const v = live[k];
    if ((k === 'Partition' || k === 'Namespace') && v === 'default') continue;
    // Consul answers a struct the entry leaves empty as `{}` (`TransparentProxy: {}`): normalising
    // drops it, as it drops an empty list or null, unless the field is a Go pointer (normalize.ts omitZero).
    if (!Object.hasOwn(entry, k) && emptyValue(v) && !isPointer(fields && Object.hasOwn(fields, k) ? typeOfField(fields[k]) : undefined)) continue;
    if (k !== 'Meta' && (!Object.hasOwn(entry, k) || !sameExactly(v, entry[k]))) return undefined;
    count++;
    setOwn(top, k, v);
  }
  // The written entry always has a Meta (the markers): the file's keys, then the markers over them.
  let entryCount = Object.hasOwn(entry, 'Meta') ? 0 : 1;
  for (const k in entry) if (Object.hasOwn(entry, k)) entryCount++;
  if (count !== entryCount || !Object.hasOwn(top, 'Meta')) return undefined;
  let metaCount = 0;
  for (const k in lm) {
    if (!Object.hasOwn(lm, k)) continue;
    metaCount++;
    const written = k === OWNER_KEY ? OWNER_VALUE : k === SOURCE_KEY ? sourcePath : Object.hasOwn(em, k) ? em[k] : undefined;
    if (written === undefined || !sameExactly(lm[k], written)) return undefined;
  }
  let writtenCount = 2;
  for (const k in em) if (Object.hasOwn(em, k) && k !== OWNER_KEY && k !== SOURCE_KEY) writtenCount++;
  return metaCount === writtenCount ? (top as ApiEntry) : undefined;
}

const NO_META: Record<string, unknown> = {};

/** null, `{}` or `[]`: what omitZero drops in any field but a Go pointer's, opaque maps included (a zero scalar it keeps in those). */
function emptyValue(v: unknown): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.length === 0 && Object.getPrototypeOf(v) === Array.prototype;
  if (!isPlainRecord(v)) return false;
  for (const k in v) if (Object.hasOwn(v, k)) return false;
  return true;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** The same JSON value: plain objects with the same own keys (any order), arrays item by item, scalars `===` (so 1 and 1n differ). */
function sameExactly(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || Object.getPrototypeOf(a) !== Array.prototype || Object.getPrototypeOf(b) !== Array.prototype)
      return false;
    for (let i = 0; i < a.length; i++) if (!(i in a) || !(i in b) || !sameExactly(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainRecord(a) || !isPlainRecord(b)) return false;
  let n = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    if (!Object.hasOwn(b, k) || !sameExactly(a[k], b[k])) return false;
    n++;
  }
  for (const k in b) if (Object.hasOwn(b, k)) n--;
  return n === 0;
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
  const out: FieldDiff[] = [];
  appendFieldDiffs(out, before, after, path);
  return out;
}

/** Appends in place: a list changed in place yields one difference per element, too many to spread as arguments (append-all.ts). */
function appendFieldDiffs(out: FieldDiff[], before: unknown, after: unknown, path: string): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of keys) appendFieldDiffs(out, ownValue(before, k), ownValue(after, k), path ? `${path}.${k}` : k);
  } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) appendFieldDiffs(out, before[i], after[i], `${path}[${i}]`);
  } else if (!sameScalar(before, after)) out.push({ path, before, after });
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
