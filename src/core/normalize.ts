// The normalised form: what Consul stores after its own Normalize() on write. The diff compares
// entries in this form, so desired and live state meet on equal terms.
import type { ApiEntry } from '../model/kind-definition.ts';
import { isPointer, type FieldSpec, type FieldType } from '../model/field-types.ts';
import { kindDefinition } from '../model/registry.ts';
import type { ConsulVersion } from '../model/consul-versions.ts';
import { setOwn } from '../model/own-key.ts';

/**
 * `consul`: the target's Consul version, for rules that changed between versions (newest when absent).
 *
 * No copy is made first: every kind's Normalize copies what it changes and never writes to its
 * input (test/unit/core/normalize-no-copy.test.ts freezes the input of each), and omitZero copies
 * only what it changes. The result shares every unchanged part with the input: normalised forms
 * are read-only, and so is the input from then on. A deep copy per entry, desired and live, was a
 * good part of the garbage (and of the survivors) of a 10,000-entry plan.
 */
export function normalizeEntry(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const def = kindDefinition(entry.Kind);
  const out = def?.normalize ? def.normalize(entry, consul) : entry;
  const normalized = omitZero(out, OPAQUE_KEYS, def ? { t: 'object', fields: def.fields } : undefined) as ApiEntry;
  // The top level is always a new object (a kind's Normalize makes one): callers may add to it.
  return normalized === entry ? { ...entry } : normalized;
}

/**
 * Drops zero values ("" / 0 / false / null / {} / []) from structured fields, recursively, except
 * the zero of a Go pointer field (`EnforcingConsecutive5xx = 0`), which Consul keeps. With the
 * field type known, the keys of a map (resolver Subsets, header maps) are data, not struct fields:
 * they are kept even when their value is zero (`Subsets { all = {} }` is a subset).
 *
 * Copy on write: an object or list with nothing to drop is returned as it is, so a normalised form
 * shares every unchanged part with its input (read-only, as normalised forms are). A fresh copy of
 * every part of every entry, desired and live, was most of what a 10,000-entry plan kept alive
 * while the young generation was scavenged (each survivor is copied there, twice).
 */
export function omitZero(value: unknown, opaqueKeys: ReadonlySet<string> = OPAQUE_KEYS, type?: FieldType): unknown {
  if (Array.isArray(value)) return omitZeroList(value, opaqueKeys, type?.t === 'list' ? type.of : undefined);
  if (value && typeof value === 'object') return omitZeroRecord(value as Record<string, unknown>, opaqueKeys, type);
  return value;
}

function omitZeroList(list: unknown[], opaqueKeys: ReadonlySet<string>, of: FieldType | undefined): unknown[] {
  // Only a plain array is shared: anything else becomes one, as `map` made it before.
  if (Object.getPrototypeOf(list) !== Array.prototype) return list.map((v) => omitZeroInner(v, opaqueKeys, of));
  for (let i = 0; i < list.length; i++) {
    const item = omitZeroInner(list[i], opaqueKeys, of);
    if (item === list[i]) continue;
    // The items before are kept as they are, this one and the rest are done once each (as `map` does, holes stay holes).
    const out = list.slice(0, i);
    out.length = list.length;
    out[i] = item;
    for (let j = i + 1; j < list.length; j++) if (j in list) out[j] = omitZeroInner(list[j], opaqueKeys, of);
    return out;
  }
  return list;
}

function omitZeroRecord(record: Record<string, unknown>, opaqueKeys: ReadonlySet<string>, type: FieldType | undefined): Record<string, unknown> {
  // for-in over own keys, not Object.keys or entries: this runs on every field of every entry of a
  // plan, and an array of keys (or of [key, value] pairs) per object was a good part of the garbage
  // a 10,000-entry plan collects. Own enumerable keys come in Object.keys' order.
  const isMap = type?.t === 'map';
  const fields = type?.t === 'object' ? type.fields : undefined;
  // Made at the first key that changes (the keys before it are copied as they are); a record that is
  // not a plain object is always rebuilt as one, as before.
  let out: Record<string, unknown> | undefined = Object.getPrototypeOf(record) === Object.prototype ? undefined : {};
  for (const k in record) {
    if (!Object.hasOwn(record, k)) continue;
    const v = record[k];
    let kept: unknown;
    let drop: boolean;
    if (isMap) {
      drop = v === undefined;
      kept = drop ? v : omitZeroInner(v, opaqueKeys, (type as { of: FieldType }).of);
    } else if (opaqueKeys.has(k)) {
      // A user's map is kept verbatim, but an empty one is as absent as null (Consul: `"Config": null`).
      drop = v === undefined || v === null || (typeof v === 'object' && !hasOwnKeys(v));
      kept = v;
    } else {
      const f = fields && Object.prototype.hasOwnProperty.call(fields, k) ? typeOfField(fields[k]) : undefined;
      kept = omitZeroInner(v, opaqueKeys, f);
      // A Go pointer's zero is a value Consul stores and answers (field-types.ts `pointer`): only
      // null or absent is unset. Asked only of a zero, so the common path costs nothing more.
      drop = isZero(kept) && (kept === undefined || kept === null || !isPointer(f));
    }
    if (out === undefined) {
      if (!drop && kept === v) continue;
      out = {};
      for (const j in record) {
        if (j === k) break;
        if (Object.hasOwn(record, j)) setOwn(out, j, record[j]);
      }
    }
    // setOwn: a user's map may hold a key named __proto__, which assignment would drop.
    if (!drop) setOwn(out, k, kept);
  }
  return out ?? record;
}

/** Object.keys(v).length > 0, without the array. */
export function hasOwnKeys(v: object): boolean {
  for (const k in v) if (Object.hasOwn(v, k)) return true;
  return false;
}

/** fieldSpec(f).type without the wrapper object fieldSpec makes for a bare type (one per nested field of every entry, else). */
export function typeOfField(f: FieldType | FieldSpec): FieldType {
  return 'type' in f ? f.type : f;
}

function omitZeroInner(v: unknown, opaqueKeys: ReadonlySet<string>, type?: FieldType): unknown {
  return v && typeof v === 'object' ? omitZero(v, opaqueKeys, type) : v;
}

/** Maps whose keys and values are the user's own (Meta values may be empty on purpose). */
const OPAQUE_KEYS = new Set(['Config', 'Arguments', 'Meta', 'LegacyMeta']);

export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return !hasOwnKeys(v);
  return false;
}
