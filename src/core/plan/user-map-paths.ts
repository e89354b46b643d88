// Which paths of a plan's attribute diff lie in a user's own map: inside an opaque value
// (proxy-defaults `Config`, an extension's `Arguments`, Go map[string]interface{}) or at a key of a
// typed map (`Meta`, header maps). There a key that is absent is absent, not the zero Consul reads
// for a plain struct field: `local_connect_timeout_ms` missing from Config is Envoy's default, not 0.
import { fieldSpec, type FieldSpec, type FieldType, type ObjectFields } from '../../model/field-types.ts';
import { kindDefinition } from '../../model/registry.ts';

/**
 * True when `path` (as the attribute diff spells it: `Config.x`, `Routes[0].Match` or its pattern
 * `Routes[].Match`, `Meta.k`) is a
 * map key or lies inside an opaque value of `kind`. False for struct fields and for paths the kind
 * does not describe (unknown fields keep the diff's old reading).
 */
export function inUserMap(kind: string | undefined, path: string): boolean {
  const def = kind === undefined ? undefined : kindDefinition(kind);
  if (!def) return false;
  let type: FieldType = { t: 'object', fields: def.fields };
  let rest = path;
  while (rest) {
    if (type.t === 'opaque') return true;
    if (type.t === 'object') {
      const m = /^\.?([A-Za-z0-9_]+)/.exec(rest);
      const fields: ObjectFields = type.fields;
      const field: FieldSpec | FieldType | undefined = m && Object.hasOwn(fields, m[1]) ? fields[m[1]] : undefined;
      if (!m || !field) return false;
      type = fieldSpec(field).type;
      rest = rest.slice(m[0].length);
    } else if (type.t === 'list') {
      const m = /^\[\d*\]/.exec(rest);
      if (!m) return false;
      type = type.of;
      rest = rest.slice(m[0].length);
    } else if (type.t === 'map') {
      if (!rest.startsWith('.')) return false;
      // A map of scalars: the rest is the key (it may hold dots). Otherwise the key ends at the value's own path.
      const scalar = type.of.t !== 'object' && type.of.t !== 'list' && type.of.t !== 'map' && type.of.t !== 'opaque';
      const key = scalar ? rest.slice(1) : /^\.([^.[]+)/.exec(rest)?.[1];
      if (!key) return false;
      rest = rest.slice(1 + key.length);
      // The path names the key itself: its presence is the value.
      if (!rest) return true;
      type = type.of;
    } else return false;
  }
  // The path names a field itself (`Config` whole): a struct field, read as the diff reads fields.
  return false;
}
