// Sets a key of a user's map (Meta, proxy-defaults Config, a Go map in Consul) as an own property:
// `obj[key] = v` with key `__proto__` would set the object's prototype instead, dropping the key.

/** `obj[key] = value`, except that `__proto__` becomes an own, enumerable key like any other. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** `obj[key]` when `obj` has that key of its own, else undefined: never an inherited `__proto__` or `constructor`. */
export function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
