// The normalised form: what Consul stores after its own Normalize() on write. The diff compares
// entries in this form, so desired and live state meet on equal terms.
import { cloneData } from './clone-data.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import type { FieldSpec, FieldType } from '../model/field-types.ts';
import { kindDefinition } from '../model/registry.ts';
import type { ConsulVersion } from '../model/consul-versions.ts';

/** `consul`: the target's Consul version, for rules that changed between versions (newest when absent). */
export function normalizeEntry(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  return normalizeOwnedEntry(cloneData(entry), consul);
}

/**
 * normalizeEntry of an entry the caller has just copied and gives up (the kind's Normalize may
 * change it in place): the planner's canonical form of a live entry copies it once, not twice.
 */
export function normalizeOwnedEntry(entry: ApiEntry, consul?: ConsulVersion): ApiEntry {
  const def = kindDefinition(entry.Kind);
  const out = def?.normalize ? def.normalize(entry, consul) : entry;
  return omitZero(out, OPAQUE_KEYS, def ? { t: 'object', fields: def.fields } : undefined) as ApiEntry;
}

/**
 * Drops zero values ("" / 0 / false / null / {} / []) from structured fields, recursively. With the
 * field type known, the keys of a map (resolver Subsets, header maps) are data, not struct fields:
 * they are kept even when their value is zero (`Subsets { all = {} }` is a subset).
 */
export function omitZero(value: unknown, opaqueKeys: ReadonlySet<string> = OPAQUE_KEYS, type?: FieldType): unknown {
  if (Array.isArray(value)) return value.map((v) => omitZeroInner(v, opaqueKeys, type?.t === 'list' ? type.of : undefined));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Object.keys, not entries: this runs on every field of every entry of a plan, twice, and a
    // [key, value] pair per field was a good part of the garbage a 10,000-entry plan collects.
    const record = value as Record<string, unknown>;
    if (type?.t === 'map') {
      for (const k of Object.keys(record)) {
        const v = record[k];
        if (v !== undefined) out[k] = omitZeroInner(v, opaqueKeys, type.of);
      }
      return out;
    }
    const fields = type?.t === 'object' ? type.fields : undefined;
    for (const k of Object.keys(record)) {
      const v = record[k];
      if (opaqueKeys.has(k)) {
        // A user's map is kept verbatim, but an empty one is as absent as null (Consul: `"Config": null`).
        if (v !== undefined && v !== null && !(typeof v === 'object' && Object.keys(v).length === 0)) out[k] = v;
        continue;
      }
      const f = fields && Object.prototype.hasOwnProperty.call(fields, k) ? typeOfField(fields[k]) : undefined;
      const inner = omitZeroInner(v, opaqueKeys, f);
      if (!isZero(inner)) out[k] = inner;
    }
    return out;
  }
  return value;
}

/** fieldSpec(f).type without the wrapper object fieldSpec makes for a bare type. */
function typeOfField(f: FieldType | FieldSpec): FieldType {
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
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
