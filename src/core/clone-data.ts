// Copies plain entry data (objects, arrays, strings, numbers, bigints, booleans, null): what decoded
// files and Consul's JSON are made of. structuredClone does the same through a serialise/deserialise
// round trip that costs several times more, which a 10,000-entry plan pays twice per entry.
import { setOwn } from '../model/own-key.ts';

/** A deep copy of plain data; anything that is not a plain object or array is shared, as immutable values are. */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneData) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const v = cloneData((value as Record<string, unknown>)[k]);
      // A user's map (Meta, Config) may hold a key named __proto__: an own property, never the prototype.
      setOwn(out, k, v);
    }
    return out as T;
  }
  return value;
}
