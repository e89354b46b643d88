// /v1/config: PUT (ConfigApply), GET one / list, DELETE — the pipeline of Consul's agent/config_endpoint.go (ConfigApply) → agent/consul/config_endpoint.go (Apply) → agent/consul/state/config_entry.go
// with Consul's status codes, texts and headers.
import { normalizeEntry } from '../core/normalize.ts';
import { entryErrorText, entryProblems, withGivenBlocks } from '../core/entry-rules.ts';
import { decodeApiBody, type ApiBodyOutcome } from '../decode/api-body.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { AclPolicy, configEntryPermission } from './acl.ts';
import { BexprError, SERVICE_CONFIG_ENTRY_FIELDS, filterList } from '../core/bexpr.ts';
import { ceUnusedKeyError } from './ce-keys.ts';
import { tooNewKeyError } from './version-keys.ts';
import type { ConsulVersion } from '../model/consul-versions.ts';
import { graphError } from './graph-check.ts';
import { goJsonDecode } from './go-json.ts';
import {
  DATACENTER,
  HttpError,
  RpcError,
  blockingQuery,
  checkDatacenter,
  goQuote,
  parseQueryOptions,
  parseUint,
  queryMetaHeaders,
  rejectEnterpriseMeta,
  sendJson,
  sendText,
  type RequestContext,
} from './http-util.ts';
import { canonicalJson, responseShape } from './response-shape.ts';
import { entryName, type StoredEntry } from './state.ts';
import { CONSUL_CE_KINDS, kindDefinition } from '../model/registry.ts';
import { furtherWritePermission } from '../model/write-acl.ts';

/** `if casStr := req.URL.Query().Get("cas"); casStr != ""`: an empty `?cas=` (or bare `?cas`) is no CAS at all. */
function casParam(ctx: RequestContext): number | undefined {
  const text = ctx.query.get('cas') ?? '';
  return text !== '' ? parseUint(text) : undefined;
}

/**
 * The name a DELETE of `kind`/`name` addresses: MakeConfigEntry ignores the name of a kind without
 * one (mesh), and Normalize fills or refuses a fixed name (proxy-defaults, ProxyConfigEntry.Normalize).
 */
function nameToDelete(kind: string, name: string): string {
  const rule = kindDefinition(kind)?.nameRule;
  if (rule?.rule === 'implicit') return rule.name;
  if (rule?.rule !== 'fixed' || !rule.normalized) return name;
  if (name !== '' && name !== rule.name) throw new RpcError(rule.message(name, rule.name));
  return rule.name;
}

function checkKind(kind: string): void {
  if (!CONSUL_CE_KINDS.has(kind)) throw new RpcError(`invalid config entry kind: ${kind}`);
}

/** `reflect.DeepEqual` of two normalised entries (indexes and Hash are not part of them). */
function sameEntry(a: ApiEntry, b: ApiEntry): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A key that may be a top-level `Hash` (any case): stripHash must rewrite the body first. */
const HASH_KEY = /"hash"\s*:/i;

/** The server accepts a top-level `Hash` (a real structs field, overwritten by Normalize). */
function stripHash(body: string): string {
  if (!HASH_KEY.test(body)) return body;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
    const keys = Object.keys(parsed).filter((k) => k.toLowerCase() === 'hash');
    if (keys.length === 0) return body;
    for (const k of keys) delete (parsed as Record<string, unknown>)[k];
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}

/**
 * Top-level fields that are Go pointers in the server struct, so an empty object written is stored
 * as a non-nil empty struct and GET returns `{}` (omitempty drops only nil pointers; the raft
 * log's msgpack keeps it). agent/structs/config_entry.go ServiceConfigEntry
 * `UpstreamConfig *UpstreamConfiguration json:",omitempty"`. The store otherwise omits zero values.
 */
const STORED_EMPTY_POINTERS: Readonly<Record<string, readonly string[]>> = { 'service-defaults': ['UpstreamConfig'] };

function withGivenPointers(entry: ApiEntry, given: ReadonlyMap<string, unknown>): ApiEntry {
  const pointers = Object.hasOwn(STORED_EMPTY_POINTERS, entry.Kind) ? STORED_EMPTY_POINTERS[entry.Kind] : undefined;
  if (!pointers) return entry;
  // A loop that copies only when a pointer is given empty: every service-defaults write comes here.
  let out: ApiEntry | undefined;
  for (const f of pointers) if (given.has(f) && entry[f] === undefined) (out ??= { ...entry })[f] = {};
  return out ?? entry;
}

/**
 * The body of PUT /v1/config as ConfigApply decodes it, or its 400. decodeBodyDeprecated first:
 * encoding/json reads the first value only (go-json.ts), then mapstructure wants a map; then the
 * kind's fields. `body`: the text of that first value.
 *
 * One parse for what almost every client sends: a body the field decoder's JSON reader
 * (formats/json.ts) takes whole is exactly one JSON value (that reader accepts a subset of the
 * JSON grammar: no other bytes, no depth past 500, no number out of int64/float64 range), so Go's
 * first Decode reads all of it and a Go syntax check would pass. The entry is the same; only the
 * positions of an outer whitespace differ, and no 400 text carries a position. Anything else (a
 * body it refuses, a top-level `Hash` to strip) takes the long way, which names Go's errors.
 */
function decodePutBody(raw: string): { body: string; decoded: ApiBodyOutcome & { ok: true } } {
  if (!HASH_KEY.test(raw)) {
    const decoded = decodeApiBody(raw);
    if (decoded.ok) return { body: raw, decoded };
  }
  const go = goJsonDecode(raw);
  if (!go.ok) throw new HttpError(400, `Request decoding failed: ${go.message}`);
  if (go.type !== 'map' && go.type !== 'nil') throw new HttpError(400, `Request decoding failed: '' expected a map, got '${go.type}'`);
  const decoded = decodeApiBody(stripHash(go.text));
  if (!decoded.ok) throw new HttpError(400, decoded.message);
  return { body: go.text, decoded };
}

export class ConfigRoutes {
  constructor(
    private readonly acl: AclPolicy,
    /** The Consul version emulated: undefined = the newest modelled (version-dependent rules, keys it knows). */
    private readonly version?: ConsulVersion,
  ) {}

  /** PUT /v1/config */
  apply(ctx: RequestContext): void {
    const { body, decoded } = decodePutBody(ctx.body);
    if (!CONSUL_CE_KINDS.has(decoded.entry.Kind)) throw new HttpError(400, `Request decoding failed: invalid config entry kind: ${decoded.entry.Kind}`);
    const ceKeys = ceUnusedKeyError(body, decoded.entry.Kind);
    if (ceKeys) throw new HttpError(400, ceKeys);
    const tooNew = this.version && tooNewKeyError(decoded.entry, this.version, decoded.given, body);
    if (tooNew) throw new HttpError(400, tooNew);
    rejectEnterpriseMeta(ctx);
    const cas = casParam(ctx);

    // ConfigEntry.Apply: only exported-services look at ?dc (gateWriteToSecondary); every other
    // write is sent to the primary datacenter whatever ?dc says (args.Datacenter is overwritten).
    const dc = ctx.query.get('dc') ?? '';
    if (decoded.entry.Kind === 'exported-services' && dc !== '' && dc !== DATACENTER)
      throw new RpcError('exported-services writes must not target secondary datacenters.');
    this.acl.resolve(ctx);
    const entry = normalizeEntry(decoded.entry, this.version);
    // Validate sees an empty object the body gives (a non-nil Go pointer); the store keeps only the pointer fields (withGivenPointers).
    const validated = withGivenBlocks(entry, decoded.given);
    const problems = entryProblems(validated);
    // Kinds whose Validate() is ported whole answer with Consul's exact text (multierror lists
    // included); the others with the first problem, as Consul returns its first error.
    if (problems.length) throw new RpcError(entryErrorText(validated) ?? problems[0].message);
    const name = entryName(entry);
    const perm = configEntryPermission(entry.Kind, name, 'write');
    if (perm) this.acl.require(ctx, perm);
    // CanWrite asks the kind's permission first, then what the entry's contents need besides.
    const further = furtherWritePermission(entry, this.version);
    if (further) this.acl.require(ctx, further.perm, further.prefix);

    const state = ctx.state;
    const existing = state.getEntry(entry.Kind, name);
    const stored = withGivenPointers(entry, decoded.given);
    if (existing && sameEntry(existing.entry, stored)) return sendJson(ctx, 200, true);

    // FSM: EnsureConfigEntryCAS, then graph validation, then insert.
    if (cas !== undefined) {
      if (cas === 0 && existing) return sendJson(ctx, 200, false);
      if (cas !== 0 && (!existing || existing.modifyIndex !== cas)) return sendJson(ctx, 200, false);
    }
    // The memdb id index refuses an empty name (indexFromConfigEntry, agent/consul/state/config_entry_schema.go):
    // it is reached by every kind whose Validate lets an empty name through (gateways, routes, file-system-certificate).
    if (!name) throw new RpcError('failed inserting config entry: object is missing a value for this index');
    const err = graphError(state.graphView, existing?.entry, entry);
    if (err) throw new RpcError(err);
    state.putEntry(entry.Kind, name, stored);
    state.notify();
    sendJson(ctx, 200, true);
  }

  /** GET /v1/config/:kind[/:name] and DELETE /v1/config/:kind/:name */
  async config(ctx: RequestContext): Promise<void> {
    const rest = ctx.path.slice('/v1/config/'.length);
    const slash = rest.indexOf('/');
    const args = slash < 0 ? [rest] : [rest.slice(0, slash), rest.slice(slash + 1)];
    if (ctx.req.method === 'DELETE') return this.delete(ctx, args);
    const opts = parseQueryOptions(ctx.query);
    rejectEnterpriseMeta(ctx);
    if (args.length === 2) return this.getOne(ctx, args[0], args[1], opts);
    return this.list(ctx, args[0], opts);
  }

  private async getOne(ctx: RequestContext, kind: string, name: string, opts: ReturnType<typeof parseQueryOptions>): Promise<void> {
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    checkKind(kind);
    // ConfigEntry.Get looks the name up as given: no Normalize, so proxy-defaults "" is not "global".
    const perm = configEntryPermission(kind, name, 'read');
    if (perm) this.acl.require(ctx, perm);
    // ConfigEntry.Get watches only this entry (memdb FirstWatch on its id): writes to other entries
    // do not wake it, and a missing entry that is still missing keeps blocking (errNotFound).
    const result = await blockingQuery(
      ctx,
      opts,
      () => ({ index: ctx.state.tableIndex('config-entries'), entry: ctx.state.getEntry(kind, name) }),
      (prev, next) => (prev.entry ? (next.entry === prev.entry ? 'unwatched' : false) : !next.entry),
    );
    const headers = queryMetaHeaders(result.index);
    if (!result.entry) return sendText(ctx, 404, `Config entry not found for ${goQuote(kind)} / ${goQuote(name)}`, headers);
    sendJson(ctx, 200, responseShape(result.entry), headers);
  }

  private async list(ctx: RequestContext, kind: string, opts: ReturnType<typeof parseQueryOptions>): Promise<void> {
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    if (kind !== '') checkKind(kind);
    const filterText = ctx.query.get('filter') ?? '';
    if (filterText !== '') {
      if (kind !== 'service-defaults') throw new RpcError(`filtering not supported for config entry kind=${kind}`);
      try {
        filterList(filterText, [], (x) => x, SERVICE_CONFIG_ENTRY_FIELDS);
      } catch (e) {
        // bexpr.CreateFilter wraps every parse/validation error.
        if (e instanceof BexprError) throw new RpcError(`Failed to create boolean expression evaluator: ${e.message}`);
        throw e;
      }
    }
    const compute = () => {
      const all = ctx.state.listEntries(kind);
      // ConfigEntry.List drops each entry whose CanRead fails (agent/consul/config_endpoint.go).
      const readable = all.filter((s) => {
        const perm = configEntryPermission(s.entry.Kind, entryName(s.entry), 'read');
        return !perm || this.acl.can(ctx, perm);
      });
      const filtered = readable.length < all.length;
      // The hash is taken before the bexpr filter runs, as in ConfigEntry.List.
      const hash = readable.map((s) => `${s.modifyIndex}:${entryName(s.entry)}`).join(',');
      let entries: StoredEntry[] = readable;
      if (filterText !== '') entries = filterList(filterText, entries, (s) => ({ ...s.entry, Hash: s.hash }), SERVICE_CONFIG_ENTRY_FIELDS);
      return { index: ctx.state.tableIndex('config-entries'), entries, hash, filtered };
    };
    // Spurious wake-ups keep blocking: an unchanged result hash (errNotChanged), or a result that
    // was empty and still is (errNotFound).
    const result = await blockingQuery(ctx, opts, compute, (prev, next) => prev.hash === next.hash || (prev.entries.length === 0 && next.entries.length === 0));
    const entries = result.entries;
    const headers = queryMetaHeaders(result.index);
    sendJson(ctx, 200, entries.map(responseShape), { ...headers, ...this.acl.filteredHeader(ctx, result.filtered) });
  }

  private delete(ctx: RequestContext, args: string[]): void {
    if (args.length !== 2) throw new HttpError(404, 'Must provide both a kind and name to delete');
    const [kind, rawName] = args as [string, string];
    if (!CONSUL_CE_KINDS.has(kind)) throw new HttpError(400, `invalid config entry kind: ${kind}`);
    rejectEnterpriseMeta(ctx);
    const cas = casParam(ctx);

    // ConfigEntry.Delete sends every delete to the primary datacenter: ?dc is not looked at.
    this.acl.resolve(ctx);
    // Normalize (no Validate): proxy-defaults only has "global", mesh is always "mesh".
    const name = nameToDelete(kind, rawName);
    const perm = configEntryPermission(kind, name, 'write');
    if (perm) this.acl.require(ctx, perm);

    const state = ctx.state;
    const existing = state.getEntry(kind, name);
    const reply = (deleted: boolean) => (cas !== undefined ? sendJson(ctx, 200, deleted) : sendJson(ctx, 200, {}));
    if (!existing) return reply(true);
    if (cas !== undefined && existing.modifyIndex !== cas) return reply(false);
    const err = graphError(state.graphView, existing.entry, undefined);
    if (err) throw new RpcError(err);
    state.deleteEntry(kind, name);
    state.notify();
    reply(true);
  }
}
