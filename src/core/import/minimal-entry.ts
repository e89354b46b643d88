// A live entry reduced to what a user would write: Consul's normalised form without server-set
// fields, ownership markers, zero values, or values Consul's Normalize() fills in by itself.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { fieldSpec, isPointer, type FieldType } from '../../model/field-types.ts';
import { kindDefinition } from '../../model/registry.ts';
import { normalizeEntry } from '../normalize.ts';
import { canonicalLive, diffValues } from '../plan/canonical.ts';
import { withoutOwnership } from '../plan/ownership.ts';

/** What a file must render to: the live entry as plan compares it, ownership markers aside. */
export function importTarget(live: ApiEntry): ApiEntry {
  return withoutOwnership(canonicalLive(live));
}

/**
 * The smallest entry whose normalised form equals `importTarget(live)`. Each field the kind's
 * normalize() would fill in anyway (intention Precedence and Type, …) is dropped: a field goes when
 * the entry without it normalises to the same thing. Identity fields (Name) always stay.
 */
export function minimalEntry(live: ApiEntry): ApiEntry {
  const target = importTarget(live);
  const def = kindDefinition(target.Kind);
  const current: ApiEntry = structuredClone(target);
  if (!def?.normalize) return current;
  for (const path of leafPaths(current, { t: 'object', fields: def.fields }, [])) {
    if (path.length === 1 && (path[0] === 'Name' || path[0] === 'Kind')) continue;
    // Removed in place and put back when it mattered (key order is the writer's business).
    const removed = removeAt(current, path);
    if (!removed) continue;
    if (diffValues(normalizeEntry(current), target).length !== 0) removed.restore();
  }
  return normalizeShape(current);
}

type Path = (string | number)[];

/** Struct fields (not map keys, not opaque contents), deepest last, in document order. */
function leafPaths(value: unknown, type: FieldType | undefined, at: Path): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...leafPaths(v, type?.t === 'list' ? type.of : undefined, [...at, i])));
    return out;
  }
  if (type?.t !== 'object' || !value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    const f = Object.hasOwn(type.fields, k) ? fieldSpec(type.fields[k]).type : undefined;
    out.push(...leafPaths(v, f, [...at, k]));
    if (f && f.t !== 'object' && f.t !== 'list') out.push([...at, k]);
  }
  return out;
}

function removeAt(root: Record<string, unknown>, path: Path): { restore(): void } | undefined {
  let node: unknown = root;
  for (const p of path.slice(0, -1)) {
    node = (node as Record<string | number, unknown>)?.[p];
    if (!node || typeof node !== 'object') return undefined;
  }
  const last = path[path.length - 1];
  const parent = node as Record<string, unknown>;
  if (Array.isArray(parent) || !Object.hasOwn(parent, last)) return undefined;
  const value = parent[last as string];
  delete parent[last as string];
  return { restore: () => void (parent[last as string] = value) };
}

/** Objects emptied by the removals disappear, as zero values do in Consul's JSON. */
function normalizeShape(entry: ApiEntry): ApiEntry {
  const def = kindDefinition(entry.Kind);
  const prune = (v: unknown, type: FieldType | undefined): unknown => {
    if (Array.isArray(v)) return v.map((x) => prune(x, type?.t === 'list' ? type.of : undefined));
    if (!v || typeof v !== 'object' || type?.t !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const f = Object.hasOwn(type.fields, k) ? fieldSpec(type.fields[k]).type : undefined;
      const p = prune(x, f);
      // A Go pointer to a struct stays when empty: Consul holds `PassiveHealthCheck {}` (field-types.ts `pointer`).
      if (f?.t === 'object' && !isPointer(f) && p && typeof p === 'object' && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  };
  return prune(entry, def ? { t: 'object', fields: def.fields } : undefined) as ApiEntry;
}
