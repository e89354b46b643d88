// Fields a live entry carries that the registry does not know (a newer Consul, an Enterprise
// field): writing the file's version of the entry would remove them, since Consul's write replaces
// the whole entry (agent/consul/state/config_entry.go ensureConfigEntryTxn stores the new value).
import { fieldSpec, type FieldType, type ObjectFields } from '../../model/field-types.ts';
import { typeOfField } from '../normalize.ts';
import { kindDefinition } from '../../model/registry.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';

/** Paths (`Listeners[0].MaxRequestHeadersKB`) of the fields of `entry` its kind's registry entry lacks. */
export function unknownFields(entry: ApiEntry): string[] {
  const def = kindDefinition(entry.Kind);
  if (!def) return [];
  // Almost every live entry has none: asked first without building a path, so a no-op plan makes no string per nested field.
  if (!objectHasUnknown(entry, def.fields, true)) return [];
  const out: string[] = [];
  walkObject(entry, def.fields, '', out, true);
  return out;
}

/** Whether walkObject would find anything: the same walk, answering at the first unknown field. */
function objectHasUnknown(value: Record<string, unknown>, fields: ObjectFields, top: boolean): boolean {
  // for-in over own keys: Object.keys' keys, without an array per object.
  for (const k in value) {
    if (!Object.hasOwn(value, k) || (top && k === 'Kind')) continue;
    if (!Object.hasOwn(fields, k)) return true;
    const v = value[k];
    if (typeof v === 'object' && v !== null && valueHasUnknown(v, typeOfField(fields[k]))) return true;
  }
  return false;
}

function valueHasUnknown(v: unknown, type: FieldType): boolean {
  if (type.t === 'object' && isRecord(v)) return objectHasUnknown(v, type.fields, false);
  if (type.t === 'list' && Array.isArray(v)) {
    // Holes are skipped, as forEach skips them.
    for (let i = 0; i < v.length; i++) if (i in v && valueHasUnknown(v[i], type.of)) return true;
  } else if (type.t === 'map' && isRecord(v)) for (const k in v) if (Object.hasOwn(v, k) && valueHasUnknown(v[k], type.of)) return true;
  return false;
}

function walkObject(value: Record<string, unknown>, fields: ObjectFields, path: string, out: string[], top: boolean): void {
  for (const k of Object.keys(value)) {
    if (top && k === 'Kind') continue;
    if (!Object.hasOwn(fields, k)) {
      out.push(path ? `${path}.${k}` : k);
      continue;
    }
    // Only a nested value can hold an unknown field: a scalar's path is never built.
    const v = value[k];
    if (typeof v === 'object' && v !== null) walkValue(v, fieldSpec(fields[k]).type, path ? `${path}.${k}` : k, out);
  }
}

function walkValue(v: unknown, type: FieldType, path: string, out: string[]): void {
  if (type.t === 'object' && isRecord(v)) walkObject(v, type.fields, path, out, false);
  else if (type.t === 'list' && Array.isArray(v)) v.forEach((item, i) => walkValue(item, type.of, `${path}[${i}]`, out));
  else if (type.t === 'map' && isRecord(v)) for (const k of Object.keys(v)) walkValue(v[k], type.of, `${path}.${k}`, out);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field diff that only removes an unknown field (its path is, or lies under, a lost path). */
export function underLostField(diffPath: string, lost: readonly string[]): boolean {
  return lost.some((p) => diffPath === p || diffPath.startsWith(`${p}.`) || diffPath.startsWith(`${p}[`));
}
