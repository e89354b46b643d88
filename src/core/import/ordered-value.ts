// An entry's fields laid out as a file shows them: the registry's field order (Go api order),
// durations as Go prints them or as the API sends them, keys in API case or CRD camelCase.
import { fieldSpec, type FieldType, type ObjectFields } from '../../model/field-types.ts';
import { formatGoDuration } from '../../decode/duration.ts';
import { setOwn } from '../../model/own-key.ts';

export interface Layout {
  /** `text`: "5s" as `consul config read`'s HCL and CRDs show them; `api`: as the field's JSON encoding. */
  durations: 'text' | 'api';
  /** `camel`: consul-k8s spec keys (`mutualTLSMode`); `api`: Consul's (`MutualTLSMode`). */
  keys: 'api' | 'camel';
}

/** The value with struct keys in registry order; keys the registry does not know keep their place at the end. */
export function orderedValue(value: unknown, type: FieldType | undefined, layout: Layout): unknown {
  if (value === undefined || value === null) return value;
  if (type?.t === 'duration' && typeof value === 'number') return layout.durations === 'text' ? formatGoDuration(value) : value;
  // A Go []byte comes here once decoded already (canonicalLive: the base64 the file renders to); a file
  // holds its text (the CLI sends base64 of the string's bytes), a CRD keeps base64.
  if (type?.t === 'bytes' && typeof value === 'string' && layout.keys !== 'camel') return Buffer.from(value, 'base64').toString('utf8');
  if (Array.isArray(value)) return value.map((v) => orderedValue(v, type?.t === 'list' ? type.of : undefined, layout));
  if (typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (type?.t === 'map') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) setOwn(out, k, orderedValue(v, type.of, layout));
    return out;
  }
  if (type?.t !== 'object') return value; // opaque: the user's own map, verbatim
  return orderedObject(record, type.fields, layout);
}

export function orderedObject(record: Record<string, unknown>, fields: ObjectFields, layout: Layout): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields))
    if (Object.hasOwn(record, name)) out[keyOf(name, layout)] = orderedValue(record[name], fieldSpec(f).type, layout);
  for (const [k, v] of Object.entries(record)) if (!Object.hasOwn(fields, k)) setOwn(out, keyOf(k, layout), v);
  return out;
}

function keyOf(name: string, layout: Layout): string {
  return layout.keys === 'camel' ? camelCase(name) : name;
}

/**
 * consul-k8s's JSON tag for an api field: the leading capitals lower-cased, keeping the capital that
 * starts the next word (`MutualTLSMode` → `mutualTLSMode`, `TLSMinVersion` → `tlsMinVersion`, `HTTP` → `http`).
 */
export function camelCase(name: string): string {
  const m = /^[A-Z]+/.exec(name);
  if (!m) return name;
  const run = m[0];
  if (run.length === name.length) return name.toLowerCase();
  if (run.length === 1) return run.toLowerCase() + name.slice(1);
  return run.slice(0, -1).toLowerCase() + name.slice(run.length - 1);
}
