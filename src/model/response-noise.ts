// Helpers the kinds' response shapes share: the zero noise encoding/json adds inside nested server
// structs (a struct field without `omitempty` is always printed, as its zero value when unset).

/** The value as an object, or an empty one. */
export function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Inserts `defaults` (keeping given values) right after field `after`, preserving the rest. */
export function withFieldsAfter(src: Record<string, unknown>, defaults: readonly (readonly [string, unknown])[], after: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(src);
  if (!keys.includes(after)) for (const [k, v] of defaults) out[k] = src[k] ?? v;
  for (const k of keys) {
    if (defaults.some(([d]) => d === k) && k in out) continue;
    out[k] = src[k];
    if (k === after) for (const [d, v] of defaults) out[d] = src[d] ?? v;
  }
  return out;
}
