// Test helper: the oracle (js-hcl-parser, a GopherJS build of hashicorp/hcl v1 hcl.Unmarshal into
// interface{}) and toGoShape, which converts our RawNode tree into what hcl.Decode would produce.
import { createRequire } from 'node:module';
import type { RawList, RawNode, RawObject } from '../../../src/formats/raw.ts';

interface JsHcl {
  parse(text: string): string;
}

let oracle: JsHcl | undefined;

function load(): JsHcl {
  if (oracle) return oracle;
  const g = globalThis as Record<string, unknown>;
  const had = Object.prototype.hasOwnProperty.call(g, 'require');
  const saved = g.require;
  try {
    const req = createRequire(import.meta.url);
    oracle = req('js-hcl-parser') as JsHcl;
  } finally {
    if (had) g.require = saved;
    else delete g.require;
  }
  return oracle;
}

export type OracleResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Run the real HCL1 decoder (32-bit ints: keep integers below 2^31). */
export function oracleParse(text: string): OracleResult {
  let out: string;
  try {
    out = load().parse(text);
  } catch (e) {
    return { ok: false, error: `oracle threw: ${String(e)}` };
  }
  if (typeof out !== 'string') return { ok: false, error: `oracle returned ${typeof out}` };
  if (out.startsWith('unable to')) return { ok: false, error: out };
  return { ok: true, value: JSON.parse(out) };
}

/** A repeated key whose values mix kinds in a way hcl.Decode rejects (a decode error, not syntax). */
export class MixedKindsError extends Error {}

/**
 * What hcl.Decode(&out interface{}) yields for our tree: objects under a key become a list of maps,
 * repeated keys with object values concatenate (so do repeated list literals), repeated scalars:
 * last wins. Objects directly inside list literals (and the file root) are plain maps.
 * HCL1 decodes a repeated key into the Go type of its first value, so `a = "x"` then `a = 1` gives
 * "1" (the number's text); the mixes it rejects throw MixedKindsError.
 */
export function toGoShape(raw: RawNode): unknown {
  switch (raw.type) {
    case 'object':
      return objectToMap(raw);
    case 'list':
      return raw.items.map((it) => toGoShape(it));
    case 'string':
    case 'bool':
      return raw.value;
    case 'number':
      return raw.value;
    case 'null':
      return null;
  }
}

type Kind = 'maps' | 'list' | 'string' | 'int' | 'float' | 'bool';

function kindOf(v: RawNode): Kind {
  switch (v.type) {
    case 'object':
      return 'maps';
    case 'list':
      return 'list';
    case 'number':
      return /^-?(0[xX]|[0-9]+$)/.test(v.text) ? 'int' : 'float';
    case 'bool':
      return 'bool';
    default:
      return 'string';
  }
}

/** `a "b" { }` is stored as a → {b → body}; the wrapper object sits at the position of key "b". */
function isNestedKeyWrapper(v: RawNode): boolean {
  if (v.type !== 'object' || v.entries.length !== 1) return false;
  const kp = v.entries[0].keyPos;
  return kp.line === v.pos.line && kp.column === v.pos.column;
}

function objectToMap(obj: RawObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kinds = new Map<string, Kind>();
  const done = new Set<string>();
  for (const e of obj.entries) {
    const v = e.value;
    if (done.has(e.key)) continue;
    if (isNestedKeyWrapper(v)) {
      // HCL1 decodeMap: ObjectList.Filter(key) groups every item whose first key EqualFolds this one
      const fold = e.key.toLowerCase();
      const group = obj.entries.filter((x) => x.key === e.key || x.key.toLowerCase() === fold);
      if (group.some((x) => !isNestedKeyWrapper(x.value))) throw new MixedKindsError(e.key);
      out[e.key] = group.map((x) => objectToMap(x.value as RawObject));
      kinds.set(e.key, 'maps');
      done.add(e.key);
      continue;
    }
    const prevKind = kinds.get(e.key);
    const k = kindOf(v);
    if (prevKind === undefined) {
      kinds.set(e.key, k);
      out[e.key] = k === 'maps' ? [objectToMap(v as RawObject)] : toGoShape(v);
      continue;
    }
    const prev = out[e.key];
    if (prevKind === 'maps' || prevKind === 'list') {
      if (k === 'maps') out[e.key] = [...(prev as unknown[]), objectToMap(v as RawObject)];
      else if (k === 'list') {
        const items = (v as RawList).items;
        if (prevKind === 'maps' && items.some((it) => it.type !== 'object')) throw new MixedKindsError(e.key);
        out[e.key] = [...(prev as unknown[]), ...items.map((it) => toGoShape(it))];
      } else throw new MixedKindsError(e.key);
    } else if (prevKind === k || (prevKind === 'float' && k === 'int')) {
      out[e.key] = toGoShape(v);
    } else if (prevKind === 'string' && (k === 'int' || k === 'float')) {
      out[e.key] = (v as { text: string }).text;
    } else {
      throw new MixedKindsError(e.key);
    }
  }
  return out;
}
