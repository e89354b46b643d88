// A live entry's Go []byte fields in the form a file renders them to, for the comparison. Consul's
// PUT /v1/config stores a body's `[]byte` string as that string's raw bytes (ConfigApply decodes the
// body into interface{}, then DecodeConfigEntry's weak mapstructure turns a string into []uint8 with
// no base64 decode), and GET answers base64 of the stored bytes. consul-gitops PUTs base64 of the
// file's text (as `consul config write` does), so GET gives base64(base64(text)); one decode of the
// live value is the string the file renders to. The fields are the registry's `bytes` type.
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { FieldType, ObjectFields } from '../../model/field-types.ts';
import { kindDefinition } from '../../model/registry.ts';
import { setOwn } from '../../model/own-key.ts';
import { typeOfField } from '../normalize.ts';

/** Only the branches of a field type that lead to a []byte. */
type BytesPath = { t: 'bytes' } | { t: 'list' | 'map'; of: BytesPath } | { t: 'object'; fields: ReadonlyMap<string, BytesPath> };

/** Per struct (the registry's objects are fixed): its []byte branches, null when it has none (most kinds: nothing is copied). */
const pathsOf = new WeakMap<ObjectFields, BytesPath | null>();

function objectPaths(fields: ObjectFields): BytesPath | undefined {
  const cached = pathsOf.get(fields);
  if (cached !== undefined) return cached ?? undefined;
  const found = new Map<string, BytesPath>();
  for (const name of Object.keys(fields)) {
    const p = bytesPaths(typeOfField(fields[name]));
    if (p) found.set(name, p);
  }
  const result: BytesPath | undefined = found.size ? { t: 'object', fields: found } : undefined;
  pathsOf.set(fields, result ?? null);
  return result;
}

function bytesPaths(type: FieldType): BytesPath | undefined {
  switch (type.t) {
    case 'bytes':
      return type;
    case 'list':
    case 'map': {
      const of = bytesPaths(type.of);
      return of && { t: type.t, of };
    }
    case 'object':
      return objectPaths(type.fields);
    default:
      return undefined;
  }
}

/** Whether a kind has a []byte field anywhere (its live copy differs from the file's where it has one). */
export function hasBytesFields(kind: string): boolean {
  const def = kindDefinition(kind);
  return def !== undefined && objectPaths(def.fields) !== undefined;
}

/** The entry with each []byte value base64-decoded once; the input is never written to (a copy where something changes). */
export function liveBytesDecoded(entry: ApiEntry): ApiEntry {
  const def = kindDefinition(entry.Kind);
  const paths = def && objectPaths(def.fields);
  return paths ? (decoded(entry, paths) as ApiEntry) : entry;
}

function decoded(v: unknown, p: BytesPath): unknown {
  if (p.t === 'bytes') return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v;
  if (!v || typeof v !== 'object') return v;
  if (p.t === 'list') return Array.isArray(v) ? v.map((item) => decoded(item, p.of)) : v;
  const of = p.t === 'map' ? p.of : undefined;
  const fields = p.t === 'object' ? p.fields : undefined;
  if (Array.isArray(v)) return v;
  const record = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) {
    const inner = of ?? fields?.get(k);
    setOwn(out, k, inner ? decoded(record[k], inner) : record[k]);
  }
  return out;
}
