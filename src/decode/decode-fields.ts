// Schema-driven decoding of a raw tree into Consul's API form, with the rules of Consul's own
// decoder (mapstructure + lib/decode hooks): case-insensitive field names, snake_case aliases where
// the canonical key wins, weak typing, single-element lists unwrapped, repeated HCL blocks
// concatenated, unknown keys rejected. Zero values are omitted from the output, except a Go pointer field's (field-types.ts `pointer`).
import { aliasesOf, BASE64, fieldSpec, GO_INT_RANGE, isPointer, zeroValueOf, type FieldType, type GoInt, type ObjectFields } from '../model/field-types.ts';
import { quoteToken, type ProblemCode, type SourcePosition } from '../model/errors.ts';
import type { RawList, RawNode, RawObject, RawObjectEntry } from '../formats/raw.ts';
import { formatGoDuration, parseGoDuration } from './duration.ts';
import type { FieldPositions } from './field-positions.ts';
import { childPath, itemPath } from './field-paths.ts';
import { setOwn } from '../model/own-key.ts';

export interface FieldProblem {
  field: string;
  message: string;
  pos: SourcePosition;
  code?: ProblemCode;
}

export interface DecodeContext {
  problems: FieldProblem[];
  /** What Consul accepts but a user would want to know: a duplicate key whose earlier value is dropped. */
  warnings?: FieldProblem[];
  positions: FieldPositions;
  /** HCL1 stores every object value as a list of maps, which changes how opaque maps decode. */
  hcl?: boolean;
  /**
   * A CRD manifest (Kubernetes JSON): a []byte field holds base64 already, and must be valid.
   * Otherwise (a file as `consul config write` reads it, or a PUT body as Consul's ConfigApply
   * decodes it: both through weak mapstructure) a string is the bytes.
   */
  wire?: boolean;
}

interface FieldMatcher {
  name: string;
  type: FieldType;
  lowerName: string;
  aliases: readonly string[];
}

/** An object's fields with their lookups by lower-cased name and by alias, built once per field list. */
interface FieldIndex {
  matchers: FieldMatcher[];
  /** The first matcher (by declaration order) whose lower-cased name is the key. */
  byLowerName: Map<string, number>;
  /** The first matcher that lists the key among its aliases. */
  byAlias: Map<string, number>;
  /**
   * Keys as files spell them → `slot` (matcher index × 2, + 1 when found through an alias; -1
   * unknown): a tree spells the same few keys thousands of times, and one lookup replaces a
   * lower-casing copy and up to two lookups. Bounded (KEY_MEMO_LIMIT), since keys come from files.
   */
  byKey: Map<string, number>;
}

const KEY_MEMO_LIMIT = 1024;

const indexCache = new WeakMap<ObjectFields, FieldIndex>();

function indexOf(fields: ObjectFields): FieldIndex {
  let index = indexCache.get(fields);
  if (!index) {
    const matchers = Object.entries(fields).map(([name, f]) => {
      const spec = fieldSpec(f);
      return { name, type: spec.type, lowerName: name.toLowerCase(), aliases: aliasesOf(name, spec) };
    });
    const byLowerName = new Map<string, number>();
    const byAlias = new Map<string, number>();
    matchers.forEach((m, i) => {
      if (!byLowerName.has(m.lowerName)) byLowerName.set(m.lowerName, i);
      for (const a of m.aliases) if (!byAlias.has(a)) byAlias.set(a, i);
    });
    index = { matchers, byLowerName, byAlias, byKey: new Map() };
    indexCache.set(fields, index);
  }
  return index;
}

/** A key's slot in `index` (see FieldIndex.byKey). */
function slotOf(index: FieldIndex, key: string): number {
  let slot = index.byKey.get(key);
  if (slot === undefined) {
    const lower = key.toLowerCase();
    const direct = index.byLowerName.get(lower);
    const alias = direct === undefined ? index.byAlias.get(lower) : undefined;
    slot = direct !== undefined ? direct * 2 : alias !== undefined ? alias * 2 + 1 : -1;
    if (index.byKey.size < KEY_MEMO_LIMIT) index.byKey.set(key, slot);
  }
  return slot;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** A key's entry number packed below its slot, so one numeric sort orders keys by field, canonical before alias, then file order. */
const ENTRY_RANGE = 2 ** 32;

/**
 * Decodes an object against `fields`. `ignoreKey` lets the caller skip keys handled elsewhere
 * (`Kind` at the top level). Returns undefined when every field is zero.
 */
export function decodeObject(
  raw: RawObject,
  fields: ObjectFields,
  path: string,
  ctx: DecodeContext,
  ignoreKey?: (key: string) => boolean,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  return decodeFieldsInto(out, raw, fields, path, ctx, ignoreKey) ? out : undefined;
}

/**
 * decodeObject's work, adding the fields to `out` (which may hold fields already: an entry's
 * `Kind`); true when any field was added. Keys are looked up (not scanned for) and only the fields
 * given are visited, in declaration order: a kind declares dozens of fields and an entry sets a few.
 * One array of packed numbers per object, not maps of lists: this runs for every object of every
 * entry, and what it allocates is most of what the collector then copies (bench/read-parse.bench.ts).
 */
export function decodeFieldsInto(
  out: Record<string, unknown>,
  raw: RawObject,
  fields: ObjectFields,
  path: string,
  ctx: DecodeContext,
  ignoreKey?: (key: string) => boolean,
): boolean {
  const index = indexOf(fields);
  const { entries } = raw;
  // This object's hits sit at [base, top) of the shared stack; nested objects stack theirs above
  // and give the space back before this one reads on.
  const base = hitTop;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (ignoreKey?.(e.key)) continue;
    const slot = slotOf(index, e.key);
    if (slot < 0) {
      ctx.problems.push({ field: join(path, e.key), message: `invalid config key ${quoteToken(join(path, e.key))}`, pos: e.keyPos, code: 'unknown-field' });
      continue;
    }
    if (hitTop === hitStack.length) growHitStack();
    hitStack[hitTop++] = slot * ENTRY_RANGE + i;
  }
  const end = hitTop;
  // Insertion sort: an object has a handful of keys, usually in declaration order already.
  for (let i = base + 1; i < end; i++) {
    const v = hitStack[i];
    let j = i - 1;
    for (; j >= base && hitStack[j] > v; j--) hitStack[j + 1] = hitStack[j];
    hitStack[j + 1] = v;
  }
  let any = false;
  try {
    for (let h = base; h < end;) {
      const slot = Math.floor(hitStack[h] / ENTRY_RANGE);
      const at = slot >> 1;
      // The run of keys for this field: canonical spellings first, then aliases, each in file order.
      let runEnd = h + 1;
      while (runEnd < end && Math.floor(hitStack[runEnd] / ENTRY_RANGE) >> 1 === at) runEnd++;
      const m = index.matchers[at];
      const fieldPath = childPath(path, m.name);
      let value: unknown;
      if (runEnd === h + 1) {
        const e = entries[hitStack[h] % ENTRY_RANGE];
        // A key whose value is null is not given: Consul's mapstructure decode (DecodeConfigEntry,
        // no ZeroFields) returns before setting anything for nil input, so the field stays unset and
        // a pointer block (`"RateLimits": null`) nil, which neither Validate nor the store sees.
        if (e.value.type !== 'null') ctx.positions.set(fieldPath, e.keyPos);
        value = decodeValue(e.value, m.type, fieldPath, m.name, ctx);
      } else {
        // Consul's HookTranslateKeys: when both the canonical key and its alias are given, the canonical wins.
        let last = h + 1;
        while (last < runEnd && Math.floor(hitStack[last] / ENTRY_RANGE) === slot) last++;
        const occurrences: RawObjectEntry[] = [];
        for (let k = h; k < last; k++) occurrences.push(entries[hitStack[k] % ENTRY_RANGE]);
        ctx.positions.set(fieldPath, occurrences[0].keyPos);
        value = decodeOccurrences(occurrences, m.type, fieldPath, m.name, ctx);
      }
      if (value !== undefined) {
        out[m.name] = value;
        any = true;
      } else ctx.positions.notEveryValueKept();
      h = runEnd;
    }
  } finally {
    hitTop = base;
  }
  return any;
}

/**
 * Every object's hits (see decodeFieldsInto) on one stack shared by all decoding: an array per
 * object was a tenth of what reading a tree allocated. Decoding is synchronous, so no two decodes
 * interleave; `finally` gives the space back even when a decode throws.
 */
let hitStack = new Float64Array(256);
let hitTop = 0;

function growHitStack(): void {
  const grown = new Float64Array(hitStack.length * 2);
  grown.set(hitStack);
  hitStack = grown;
}

/** HCL may give a key several times: lists concatenate, objects may appear once, scalars: last wins. */
function decodeOccurrences(occ: RawObjectEntry[], type: FieldType, path: string, name: string, ctx: DecodeContext): unknown {
  if (occ.length === 1) return decodeValue(occ[0].value, type, path, name, ctx);
  if (type.t === 'list') {
    const items: RawNode[] = [];
    for (const o of occ) items.push(...(o.value.type === 'list' ? o.value.items : [o.value]));
    return decodeValue({ type: 'list', items, pos: occ[0].value.pos }, type, path, name, ctx);
  }
  const objects = occ.filter((o) => o.value.type === 'object' || o.value.type === 'list');
  if (objects.length > 1 && (type.t === 'object' || type.t === 'map')) {
    ctx.problems.push({ field: path, message: `'${name}' expected a map, got 'slice'`, pos: occ[1].keyPos });
    return undefined;
  }
  warnDropped(occ, path, ctx);
  return decodeValue(occ[occ.length - 1].value, type, path, name, ctx);
}

/** Maps of up to this many keys find a repeated key by looking back (see decodeValue's `map`). */
const SMALL_MAP = 8;

/** The last entry before `i` with the key of entries[i] (what a Map of the keys so far would hold). */
function lastBefore(entries: readonly RawObjectEntry[], i: number): RawObjectEntry | undefined {
  const key = entries[i].key;
  for (let j = i - 1; j >= 0; j--) if (entries[j].key === key) return entries[j];
  return undefined;
}

/**
 * Consul accepts a key given twice in one object and keeps the last value (HCL1's decoder, which
 * `consul config write` also uses for JSON, and Go's encoding/json for the HTTP API): accepted
 * here too, with a warning naming both positions, since the earlier value is silently dropped.
 */
function warnDropped(occ: readonly RawObjectEntry[], path: string, ctx: DecodeContext): void {
  const last = occ[occ.length - 1];
  for (const o of occ.slice(0, -1))
    ctx.warnings?.push({
      field: path,
      message: `duplicate key ${quoteToken(last.key)}: the value at line ${o.keyPos.line}, column ${o.keyPos.column} is dropped and this one wins, as in Consul`,
      pos: last.keyPos,
    });
}

function describe(node: RawNode): string {
  switch (node.type) {
    case 'object':
      return 'a map';
    case 'list':
      return 'a list';
    case 'null':
      return 'null';
    case 'bool':
      return `a bool (${node.value})`;
    case 'number':
      return `a number (${quoteToken(node.text).slice(1, -1)})`;
    case 'string':
      return `a string (${quoteToken(node.value)})`;
  }
}

function typeName(type: FieldType): string {
  switch (type.t) {
    case 'duration':
      return 'duration';
    case 'object':
    case 'map':
      return 'map';
    case 'list':
    case 'bytes':
      return 'slice';
    default:
      return type.t;
  }
}

function mismatch(ctx: DecodeContext, path: string, name: string, type: FieldType, node: RawNode): undefined {
  ctx.problems.push({ field: path, message: `'${name}' expected type '${typeName(type)}', got ${describe(node)}`, pos: node.pos });
  return undefined;
}

/** mapstructure's weak decode unwraps a one-element list where a single value is expected. */
function unwrapSingle(node: RawNode): RawNode {
  return node.type === 'list' && node.items.length === 1 ? node.items[0] : node;
}

const TRUE_TEXT = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_TEXT = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False', '']);

export function decodeValue(node: RawNode, type: FieldType, path: string, name: string, ctx: DecodeContext): unknown {
  if (node.type === 'null') return undefined;
  if (type.t !== 'list' && type.t !== 'opaque') {
    if (node.type === 'list' && node.items.length > 1 && type.t === 'object')
      return (ctx.problems.push({ field: path, message: `'${name}' expected a map, got 'slice'`, pos: node.pos }), undefined);
    node = unwrapSingle(node);
    if (node.type === 'null') return undefined;
  }
  switch (type.t) {
    case 'string':
    case 'time':
      if (node.type === 'string') return node.value || (isPointer(type) ? '' : undefined);
      if (node.type === 'number') return goNumberText(node.text, node.value);
      if (node.type === 'bool') return node.value ? '1' : '0';
      return mismatch(ctx, path, name, type, node);
    case 'bytes':
      return decodeBytes(node, path, name, ctx);
    case 'bool': {
      // A Go pointer keeps its zero (field-types.ts `pointer`); a plain field's zero is absent.
      const no = isPointer(type) ? false : undefined;
      if (node.type === 'bool') return node.value || no;
      if (node.type === 'number') return node.value !== 0 || no;
      if (node.type === 'string') {
        if (TRUE_TEXT.has(node.value)) return true;
        if (FALSE_TEXT.has(node.value)) return no;
      }
      return mismatch(ctx, path, name, type, node);
    }
    case 'int': {
      const n = decodeInteger(node, type.go ?? 'int', path, name, ctx);
      return n === 0 && !isPointer(type) ? undefined : n;
    }
    case 'float': {
      let n: number | undefined;
      if (node.type === 'number') n = node.value;
      else if (node.type === 'bool') n = node.value ? 1 : 0;
      else if (node.type === 'string') {
        n = node.value === '' ? 0 : Number(node.value);
        if (Number.isNaN(n) || !/^\s*[-+]?(\d|\.\d)/.test(node.value || '0')) return mismatch(ctx, path, name, type, node);
        if (!Number.isFinite(n)) return outOfRange(ctx, path, name, 'float', 'strconv.ParseFloat', node);
      }
      if (n === undefined) return mismatch(ctx, path, name, type, node);
      return n === 0 && !isPointer(type) ? undefined : n;
    }
    case 'duration': {
      let ns: number | undefined;
      if (node.type === 'number') ns = Math.trunc(node.value);
      else if (node.type === 'string') {
        ns = node.value === '' ? 0 : parseGoDuration(node.value);
        if (ns === undefined) {
          ctx.problems.push({ field: path, message: `'${name}' time: invalid duration ${quoteToken(node.value)}`, pos: node.pos });
          return undefined;
        }
      } else return mismatch(ctx, path, name, type, node);
      if (ns === 0 && !isPointer(type)) return undefined;
      return type.encoding === 'nanoseconds' ? ns : formatGoDuration(ns);
    }
    case 'list': {
      const items = node.type === 'list' ? node.items : [node]; // weak typing lifts one value into a list
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        const at = itemPath(path, i);
        ctx.positions.set(at, item.pos);
        const v = decodeValue(item, type.of, at, name, ctx);
        out.push(v ?? zeroValueOf(type.of));
      }
      return out.length ? out : undefined;
    }
    case 'map': {
      if (node.type !== 'object') return mismatch(ctx, path, name, type, node);
      const out: Record<string, unknown> = {};
      const { entries } = node;
      // Keys met so far, for the duplicate warning: only a map past SMALL_MAP keys gets a Map (a
      // Meta of two keys, on every write the dev server takes, looks back instead).
      const seen = entries.length > SMALL_MAP ? new Map<string, RawObjectEntry>() : undefined;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        // `Subsets."v1.Filter"`: a path the planner would split at the dot (file-zeros.ts resolve).
        if (e.key.includes('.') || e.key.includes('[')) ctx.positions.notEveryValueKept();
        const entryPath = path === '' ? `.${e.key}` : childPath(path, e.key);
        const earlier = seen ? seen.get(e.key) : lastBefore(entries, i);
        if (earlier) warnDropped([earlier, e], entryPath, ctx);
        seen?.set(e.key, e);
        ctx.positions.set(entryPath, e.keyPos);
        const v = decodeValue(e.value, type.of, entryPath, name, ctx);
        setOwn(out, e.key, v ?? zeroValueOf(type.of));
      }
      return Object.keys(out).length ? out : undefined;
    }
    case 'object':
      if (node.type !== 'object') return mismatch(ctx, path, name, type, node);
      // A Go pointer to a struct given empty is a non-nil pointer (field-types.ts `pointer`).
      return decodeObject(node, type.fields, path, ctx) ?? (type.pointer ? {} : undefined);
    case 'opaque':
      return opaqueMap(node, ctx.hcl === true);
  }
}

/**
 * An integer field, range-checked for its Go type. mapstructure's weak decode parses text with
 * strconv.ParseInt/ParseUint at the field's width and reports "cannot parse 'X' as int: …"
 * (mapstructure decodeInt/decodeUint); a number beyond the width is refused the same way rather
 * than wrapped, and a negative number for an unsigned field is "… overflows uint32".
 */
function decodeInteger(node: RawNode, go: GoInt, path: string, name: string, ctx: DecodeContext): number | bigint | undefined {
  let n: bigint | undefined;
  if (node.type === 'number') n = BigInt(exactInteger(node.text, node.value));
  else if (node.type === 'bool') n = node.value ? 1n : 0n;
  else if (node.type === 'string') {
    const text = node.value.trim();
    if (text === '') n = 0n;
    else if (/^[-+]?\d+$/.test(text)) n = BigInt(text);
    else {
      const parsed = Number(text);
      if (Number.isFinite(parsed) && Number.isInteger(parsed)) n = BigInt(parsed);
    }
  }
  if (n === undefined) return mismatch(ctx, path, name, { t: 'int', go }, node);
  const [min, max] = GO_INT_RANGE[go];
  if (n < min || n > max) {
    const unsigned = go.startsWith('u');
    if (unsigned && n < 0n) {
      ctx.problems.push({ field: path, message: `cannot parse '${name}', ${quoteToken(n.toString()).slice(1, -1)} overflows ${go}`, pos: node.pos });
      return undefined;
    }
    return outOfRange(ctx, path, name, unsigned ? 'uint' : 'int', unsigned ? 'strconv.ParseUint' : 'strconv.ParseInt', node);
  }
  if (n === 0n) return 0;
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function outOfRange(ctx: DecodeContext, path: string, name: string, as: string, parser: string, node: RawNode): undefined {
  const text = node.type === 'number' ? node.text : node.type === 'string' ? node.value : '';
  ctx.problems.push({ field: path, message: `cannot parse '${name}' as ${as}: ${parser}: parsing ${quoteToken(text)}: value out of range`, pos: node.pos });
  return undefined;
}

/**
 * A Go []byte (jwt-provider TrustedCA.InlineBytes). mapstructure's weak decode turns a file's string
 * into its bytes (decodeSlice: string → []uint8), and the api client's encoding/json sends them
 * base64-encoded; so the API form holds base64 of the file's text. Consul's PUT /v1/config decodes
 * a body the same weak way (any string is its bytes, never base64-decoded), so the dev server keeps
 * base64 of the body's string and its GET answers that, as Consul's does. In a CRD the value is
 * base64 already and must be valid.
 */
function decodeBytes(node: RawNode, path: string, name: string, ctx: DecodeContext): string | undefined {
  if (node.type !== 'string') return mismatch(ctx, path, name, { t: 'bytes' }, node);
  if (node.value === '') return undefined;
  if (!ctx.wire) return Buffer.from(node.value, 'utf8').toString('base64');
  if (BASE64.test(node.value)) return node.value;
  ctx.problems.push({ field: path, message: `illegal base64 data in ${quoteToken(name)}`, pos: node.pos });
  return undefined;
}

/** mapstructure's weak number→string: integers exactly, floats as Go's FormatFloat(f, 'f', -1, 64). */
function goNumberText(text: string, value: number): string {
  if (/^-?\d+$/.test(text)) return text;
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
}

function exactInteger(text: string, value: number): number | bigint {
  if (Number.isSafeInteger(value)) return value;
  if (/^-?\d+$/.test(text)) return BigInt(text);
  return Math.trunc(value);
}

/**
 * Opaque maps (proxy-defaults Config, extension Arguments: Go `map[string]interface{}`) pass
 * through as plain JSON, shaped the way Consul's decoder leaves them (lib/decode
 * HookWeakDecodeFromSlice): a map value that is a one-element list is replaced by its element, and
 * inside that element every map value that is a one-element list is unwrapped too, at any depth
 * (unSlice). A map value that is not a list is kept exactly, nested lists and all. Since HCL1 stores
 * every block or object as a one-element list of maps, HCL nests unwrap all the way down; JSON and
 * YAML objects keep their one-element lists below the first level.
 */
export function opaqueMap(node: RawNode, hcl: boolean): unknown {
  let value = goValue(node, hcl);
  // The field itself targets a map: a single block (or one-element list) becomes that map.
  if (Array.isArray(value) && value.length === 1 && isMap(value[0])) value = value[0];
  if (!isMap(value)) return value;
  for (const [k, v] of Object.entries(value)) if (Array.isArray(v) && v.length === 1) setOwn(value, k, unSliceDeep(v[0]));
  return value;
}

/** The value as Go's HCL1 or encoding/json decoder hands it to mapstructure. */
function goValue(node: RawNode, hcl: boolean): unknown {
  switch (node.type) {
    case 'object':
      // HCL1: an object value is a list of one map.
      return hcl ? [goMap(node, hcl)] : goMap(node, hcl);
    case 'list':
      // An object inside a list literal is one map, not a list of one map.
      return node.items.map((i) => (i.type === 'object' ? goMap(i, hcl) : goValue(i, hcl)));
    case 'number':
      return exactInteger(node.text, node.value);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

function goMap(node: RawObject, hcl: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of node.entries) {
    const prev = Object.hasOwn(out, e.key) ? out[e.key] : undefined;
    // HCL1: repeated object-valued keys concatenate their lists of maps.
    if (hcl && e.value.type === 'object' && Array.isArray(prev)) prev.push(goMap(e.value, hcl));
    else setOwn(out, e.key, goValue(e.value, hcl));
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** lib/decode unSlice: every map element (at any depth) holding a one-element list becomes that element. */
function unSliceDeep(v: unknown): unknown {
  if (isMap(v)) {
    for (const [k, inner] of Object.entries(v)) setOwn(v, k, unSliceDeep(Array.isArray(inner) && inner.length === 1 ? inner[0] : inner));
    return v;
  }
  if (Array.isArray(v)) return v.map(unSliceDeep);
  return v;
}

export type { RawList };
