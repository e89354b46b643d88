// How Consul's GET serialises a stored entry: `encoding/json` of the server structs, so struct-typed
// fields and fields without `omitempty` come back as zero noise (`"TransparentProxy": {}`,
// `"Protocol": ""`, `"Config": null`…), plus `Hash` (a uint64 beyond 2^53) and the raft indexes.
// Consul's GET encodes the server structs of agent/structs/config_entry*.go, where omitempty never omits a struct value. The store keeps entries with zero values omitted; this adds the noise
// each kind declares (`responseShape` in src/model/kinds/*.ts).
import type { ApiEntry } from '../model/kind-definition.ts';
import { kindDefinition } from '../model/registry.ts';
import type { StoredEntry } from './state.ts';

/** The JSON object Consul's GET returns for a stored entry (bigint Hash: print with stringifyApiJson). */
export function responseShape(stored: StoredEntry): Record<string, unknown> {
  const entry: ApiEntry = stored.entry;
  const def = kindDefinition(entry.Kind);
  const shape = def?.responseShape ?? 'as-stored';
  const out: Record<string, unknown> = {};
  if (shape !== 'as-stored') {
    for (const [field, zero] of shape.fields) {
      if (field in entry) out[field] = entry[field];
      else if (zero !== undefined) out[field] = structuredClone(zero);
    }
    // A kind without a Name field (mesh) is stored under its implicit name but never shows one.
    const noName = def?.nameRule.rule === 'implicit';
    for (const [k, v] of Object.entries(entry)) if (!(k in out) && !(noName && k === 'Name')) out[k] = v;
    // Meta sits just before Hash in every server struct.
    if ('Meta' in out) {
      const meta = out.Meta;
      delete out.Meta;
      out.Meta = meta;
    }
    shape.inner?.(out);
  } else {
    Object.assign(out, entry);
  }
  out.Hash = stored.hash;
  out.CreateIndex = stored.createIndex;
  out.ModifyIndex = stored.modifyIndex;
  return out;
}

/**
 * FNV-1a 64 over a canonical JSON text, top bit set so it is always beyond 2^53 (like real hashes).
 * Computed on two 32-bit halves: a bigint multiply per byte cost a tenth of a write's CPU. The FNV
 * prime is 2^40 + 0x1b3, so h × prime = h × 0x1b3 + (h << 40) mod 2^64. An ASCII text is its own
 * UTF-8 bytes: it is hashed from its char codes, without a Buffer copy.
 */
export function entryHash(entry: ApiEntry): bigint {
  const text = canonicalJson(entry);
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  // eslint-disable-next-line no-control-regex
  const ascii = !/[^\x00-\x7f]/.test(text);
  const bytes = ascii ? undefined : Buffer.from(text, 'utf8');
  const n = bytes ? bytes.length : text.length;
  for (let i = 0; i < n; i++) {
    lo = (lo ^ (bytes ? bytes[i] : text.charCodeAt(i))) >>> 0;
    const low = lo * 0x1b3; // < 2^41: exact
    hi = (Math.imul(hi, 0x1b3) + Math.floor(low / 0x100000000) + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return (BigInt((hi | 0x80000000) >>> 0) << 32n) | BigInt(lo);
}

/** Sorted-key JSON (bigints as digits, undefined as null): the text Hash and DeepEqual compare. Loops, not map/join: it runs on every write. */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + canonicalJson(v[i]);
    return `${out}]`;
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson((v as Record<string, unknown>)[keys[i]])}`;
    return `${out}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
