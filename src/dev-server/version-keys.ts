// The dev server started as an older Consul (`dev-server --consul-version 1.21.4`): fields that
// version's structs lack are keys mapstructure leaves unused, which validateUnusedKeys
// (agent/structs/config_entry_ce.go) refuses with a 400, as for the CE-only keys in ce-keys.ts.
import { multiErrorText } from '../decode/api-body.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { FIELD_SINCE, atLeast, fieldsNewerThan, type ConsulVersion } from '../model/consul-versions.ts';
import { aliasesOf, fieldSpec, type FieldType, type ObjectFields } from '../model/field-types.ts';
import { kindDefinition } from '../model/registry.ts';

const knowsEveryField = new WeakMap<ConsulVersion, boolean>();

/**
 * Whether `version` has every dated field (the newest modelled, the default, does): then no key of
 * any entry is too new, and the walk over the entry's fields (every write) is skipped.
 */
function knowsAll(version: ConsulVersion): boolean {
  let known = knowsEveryField.get(version);
  if (known === undefined) {
    known = Object.values(FIELD_SINCE).every((fields) => Object.values(fields).every((since) => atLeast(version, since)));
    knowsEveryField.set(version, known);
  }
  return known;
}

/**
 * The 400 body for fields `version` does not know yet, or undefined. Paths are the canonical spelling;
 * `given`: the body's field paths (its keys).
 * `body`: the request's JSON, for keys given as null, which the decoder drops (a null sets nothing
 * where the field exists) but mapstructure still lists as unused where the struct has no such field:
 * decodeStructFromMap adds every key it matched to no field to Metadata.Unused whatever its value, and
 * DecodeConfigEntry's validateUnusedKeys refuses them (agent/structs/config_entry.go). So Consul 2.0
 * answers `"ECDHCurves": null` with `invalid config key "TLS.Incoming.ECDHCurves"`.
 */
export function tooNewKeyError(entry: ApiEntry, version: ConsulVersion, given?: { keys(): Iterable<string> }, body?: string): string | undefined {
  if (knowsAll(version)) return undefined;
  // `given` whole, its paths read only here: the default version (every write) never walks them.
  const paths = fieldsNewerThan(entry, version, given?.keys()).map((f) => f.path);
  if (body?.includes('null')) for (const p of nullKeysNewerThan(body, entry.Kind, version)) if (!paths.includes(p)) paths.push(p);
  if (!paths.length) return undefined;
  return `Request decoding failed: ${multiErrorText(paths.map((p) => `invalid config key "${p}"`))}`;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The field a raw key names: the Go name in any case, or one of its alias tags (HookTranslateKeys). */
function fieldOf(fields: ObjectFields, key: string): [string, FieldType] | undefined {
  const lower = key.toLowerCase();
  for (const [name, f] of Object.entries(fields)) {
    const spec = fieldSpec(f);
    if (name.toLowerCase() === lower || aliasesOf(name, spec).includes(lower)) return [name, spec.type];
  }
  return undefined;
}

/** Keys the body gives as null whose field `version` lacks: mapstructure's unused-key path, parent canonical, key as written. */
function nullKeysNewerThan(body: string, kind: string, version: ConsulVersion): string[] {
  const since = FIELD_SINCE[kind];
  const def = kindDefinition(kind);
  if (!since || !def) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return [];
  }
  const out: string[] = [];
  const visit = (value: unknown, type: FieldType, generic: string, concrete: string): void => {
    if (type.t === 'list' && Array.isArray(value)) value.forEach((item, i) => visit(item, type.of, `${generic}[]`, `${concrete}[${i}]`));
    if (type.t !== 'object' || !isObj(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const field = fieldOf(type.fields, key);
      if (!field) continue;
      const g = generic ? `${generic}.${field[0]}` : field[0];
      const introduced = since[g];
      if (item === null) {
        if (introduced && !atLeast(version, introduced)) out.push(concrete ? `${concrete}.${key}` : key);
      } else if (!introduced || atLeast(version, introduced)) visit(item, field[1], g, concrete ? `${concrete}.${field[0]}` : field[0]);
    }
  };
  visit(raw, { t: 'object', fields: def.fields }, '', '');
  return out;
}
