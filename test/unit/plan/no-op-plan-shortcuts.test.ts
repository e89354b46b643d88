// A no-op plan asks three questions of every entry, and each is now answered without building
// what the answer did not need: sameValue walks own keys without an Object.keys array,
// unknownFields says "none" without building a path per nested field, and explicitZeros skips a
// top-level field the entry holds without resolving its path. Each must answer exactly what the
// old function answered: random entries of every kind (test/support/random-entries.ts), against
// the old functions copied here as they were.
import { describe, expect, it } from 'vitest';
import { sameValue } from '../../../src/core/plan/canonical.ts';
import { unknownFields } from '../../../src/core/plan/unknown-fields.ts';
import { explicitZeros } from '../../../src/core/plan/file-zeros.ts';
import { stringifyApiJson } from '../../../src/core/api-json.ts';
import { cloneData } from '../../../src/core/clone-data.ts';
import { KINDS, kindDefinition } from '../../../src/model/registry.ts';
import { fieldSpec, zeroValueOf, type FieldType, type ObjectFields } from '../../../src/model/field-types.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';
import { entryOf, put, scalar } from '../../support/random-entries.ts';

/** canonical.ts sameValue as it was: Object.keys of both sides. */
function oldSameValue(before: unknown, after: unknown): boolean {
  const plain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (plain(before) && plain(after)) {
    for (const k of Object.keys(before)) if (!oldSameValue(before[k], Object.hasOwn(after, k) ? after[k] : undefined)) return false;
    for (const k of Object.keys(after)) if (!Object.hasOwn(before, k) && !oldSameValue(undefined, after[k])) return false;
    return true;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) if (!oldSameValue(before[i], after[i])) return false;
    return true;
  }
  if (before === after) return true;
  const numeric = (v: unknown) => typeof v === 'bigint' || typeof v === 'number';
  if (numeric(before) && numeric(after)) return String(before) === String(after);
  if (typeof before === 'object' && typeof after === 'object') return stringifyApiJson(before, 0) === stringifyApiJson(after, 0);
  return false;
}

/** unknown-fields.ts unknownFields as it was: every path built, then the list returned. */
function oldUnknownFields(entry: ApiEntry): string[] {
  const def = kindDefinition(entry.Kind);
  if (!def) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const out: string[] = [];
  const walkObject = (value: Record<string, unknown>, fields: ObjectFields, path: string, top: boolean): void => {
    for (const k of Object.keys(value)) {
      if (top && k === 'Kind') continue;
      if (!Object.hasOwn(fields, k)) {
        out.push(path ? `${path}.${k}` : k);
        continue;
      }
      const v = value[k];
      if (typeof v === 'object' && v !== null) walkValue(v, fieldSpec(fields[k]).type, path ? `${path}.${k}` : k);
    }
  };
  const walkValue = (v: unknown, type: FieldType, path: string): void => {
    if (type.t === 'object' && isRecord(v)) walkObject(v, type.fields, path, false);
    else if (type.t === 'list' && Array.isArray(v)) v.forEach((item, i) => walkValue(item, type.of, `${path}[${i}]`));
    else if (type.t === 'map' && isRecord(v)) for (const k of Object.keys(v)) walkValue(v[k], type.of, `${path}.${k}`);
  };
  walkObject(entry, def.fields, '', true);
  return out;
}

type Segment = string | number;
/** file-zeros.ts explicitZeros as it was: every path resolved by the kind's types, then read. */
function oldExplicitZeros(d: { entry: ApiEntry; fieldPositions: ReadonlyMap<string, unknown> }): Record<string, unknown> | undefined {
  const def = kindDefinition(d.entry.Kind);
  if (!def) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const path of d.fieldPositions.keys()) {
    const resolved = oldResolve({ t: 'object', fields: def.fields }, path);
    if (!resolved) continue;
    let v: unknown = d.entry;
    for (const s of resolved.segments) v = v === null || typeof v !== 'object' ? undefined : (v as Record<Segment, unknown>)[s];
    if (v !== undefined) continue;
    (out ??= {})[path] = zeroValueOf(resolved.type);
  }
  return out;
}

function oldResolve(root: FieldType, path: string): { segments: Segment[]; type: FieldType } | undefined {
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

/** Every path of a value as the decoder names fields (`A.B`, `L[0].X`, `Meta.k`), parents first. */
function pathsOf(value: unknown, path: string, out: string[]): string[] {
  if (path) out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const k of Object.keys(value)) pathsOf((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  return out;
}

/** A random change somewhere in a copy: a scalar replaced, a key added or removed, or nothing. */
function mutated(r: () => number, value: unknown, depth = 0): unknown {
  if (r() < 0.3 || depth > 5) return r() < 0.5 ? value : cloneData(value);
  if (Array.isArray(value)) {
    if (value.length === 0 || r() < 0.1) return [...value, scalar(r)];
    const copy = [...value];
    const i = Math.floor(r() * copy.length);
    copy[i] = mutated(r, copy[i], depth + 1);
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(value)) put(copy, k, (value as Record<string, unknown>)[k]);
    const keys = Object.keys(copy);
    const roll = r();
    if (roll < 0.15) put(copy, pick(r, ['x', 'Name', '__proto__', 'toString']), pick(r, [scalar(r), undefined, {}, []]));
    else if (roll < 0.3 && keys.length) delete copy[pick(r, keys)];
    else if (keys.length) {
      const k = pick(r, keys);
      put(copy, k, mutated(r, copy[k], depth + 1));
    }
    return copy;
  }
  return r() < 0.5 ? value : scalar(r);
}

/** Objects with an enumerable inherited key, which for-in visits and Object.keys does not. */
function withInherited(r: () => number, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || r() < 0.7) return value;
  const o = Object.create({ Inherited: scalar(r), Name: 'from-the-prototype' }) as Record<string, unknown>;
  for (const k of Object.keys(value)) put(o, k, (value as Record<string, unknown>)[k]);
  return o;
}

describe('no-op plan shortcuts answer what the old functions answered', () => {
  for (const { kind } of KINDS)
    it(`${kind}: sameValue, unknownFields and explicitZeros on 400 random entries`, () => {
      const r = seededRandom(kind.length * 104729 + kind.charCodeAt(1));
      let equal = 0;
      for (let i = 0; i < 400; i++) {
        const entry = entryOf(r, kind);
        // sameValue: equal copies, mutated copies, and objects with inherited enumerable keys.
        const other = withInherited(r, mutated(r, entry));
        const a = withInherited(r, entry);
        const expected = oldSameValue(a, other);
        if (expected) equal++;
        expect({ i, same: sameValue(a, other) }).toStrictEqual({ i, same: expected });
        expect({ i, same: sameValue(other, a) }).toStrictEqual({ i, same: oldSameValue(other, a) });
        // unknownFields: the entry as it is, and with unknown keys put in at random depths.
        const live = mutated(r, entry) as ApiEntry;
        if (r() < 0.3) put(live, pick(r, ['Unknown', 'toString', '__proto__']), scalar(r));
        live.Kind = entry.Kind;
        expect({ i, lost: unknownFields(live) }).toStrictEqual({ i, lost: oldUnknownFields(live) });
        // explicitZeros: positions for every path the file had, some of them dropped from the entry, and odd names.
        const paths = pathsOf(entry, '', []);
        const decoded = mutated(r, entry) as ApiEntry;
        decoded.Kind = entry.Kind;
        for (const p of paths) if (!p.includes('.') && !p.includes('[') && r() < 0.3) delete (decoded as Record<string, unknown>)[p];
        const extra = ['constructor', 'toString', '__proto__', 'Nope', 'Meta.a.b', 'Sources[0]', '', 'Näme', 'Na-me', 'Na me', '_', '0', 'Name\n'].filter(
          () => r() < 0.3,
        );
        const fieldPositions = new Map([...paths, ...extra].map((p) => [p, { line: 1, column: 1 }]));
        const d = { entry: decoded, fieldPositions };
        expect({ i, zeros: explicitZeros(d) }).toStrictEqual({ i, zeros: oldExplicitZeros(d) });
      }
      // The pairs are not all different: the equal case (the no-op plan's) is exercised too.
      expect(equal).toBeGreaterThan(20);
    });
});
