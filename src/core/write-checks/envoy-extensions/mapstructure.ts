// How a built-in extension's Constructor decodes EnvoyExtensions[].Arguments into its Go struct, down to
// the errors a value of the wrong type gets. Consul vendors github.com/go-viper/mapstructure/v2 since
// hashicorp/consul#22581 (backport #22780), read at v2.4.0 (the texts are the same from v2.3.0 on):
// mapstructure.go Decode, decodeString/decodeInt/decodeUint/decodeBool, decodePtr, decodeStruct,
// decodeStructFromMap, decodeSlice, decodeMap; errors.go DecodeError, UnconvertibleTypeError, ParseError.
// Decode joins every field's error (errors.Join, one per line, struct fields in declaration order) and
// wraps them: "decoding failed due to the following error(s):\n\n'<field>' <cause>".
//
// Shapes are not refused where consul config write (decode.HookWeakDecodeFromSlice, unSlice) or Consul's
// own decode of the request body turn a one-element list into its element: a one-element list where a
// single value is wanted, and a map where a list is wanted, pass here (WeakDecode takes both; for plain
// Decode no Consul test pins the answer, so nothing is claimed).
import { goQuote } from '../../../model/go-quote.ts';
import { leaf, type GoError } from '../go-error.ts';
import { isMap } from './structs.ts';

/** The Go types the extensions' structs use, with the type name mapstructure prints. */
export type GoType =
  | { k: 'string'; name?: string }
  | { k: 'bool' }
  | { k: 'int'; name: string; unsigned?: true }
  | { k: 'ptr'; elem: GoType }
  | { k: 'struct'; fields: Readonly<Record<string, GoType>> }
  | { k: 'slice'; elem: GoType }
  | { k: 'map'; elem: GoType }
  /** interface{} (and types whose decoding is not modelled): anything is taken. */
  | { k: 'any' };

export const str = (name?: string): GoType => (name ? { k: 'string', name } : { k: 'string' });
export const bool: GoType = { k: 'bool' };
export const int = (name = 'int'): GoType => ({ k: 'int', name });
export const uint = (name: string): GoType => ({ k: 'int', name, unsigned: true });
export const ptr = (elem: GoType): GoType => ({ k: 'ptr', elem });
export const struct = (fields: Record<string, GoType>): GoType => ({ k: 'struct', fields });
export const slice = (elem: GoType): GoType => ({ k: 'slice', elem });
export const map = (elem: GoType): GoType => ({ k: 'map', elem });
export const any: GoType = { k: 'any' };

/** api.CompoundServiceName. */
export const compoundServiceName = struct({ Name: str(), Namespace: str(), Partition: str() });

/** One field's DecodeError: mapstructure's name for it, its cause, and the path `validate` names. */
interface Failure {
  name: string;
  cause: string;
  at: string;
}

/** reflect.TypeOf of a value encoding/json decoded into interface{}. */
function goTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/** Its reflect.Kind, as decodeStruct and decodeSlice print it. */
function goKindOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'slice' : 'map';
}

/** The syntax strconv.ParseInt accepts with base 0 (range is not checked: WeakDecode of a string into an int is not used by any extension). */
const GO_INT_SYNTAX = /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO](_?[0-7])+|0(_?[0-7])*|[1-9](_?[0-9])*)$/;

/** strconv.ParseBool's accepted spellings. */
const GO_BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

const typeName = (t: GoType): string => (t.k === 'string' ? (t.name ?? 'string') : t.k === 'int' ? t.name : t.k);

function unconvertible(t: GoType, v: unknown): string {
  return `expected type '${typeName(t)}', got unconvertible type '${goTypeOf(v)}'`;
}

/** The value's failures, in the order decode meets them. */
function decode(v: unknown, t: GoType, name: string, at: string, weak: boolean): Failure[] {
  if (v === null || v === undefined || t.k === 'any') return [];
  if (t.k === 'ptr') return decode(v, t.elem, name, at, weak);
  // A one-element list where one value is wanted: the shape consul config write flattens.
  if (t.k !== 'slice' && Array.isArray(v) && v.length === 1) return decode(v[0], t, name, at, weak);
  const fail = (cause: string): Failure[] => [{ name, cause, at }];
  switch (t.k) {
    case 'string':
      if (typeof v === 'string' || (weak && (typeof v === 'number' || typeof v === 'boolean'))) return [];
      return fail(unconvertible(t, v));
    case 'bool':
      if (typeof v === 'boolean' || (weak && typeof v === 'number')) return [];
      if (weak && typeof v === 'string') return v === '' || GO_BOOLS.has(v) ? [] : fail(`cannot parse value as 'bool': strconv.ParseBool: invalid syntax`);
      return fail(unconvertible(t, v));
    case 'int':
      if (typeof v === 'number')
        // decodeUint: a negative float64 overflows, unless weakly typed.
        return t.unsigned && v < 0 && !weak ? fail(`cannot parse value as '${t.name}': ${v.toFixed(6)} overflows uint`) : [];
      if (weak && typeof v === 'boolean') return [];
      if (weak && typeof v === 'string')
        // strconv.ParseInt/ParseUint with base 0: a sign (ParseInt only), then 0x, 0b, 0o or 0 prefixes, `_` between digits.
        return v === '' || (GO_INT_SYNTAX.test(v) && !(t.unsigned && /^[+-]/.test(v)))
          ? []
          : fail(`cannot parse value as '${t.name}': strconv.Parse${t.unsigned ? 'Uint' : 'Int'}: invalid syntax`);
      return fail(unconvertible(t, v));
    case 'struct':
      if (isMap(v)) return decodeStructFromMap(v, t.fields, name, at, weak);
      return fail(`expected a map or struct, got ${goQuote(goKindOf(v))}`);
    case 'slice': {
      if (isMap(v)) return Object.keys(v).length === 0 ? [] : decode([v], t, name, at, weak);
      if (!Array.isArray(v)) return weak ? decode([v], t, name, at, weak) : fail(`source data must be an array or slice, got ${goKindOf(v)}`);
      return v.flatMap((e, i) => decode(e, t.elem, `${name}[${i}]`, `${at}[${i}]`, weak));
    }
    case 'map':
      if (isMap(v)) return Object.entries(v).flatMap(([k, e]) => decode(e, t.elem, `${name}[${k}]`, `${at}.${k}`, weak));
      return fail(`expected type 'map[string]${typeName(t.elem)}', got unconvertible type '${goTypeOf(v)}'`);
  }
}

/** decodeStructFromMap: each field takes the key of its name, else a key equal to it ignoring case. */
function decodeStructFromMap(data: Record<string, unknown>, fields: Readonly<Record<string, GoType>>, name: string, at: string, weak: boolean): Failure[] {
  const keys = Object.keys(data);
  return Object.entries(fields).flatMap(([field, t]) => {
    const key = field in data ? field : keys.find((k) => k.toLowerCase() === field.toLowerCase());
    if (key === undefined) return [];
    return decode(data[key], t, name === '' ? field : `${name}.${field}`, `${at}.${key}`, weak);
  });
}

/**
 * mapstructure.Decode (weak: WeakDecode) of `args` into a struct of `fields`: the error, wrapped as the
 * Constructor wraps it (`prefix`), or undefined when it decodes. Each field's cause is its own problem
 * for `validate`, named by the path of the value in the file.
 */
export function decodeError(args: unknown, fields: Readonly<Record<string, GoType>>, at: string, weak: boolean, prefix = ''): GoError | undefined {
  if (!isMap(args)) return undefined;
  const failures = decodeStructFromMap(args, fields, '', at, weak);
  if (failures.length === 0) return undefined;
  return {
    prefix: `${prefix}decoding failed due to the following error(s):\n\n`,
    inner: { join: failures.map((f) => leaf(f.at, `'${f.name}' ${f.cause}`)) },
  };
}
