// /v1/kv/:key — GET (single, ?recurse, ?keys[&separator], ?raw), PUT (?cas, ?flags), DELETE
// (?cas, ?recurse), after agent/kvs_endpoint.go and the KVS state store. Sessions/locks are not
// modelled (LockIndex stays 0; ?acquire/?release are refused).
import { AclPolicy } from './acl.ts';
import {
  HttpError,
  RpcError,
  blockingQuery,
  checkDatacenter,
  parseQueryOptions,
  parseUint,
  queryMetaHeaders,
  rejectEnterpriseMeta,
  sendJson,
  type RequestContext,
} from './http-util.ts';
import type { DevState, KvEntry } from './state.ts';

function dirEntryJson(e: KvEntry): Record<string, unknown> {
  return {
    LockIndex: e.lockIndex,
    Key: e.key,
    Flags: BigInt(e.flags),
    Value: e.value,
    CreateIndex: e.createIndex,
    ModifyIndex: e.modifyIndex,
  };
}

/** kvsListTxn's index: max of matching entries and tombstones under the prefix, else the table's. */
function prefixIndex(state: DevState, prefix: string): number {
  let idx = 0;
  for (const e of state.kv.values()) if (e.key.startsWith(prefix)) idx = Math.max(idx, e.modifyIndex);
  for (const [k, i] of state.tombstones) if (k.startsWith(prefix)) idx = Math.max(idx, i);
  return idx || Math.max(state.tableIndex('kvs'), state.tableIndex('tombstones'));
}

/** Go's url.QueryEscape. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's url.Values.Encode: keys sorted, each key's values in order. */
function encodeValues(q: URLSearchParams): string {
  const keys = [...new Set(q.keys())].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return keys.flatMap((k) => q.getAll(k).map((v) => `${queryEscape(k)}=${queryEscape(v)}`)).join('&');
}

function conflicting(ctx: RequestContext, ...flags: string[]): void {
  if (flags.filter((f) => ctx.query.has(f)).length > 1) throw new HttpError(400, `Conflicting flags: ${encodeValues(ctx.query)}\n`);
}

export class KvRoutes {
  constructor(private readonly acl: AclPolicy) {}

  async handle(ctx: RequestContext): Promise<void> {
    const key = ctx.path.slice('/v1/kv/'.length);
    const method = ctx.req.method;
    // KVSEndpoint calls s.parse (consistency, wait, index) for every method, before anything else.
    parseQueryOptions(ctx.query);
    if (method === 'GET') return ctx.query.has('keys') ? this.keys(ctx, key) : this.get(ctx, key);
    if (method === 'PUT') return this.put(ctx, key);
    if (method === 'DELETE') return this.delete(ctx, key);
    throw new HttpError(405, `method ${method} not allowed`, { Allow: 'OPTIONS,GET,PUT,DELETE' });
  }

  private async get(ctx: RequestContext, key: string): Promise<void> {
    const opts = parseQueryOptions(ctx.query);
    const recurse = ctx.query.has('recurse');
    if (!recurse && key === '') throw new HttpError(400, 'Missing key name');
    rejectEnterpriseMeta(ctx);
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const state = ctx.state;
    if (!recurse) this.acl.require(ctx, { resource: 'key', access: 'read', name: key });
    const result = await blockingQuery(ctx, opts, () => {
      if (recurse) {
        // KVS.List filters each key by key:read (agent/consul/kvs_endpoint.go).
        const under = [...state.kv.values()].filter((e) => e.key.startsWith(key));
        const entries = under
          .filter((e) => this.acl.can(ctx, { resource: 'key', access: 'read', name: e.key }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        return { index: prefixIndex(state, key), entries, filtered: entries.length < under.length };
      }
      const e = state.kv.get(key);
      return e
        ? { index: e.modifyIndex, entries: [e], filtered: false }
        : { index: Math.max(state.tableIndex('kvs'), state.tableIndex('tombstones')), entries: [], filtered: false };
    });
    const headers = { ...queryMetaHeaders(result.index), ...this.acl.filteredHeader(ctx, result.filtered) };
    if (result.entries.length === 0) {
      ctx.res.writeHead(404, { ...ctx.baseHeaders, ...headers, 'Content-Length': '0' });
      ctx.res.end();
      return;
    }
    if (ctx.query.has('raw') && !recurse) {
      const body = result.entries[0].value === null ? Buffer.alloc(0) : Buffer.from(result.entries[0].value, 'base64');
      ctx.res.writeHead(200, {
        ...ctx.baseHeaders,
        ...headers,
        'Content-Length': String(body.length),
        'Content-Type': 'text/plain',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': 'sandbox',
      });
      ctx.res.end(body);
      return;
    }
    sendJson(ctx, 200, result.entries.map(dirEntryJson), headers);
  }

  private async keys(ctx: RequestContext, prefix: string): Promise<void> {
    const opts = parseQueryOptions(ctx.query);
    rejectEnterpriseMeta(ctx);
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    const sep = ctx.query.get('separator') ?? ctx.query.get('seperator') ?? '';
    const state = ctx.state;
    const result = await blockingQuery(ctx, opts, () => {
      const keys: string[] = [];
      {
        const sorted = [...state.kv.keys()].filter((k) => k.startsWith(prefix) && this.acl.can(ctx, { resource: 'key', access: 'read', name: k })).sort();
        for (const k of sorted) {
          let out = k;
          if (sep) {
            const at = k.indexOf(sep, prefix.length);
            if (at >= 0) out = k.slice(0, at + sep.length);
          }
          if (keys[keys.length - 1] !== out) keys.push(out);
        }
      }
      return { index: prefixIndex(state, prefix), keys };
    });
    const headers = queryMetaHeaders(result.index);
    if (result.keys.length === 0 && prefix !== '') {
      ctx.res.writeHead(404, { ...ctx.baseHeaders, ...headers, 'Content-Length': '0' });
      ctx.res.end();
      return;
    }
    sendJson(ctx, 200, result.keys, headers);
  }

  private put(ctx: RequestContext, key: string): void {
    rejectEnterpriseMeta(ctx);
    if (key === '') throw new HttpError(400, 'Missing key name');
    conflicting(ctx, 'cas', 'acquire', 'release');
    const flagsText = ctx.query.get('flags');
    const flags = flagsText !== null ? (parseUint(flagsText), BigInt(flagsText).toString()) : '0';
    const casText = ctx.query.get('cas');
    const cas = casText !== null ? parseUint(casText) : undefined;
    if (ctx.query.has('acquire') || ctx.query.has('release')) throw new RpcError('invalid session');
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    this.acl.require(ctx, { resource: 'key', access: 'write', name: key });
    const state = ctx.state;
    const existing = state.kv.get(key);
    if (cas !== undefined) {
      // kvsSetCASTxn: 0 = create only; otherwise the entry must exist at that ModifyIndex.
      if (cas === 0 && existing) return sendJson(ctx, 200, false);
      if (cas !== 0 && (!existing || existing.modifyIndex !== cas)) return sendJson(ctx, 200, false);
    }
    const idx = state.commit(['kvs']);
    const raw = ctx.bodyBytes.length === 0 ? null : ctx.bodyBytes.toString('base64');
    state.kv.set(key, {
      key,
      flags,
      value: raw,
      lockIndex: existing?.lockIndex ?? 0,
      createIndex: existing?.createIndex ?? idx,
      modifyIndex: idx,
    });
    state.tombstones.delete(key);
    state.notify();
    sendJson(ctx, 200, true);
  }

  private delete(ctx: RequestContext, key: string): void {
    rejectEnterpriseMeta(ctx);
    conflicting(ctx, 'recurse', 'cas');
    const recurse = ctx.query.has('recurse');
    if (!recurse && key === '') throw new HttpError(400, 'Missing key name');
    const casText = ctx.query.get('cas');
    const cas = casText !== null ? parseUint(casText) : undefined;
    checkDatacenter(ctx);
    this.acl.resolve(ctx);
    this.acl.require(ctx, { resource: 'key', access: 'write', name: key });
    const state = ctx.state;
    if (cas !== undefined) {
      const e = state.kv.get(key);
      // kvsDeleteCASTxn: a missing entry counts as deleted.
      if (!e) return sendJson(ctx, 200, true);
      if (e.modifyIndex !== cas) return sendJson(ctx, 200, false);
    }
    const doomed = recurse ? [...state.kv.keys()].filter((k) => k.startsWith(key)) : state.kv.has(key) ? [key] : [];
    if (doomed.length) {
      const idx = state.commit(['kvs', 'tombstones']);
      for (const k of doomed) {
        state.kv.delete(k);
        state.tombstones.set(k, idx);
      }
      state.notify();
    }
    sendJson(ctx, 200, true);
  }
}
