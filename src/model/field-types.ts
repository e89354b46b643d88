// The vocabulary for describing a config-entry kind's fields, mirroring the Go api structs Consul
// decodes into. One description drives the decoder (case-insensitive keys, snake_case aliases,
// weak typing), the zod schema of the API form, the CRD mapper and the dev server.
import * as z from 'zod/mini';

export type FieldType =
  | { t: 'string'; pointer?: true }
  | { t: 'bool'; pointer?: true }
  | { t: 'int'; go?: GoInt; pointer?: true } // Go int (64-bit) unless `go` says otherwise; values past 2^53 kept exact as bigint
  | { t: 'float'; pointer?: true }
  | { t: 'duration'; encoding: 'nanoseconds' | 'string'; pointer?: true } // time.Duration: api sends ns, or a Go duration string for custom marshalers
  | { t: 'time' } // time.Time, RFC 3339 string
  | { t: 'bytes' } // Go []byte: a file's text is the bytes; encoding/json carries them base64-encoded
  | { t: 'list'; of: FieldType }
  | { t: 'map'; of: FieldType } // map[string]T: keys kept verbatim
  | { t: 'opaque' } // map[string]interface{} / interface{}: passes through, single-element lists unwrapped
  | { t: 'object'; fields: ObjectFields; pointer?: true };

/** The Go integer type behind an int field: its range decides what is out of range. */
export type GoInt = 'int' | 'int32' | 'uint32' | 'uint64';

export const GO_INT_RANGE: Readonly<Record<GoInt, readonly [bigint, bigint]>> = {
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

export interface FieldSpec {
  type: FieldType;
  /** snake_case spellings accepted besides the field name. Derived from the name unless given; [] for none. */
  aliases?: readonly string[];
}

export type ObjectFields = Readonly<Record<string, FieldType | FieldSpec>>;

export const str: FieldType = { t: 'string' };
export const bool: FieldType = { t: 'bool' };
export const int: FieldType = { t: 'int' };
export const uint32: FieldType = { t: 'int', go: 'uint32' };
export const uint64: FieldType = { t: 'int', go: 'uint64' };
export const float: FieldType = { t: 'float' };
export const durationNs: FieldType = { t: 'duration', encoding: 'nanoseconds' };
export const durationStr: FieldType = { t: 'duration', encoding: 'string' };
export const time: FieldType = { t: 'time' };
export const bytes: FieldType = { t: 'bytes' };
export const opaque: FieldType = { t: 'opaque' };
export const list = (of: FieldType): FieldType => ({ t: 'list', of });
export const map = (of: FieldType): FieldType => ({ t: 'map', of });
export const obj = (fields: ObjectFields): FieldType => ({ t: 'object', fields });
export const strings = list(str);
export const stringMap = map(str);
/**
 * A Go pointer to a scalar (`*uint32`, `*int`, `*time.Duration`): Consul's server struct tells an
 * explicit zero from unset. encoding/json omits only a nil pointer (`omitempty`), so a stored
 * `EnforcingConsecutive5xx = 0` comes back from GET as `0`, and agent/xds reads it as set (Envoy
 * ejects on 0% instead of the default 100%). The one fact the decoder (keeps the zero), normalise
 * (drops only null/absent), the planner, the dev server and import read. Only the server struct
 * counts (agent/structs, what GET encodes): api IngressService's `*uint32` limits are plain uint32
 * in structs, so they are not marked. A pointer to a struct (`pointer(obj(…))`) keeps an empty
 * struct the same way: `PassiveHealthCheck {}` is stored and answered as `{}`.
 */
export const pointer = (type: FieldType): FieldType => ({ ...type, pointer: true }) as FieldType;

/** A pointer field's zero is a value (see `pointer`). */
export function isPointer(type: FieldType | undefined): boolean {
  return type !== undefined && (type as { pointer?: true }).pointer === true;
}

/** A field whose snake_case alias differs from the derived one, or that has none (`[]`). */
export const aliased = (type: FieldType, ...aliases: string[]): FieldSpec => ({ type, aliases });

export function fieldSpec(f: FieldType | FieldSpec): FieldSpec {
  return 'type' in f ? f : { type: f };
}

/**
 * Consul's snake_case alias for a Go field name: `MutualTLSMode` → `mutual_tls_mode`,
 * `AllowEnablingPermissiveMutualTLS` → `allow_enabling_permissive_mutual_tls`, `HTTP` → `http`.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export function aliasesOf(name: string, spec: FieldSpec): readonly string[] {
  if (spec.aliases) return spec.aliases;
  const snake = snakeCase(name);
  return snake.includes('_') ? [snake] : [];
}

/** Standard base64 with padding, the only form Go's encoding/json accepts for a []byte. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const durationPattern = /^[-+]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** The zod schema of a field's API (decoded) form. */
export function zodOf(type: FieldType): z.ZodMiniType {
  switch (type.t) {
    case 'string':
    case 'time':
      return z.string();
    case 'bytes':
      return z.string().check(z.regex(BASE64));
    case 'bool':
      return z.boolean();
    case 'int':
      return z.union([z.int(), z.bigint()]);
    case 'float':
      return z.number();
    case 'duration':
      return type.encoding === 'nanoseconds' ? z.int() : z.string().check(z.regex(durationPattern));
    case 'list':
      return z.array(zodOf(type.of));
    case 'map':
      return z.record(z.string(), zodOf(type.of));
    case 'opaque':
      return z.unknown();
    case 'object': {
      const shape: Record<string, z.ZodMiniType> = {};
      for (const [name, f] of Object.entries(type.fields)) shape[name] = z.optional(zodOf(fieldSpec(f).type));
      return z.strictObject(shape);
    }
  }
}

/**
 * The Go zero value of a field type, as Consul's decoder holds it: what a list or map slot keeps
 * (decode-fields.ts) and what a field the file wrote as zero means (plan/file-zeros.ts).
 */
export function zeroValueOf(type: FieldType): unknown {
  switch (type.t) {
    case 'string':
    case 'time':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'int':
    case 'float':
      return 0;
    case 'duration':
      return type.encoding === 'nanoseconds' ? 0 : '0s';
    case 'list':
      return [];
    default:
      return {};
  }
}
