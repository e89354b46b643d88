// Random config entries of a kind, field by field from its registry types, with the values that
// reach Normalize's branches and now and then a value of the wrong type: the equivalence tests of
// the no-copy and no-op-plan rewrites check new functions against the old ones on them.
import { fieldSpec, type FieldType, type ObjectFields } from '../../src/model/field-types.ts';
import { kindDefinition } from '../../src/model/registry.ts';
import type { ApiEntry } from '../../src/model/kind-definition.ts';
import { pick } from './seeded-random.ts';

// Values that reach Normalize's branches: mixed-case protocols and methods, zero and odd weights, tenancy names.
export const STRINGS = ['', 'x', 'HTTP', 'Grpc', 'get', 'Post', 'default', 'web', 'API', '*', 'prefix', 'inline-certificate'];
const NUMBERS = [0, 1, -5, 50.5, 100, 2 ** 53 + 2];
export const KEYS = ['a', 'B', '', '__proto__', 'toString', 'consul.io/x'];

/** Own property, even for `__proto__` (as JSON.parse and the decoders make it). */
export function put(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function scalar(r: () => number): unknown {
  return pick(r, [pick(r, STRINGS), pick(r, NUMBERS), true, false, null, undefined, 0n, 12345678901234567890n]);
}

export function valueOf(r: () => number, type: FieldType, depth: number): unknown {
  // Now and then a value of the wrong type: Consul's copy and a hand-made entry are not checked first.
  if (r() < 0.05) return r() < 0.5 ? scalar(r) : depth < 4 ? [scalar(r)] : {};
  switch (type.t) {
    case 'string':
    case 'time':
    case 'bytes':
      return pick(r, STRINGS);
    case 'bool':
      return r() < 0.5;
    case 'int':
      return r() < 0.1 ? 12345678901234567890n : pick(r, NUMBERS.filter(Number.isInteger));
    case 'float':
      return pick(r, NUMBERS);
    case 'duration':
      return type.encoding === 'string' ? pick(r, ['', '5s', '1m30s']) : pick(r, [0, 5_000_000_000]);
    case 'list': {
      const items = depth > 4 ? [] : Array.from({ length: Math.floor(r() * 4) }, () => valueOf(r, type.of, depth + 1));
      // Now and then a hole (`map` keeps holes, and so must the copy-on-write form).
      if (items.length > 1 && r() < 0.1) Reflect.deleteProperty(items, Math.floor(r() * items.length));
      return items;
    }
    case 'map': {
      const m: Record<string, unknown> = {};
      if (depth <= 4) for (let i = Math.floor(r() * 3); i > 0; i--) put(m, pick(r, KEYS), valueOf(r, type.of, depth + 1));
      return m;
    }
    case 'opaque': {
      const m: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 3); i > 0; i--) put(m, pick(r, KEYS), r() < 0.3 && depth <= 4 ? { inner: scalar(r), list: [scalar(r)] } : scalar(r));
      return r() < 0.1 ? null : m;
    }
    case 'object':
      return depth > 4 ? {} : objectOf(r, type.fields, depth + 1);
  }
}

export function objectOf(r: () => number, fields: ObjectFields, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) if (r() < 0.5) put(o, name, valueOf(r, fieldSpec(fields[name]).type, depth));
  return o;
}

export function entryOf(r: () => number, kind: string): ApiEntry {
  const def = kindDefinition(kind)!;
  const e = objectOf(r, def.fields, 0);
  return { Kind: r() < 0.95 ? kind : kind.toUpperCase(), ...e };
}

/** Frozen all the way down: a function that writes to it throws (modules are strict). */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
