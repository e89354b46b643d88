// Which fields of a kind are Go pointers to scalars (field-types.ts `pointer`), by field pattern
// (`UpstreamConfig.Overrides[].Limits.MaxConnections`, as src/model/consul-versions.ts writes paths):
// for readers that walk values rather than the kind's types, such as the plan's attribute diff,
// where an absent pointer is "unset", not the zero Consul reads for a plain field.
import { fieldSpec, isPointer, type FieldType, type ObjectFields } from './field-types.ts';
import { kindDefinition } from './registry.ts';

const byKind = new Map<string, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/** The kind's pointer field patterns; empty for a kind without any, or one the registry lacks. */
export function pointerFieldPatterns(kind: string | undefined): ReadonlySet<string> {
  if (kind === undefined) return NONE;
  let found = byKind.get(kind);
  if (!found) {
    const def = kindDefinition(kind);
    if (!def) return NONE;
    const out = new Set<string>();
    collect(def.fields, '', out);
    byKind.set(kind, (found = out.size ? out : NONE));
  }
  return found;
}

function collect(fields: ObjectFields, prefix: string, out: Set<string>): void {
  for (const [name, f] of Object.entries(fields)) visit(fieldSpec(f).type, prefix ? `${prefix}.${name}` : name, out);
}

function visit(type: FieldType, path: string, out: Set<string>): void {
  if (isPointer(type)) out.add(path);
  // A pointer to a struct is one itself and may hold pointer fields.
  if (type.t === 'object') collect(type.fields, path, out);
  else if (type.t === 'list') visit(type.of, `${path}[]`, out);
  // Below a map the user's key stands as `*` (resolver `Failover.*.Policy`): the plan's diff, which
  // matches concrete paths, never asks for one, as only pointer structs sit below a map so far, and
  // an object's absence already shows as added or removed there.
  else if (type.t === 'map') visit(type.of, `${path}.*`, out);
}
