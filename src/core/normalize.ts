// The normalised form: what Consul stores after its own Normalize() on write. The diff compares
// entries in this form, so desired and live state meet on equal terms.
import type { ApiEntry } from '../model/kind-definition.ts';
import { kindDefinition } from '../model/registry.ts';

export function normalizeEntry(entry: ApiEntry): ApiEntry {
  const def = kindDefinition(entry.Kind);
  const out = def?.normalize ? def.normalize(structuredClone(entry)) : structuredClone(entry);
  return omitZero(out) as ApiEntry;
}

/** Drops zero values ("" / 0 / false / null / {} / []) from structured fields, recursively. */
export function omitZero(value: unknown, opaqueKeys: ReadonlySet<string> = OPAQUE_KEYS): unknown {
  if (Array.isArray(value)) return value.map((v) => omitZeroInner(v, opaqueKeys));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (opaqueKeys.has(k)) {
        if (v !== undefined && v !== null) out[k] = v;
        continue;
      }
      const inner = omitZeroInner(v, opaqueKeys);
      if (!isZero(inner)) out[k] = inner;
    }
    return out;
  }
  return value;
}

function omitZeroInner(v: unknown, opaqueKeys: ReadonlySet<string>): unknown {
  return v && typeof v === 'object' ? omitZero(v, opaqueKeys) : v;
}

/** Maps whose keys and values are the user's own (Meta values may be empty on purpose). */
const OPAQUE_KEYS = new Set(['Config', 'Arguments', 'Meta', 'LegacyMeta']);

export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}
