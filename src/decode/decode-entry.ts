// Turns one parsed document into a config entry in Consul's API form, or the errors
// `consul config write` would print for it (unknown kind, unknown keys, wrong types).
import { configEntryError, quoteToken, type ConfigEntryError } from '../model/errors.ts';
import type { ApiEntry, KindDefinition } from '../model/kind-definition.ts';
import { allKindNames, kindDefinition } from '../model/registry.ts';
import { UNMODELLED_KINDS } from '../model/unmodelled-kinds.ts';
import type { RawNode, RawObject, RawObjectEntry } from '../formats/raw.ts';
import { CURLY_QUOTE_HINT } from '../formats/json.ts';
import { decodeFieldsInto, type DecodeContext } from './decode-fields.ts';
import type { DecodedEntry, FileFormat } from './entry-source.ts';
import { FieldPositions } from './field-positions.ts';

export type DecodeOutcome = { ok: true; decoded: DecodedEntry; warnings: ConfigEntryError[] } | { ok: false; errors: ConfigEntryError[] };

/** Server-set fields the api structs carry; accepted on input and never sent back. */
const IGNORED_TOP_LEVEL = new Set(['CreateIndex', 'ModifyIndex']);

/** The CLI ignores `kind` in any case (command/helpers/helpers.go), and the server-set fields. */
const ignoredTopLevel = (k: string) => (k.length === 4 ? isKindInAnyCase(k) : IGNORED_TOP_LEVEL.has(k));

/**
 * `k.toLowerCase() === 'kind'`, copying only a key that starts as `kind` can: every top-level key
 * of every entry comes here, and `Name` and `Meta` are four letters too. Only k, K and the Kelvin
 * sign (U+212A) lower-case to "k".
 */
function isKindInAnyCase(k: string): boolean {
  const c = k.charCodeAt(0);
  return (c === 0x6b || c === 0x4b || c === 0x212a) && (k === 'Kind' || k.toLowerCase() === 'kind');
}

export function findKind(raw: RawObject): { kind?: string; error?: string; node?: RawNode } {
  const entry = entryNamed(raw, 'Kind') ?? entryNamed(raw, 'kind');
  if (!entry) return { error: 'Payload does not contain a kind/Kind key at the top level' };
  const v = entry.value.type === 'list' && entry.value.items.length === 1 ? entry.value.items[0] : entry.value;
  if (v.type !== 'string') return { error: 'Kind value in payload is not a string', node: entry.value };
  return { kind: v.value, node: v };
}

/**
 * Indexed, not for-of: every write the dev server takes looks its Kind up here, and a fresh server
 * runs it in the interpreter, where for-of makes an iterator and a result object per key.
 */
function entryNamed(raw: RawObject, key: string): RawObjectEntry | undefined {
  const { entries } = raw;
  for (let i = 0; i < entries.length; i++) if (entries[i].key === key) return entries[i];
  return undefined;
}

export function unknownKindError(kind: string): { message: string; hint: string } {
  if (/[“”‘’]/.test(kind)) return { message: `invalid config entry kind: ${quoteToken(kind).slice(1, -1)}`, hint: CURLY_QUOTE_HINT };
  const unmodelled = Object.hasOwn(UNMODELLED_KINDS, kind) ? UNMODELLED_KINDS[kind] : undefined;
  if (unmodelled)
    return {
      message: `${quoteToken(kind)} is a config entry kind of ${unmodelled.where} (${unmodelled.source}) that consul-gitops does not model: it cannot manage entries of this kind`,
      hint: 'keep this file out of the target directory and write it with `consul config write`; consul-gitops never reads, changes or deletes live entries of this kind',
    };
  const close = allKindNames().find((k) => k.toLowerCase() === kind.toLowerCase().trim());
  return {
    message: `invalid config entry kind: ${quoteToken(kind).slice(1, -1)}`,
    hint: close ? `did you mean "${close}"? Consul matches kinds exactly` : `known kinds: ${allKindNames().join(', ')}`,
  };
}

/** Decode a raw object whose kind is already known (used by the CRD mapper as well). */
export function decodeWithKind(
  raw: RawObject,
  def: KindDefinition,
  file: string,
  format: FileFormat,
  ignoreKey: (key: string) => boolean,
  wire = false,
): DecodeOutcome {
  const ctx: DecodeContext = { problems: [], warnings: [], positions: new FieldPositions(), hcl: format === 'hcl', wire };
  // Decoded straight into the entry after its Kind: no second object with the fields copied over.
  const entry: ApiEntry = { Kind: def.kind };
  decodeFieldsInto(entry, raw, def.fields, '', ctx, ignoreKey);
  if (ctx.problems.length)
    return {
      ok: false,
      errors: ctx.problems.map((p) => ({ ...configEntryError('decode', file, p.pos, p.field, p.message), ...(p.code ? { code: p.code } : {}) })),
    };
  // A loop, not map with a closure over `file`: almost every decode has no warning.
  const warnings: ConfigEntryError[] = [];
  for (const p of ctx.warnings ?? []) warnings.push(configEntryError('decode', file, p.pos, p.field, p.message));
  return { ok: true, decoded: { entry, file, format, pos: raw.pos, fieldPositions: ctx.positions }, warnings };
}

/**
 * Decode a plain document (HCL, JSON, or YAML with API keys), or an HTTP request body (the dev
 * server's PUT), which Consul decodes as `consul config write` decodes a file.
 */
export function decodeDocument(doc: RawNode, file: string, format: FileFormat): DecodeOutcome {
  if (doc.type !== 'object') return { ok: false, errors: [configEntryError('decode', file, doc.pos, '', 'a config entry must be an object with a Kind')] };
  const found = findKind(doc);
  if (found.error) return { ok: false, errors: [configEntryError('decode', file, found.node?.pos ?? doc.pos, 'Kind', found.error)] };
  const def = kindDefinition(found.kind!);
  if (!def) {
    const { message, hint } = unknownKindError(found.kind!);
    return { ok: false, errors: [configEntryError('decode', file, found.node!.pos, 'Kind', message, hint)] };
  }
  return decodeWithKind(doc, def, file, format, ignoredTopLevel);
}
