// How mapstructure fills a struct or slice field from the decoded Arguments tree, shared by the
// extensions that decode nested structs (property-override, ext-authz).

export const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A struct field's value: a map, or the one map of a one-element list (HCL writes an object as a list
 * of one, and the decoded tree keeps that shape in places consul config write flattens it); else undefined.
 */
export function asStruct(v: unknown): Record<string, unknown> | undefined {
  if (isMap(v)) return v;
  return Array.isArray(v) && v.length === 1 && isMap(v[0]) ? v[0] : undefined;
}

/** A slice field's value under WeakDecode: a list, a single map taken as a list of one, nothing as empty; else undefined. */
export function asList(v: unknown): unknown[] | undefined {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v as unknown[];
  return isMap(v) ? [v] : undefined;
}
