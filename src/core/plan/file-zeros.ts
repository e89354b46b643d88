// The zero values a file writes out (`DialedDirectly = false`, `MaxInboundConnections = 0`): the
// decoder drops them (Consul reads them as absent), but a plan shows what the file says, so they
// are recovered from the decoded field positions and the kind's field types.
import { cloneData } from '../clone-data.ts';
import type { DecodedEntry } from '../../decode/entry-source.ts';
import { FieldPositions } from '../../decode/field-positions.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { fieldSpec, zeroValueOf, type FieldType, type ObjectFields } from '../../model/field-types.ts';
import { kindDefinition } from '../../model/registry.ts';

type Segment = string | number;

/**
 * Zero values the file wrote, by API field path in file order (`TransparentProxy` → {},
 * `TransparentProxy.DialedDirectly` → false); undefined when none. `cache`: shared by the entries of one plan.
 */
export function explicitZeros(d: Pick<DecodedEntry, 'entry' | 'fieldPositions'>, cache: ZeroPathCache = new Map()): Record<string, unknown> | undefined {
  // The decoder kept a value at every path it recorded: nothing to find (most files write no zero).
  // Stages after decoding only add to an entry (tenancy-scope.ts fills Namespace and Partition).
  if (d.fieldPositions instanceof FieldPositions && d.fieldPositions.everyValueKept) return undefined;
  const def = kindDefinition(d.entry.Kind);
  if (!def) return undefined;
  // Made only for a file that writes a zero: most write none, and a plan asks of every entry.
  let out: Record<string, unknown> | undefined;
  const byPath = pathsOf(def.fields, cache);
  for (const path of d.fieldPositions.keys()) {
    // A top-level field the entry holds is no dropped zero: answered without resolving its path
    // (resolved, it is the one segment `path`, whose value get() reads as entry[path]).
    if (isTopLevel(path) && (d.entry as Record<string, unknown>)[path] !== undefined) continue;
    const resolved = resolvedField(def.fields, path, byPath);
    if (!resolved || get(d.entry, resolved.segments) !== undefined) continue;
    // Parents come before their fields (`TransparentProxy` {} then `.DialedDirectly` false inside it).
    (out ??= {})[path] = zeroValueOf(resolved.type);
  }
  return out;
}

/**
 * A path of one field name: no dot, no index, nothing for resolve() to split (/^[A-Za-z0-9_]+$/).
 * Character codes, not the regular expression: asked of every field of every entry of a plan, the
 * regex was a sixth of the planner's own time at 10,000 entries.
 */
function isTopLevel(path: string): boolean {
  if (path.length === 0) return false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    // 0-9, A-Z, _, a-z
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

/** The entry with the file's zero values put back in: what the file says, for display. */
export function withExplicitZeros(entry: ApiEntry, zeros: Readonly<Record<string, unknown>> | undefined): ApiEntry {
  if (!zeros) return entry;
  const def = kindDefinition(entry.Kind);
  if (!def) return entry;
  const root: FieldType = { t: 'object', fields: def.fields };
  const out = cloneData(entry) as Record<string, unknown>;
  for (const [path, value] of Object.entries(zeros)) {
    const resolved = resolve(root, path);
    if (resolved) set(out, resolved.segments, cloneData(value));
  }
  return out as ApiEntry;
}

type Resolved = { segments: Segment[]; type: FieldType } | undefined;

/**
 * resolve's answers by kind and path, for one plan: every entry of a kind has the same few paths
 * (`Name`, `Protocol`), asked for once per entry. Kept per plan, not per process: a long-running
 * `serve` would otherwise keep every path any file ever had. Read-only: callers never change the segments.
 */
export type ZeroPathCache = Map<ObjectFields, Map<string, Resolved | null>>;

/** The kind's answers, looked up once per entry rather than once per field. */
function pathsOf(fields: ObjectFields, cache: ZeroPathCache): Map<string, Resolved | null> {
  let byPath = cache.get(fields);
  if (!byPath) cache.set(fields, (byPath = new Map<string, Resolved | null>()));
  return byPath;
}

/** One lookup per field: a path that resolves to nothing is kept as null. */
function resolvedField(fields: ObjectFields, path: string, byPath: Map<string, Resolved | null>): Resolved {
  const known = byPath.get(path);
  if (known !== undefined) return known ?? undefined;
  const resolved = resolve({ t: 'object', fields }, path);
  byPath.set(path, resolved ?? null);
  return resolved;
}

/**
 * A field path split by the kind's types, so a map key may hold dots (`Meta.consul.io/x` is the
 * key `consul.io/x` of Meta). Undefined for paths into opaque values, which keep their zeros.
 */
function resolve(root: FieldType, path: string): Resolved {
  const segments: Segment[] = [];
  let type = root;
  let rest = path;
  while (rest) {
    if (type.t === 'object') {
      const m = /^\.?([A-Za-z0-9_]+)/.exec(rest);
      const field = m && Object.prototype.hasOwnProperty.call(type.fields, m[1]) ? type.fields[m[1]] : undefined;
      if (!m || !field) return undefined;
      segments.push(m[1]);
      type = fieldSpec(field).type;
      rest = rest.slice(m[0].length);
    } else if (type.t === 'list') {
      const m = /^\[(\d+)\]/.exec(rest);
      if (!m) return undefined;
      segments.push(Number(m[1]));
      type = type.of;
      rest = rest.slice(m[0].length);
    } else if (type.t === 'map') {
      if (!rest.startsWith('.')) return undefined;
      const scalarValues = type.of.t !== 'object' && type.of.t !== 'list' && type.of.t !== 'map' && type.of.t !== 'opaque';
      const key = scalarValues ? rest.slice(1) : /^\.([^.[]+)/.exec(rest)?.[1];
      if (!key) return undefined;
      segments.push(key);
      type = type.of;
      rest = rest.slice(1 + key.length);
    } else return undefined;
  }
  return { segments, type };
}

function get(value: unknown, segments: readonly Segment[]): unknown {
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

function set(target: Record<string, unknown>, segments: readonly Segment[], value: unknown): void {
  let v: Record<string | number, unknown> = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i];
    if (v[s] === undefined || v[s] === null) v[s] = typeof segments[i + 1] === 'number' ? [] : {};
    const next = v[s];
    if (typeof next !== 'object' || next === null) return;
    v = next as Record<string | number, unknown>;
  }
  v[segments[segments.length - 1]] = value;
}
