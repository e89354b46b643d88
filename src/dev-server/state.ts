// The dev server's state store: config entries keyed by (kind, lower(name)), one global raft-like
// index, per-table max indexes (bumped on insert AND delete, as memdb's index table), KV and a tiny
// catalog. Pure data + change notification; HTTP concerns live in the *-routes.ts files.
import type { ApiEntry } from '../model/kind-definition.ts';
import { kindDefinition } from '../model/registry.ts';
import { fieldText } from '../model/field-text.ts';
import { lowerOnce } from '../model/related-services.ts';
import { entryHash } from './response-shape.ts';
import { entryName } from '../core/plan/write-graph-check.ts';

export interface StoredEntry {
  readonly entry: ApiEntry; // normalised, zero values omitted, no indexes
  readonly hash: bigint;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/**
 * A stored entry whose Hash is worked out when a read first shows it: it depends on the entry
 * alone, which is never changed once stored, and most writes of a large apply are never read
 * back (the hash was a sixth of a write's allocations).
 */
class Stored implements StoredEntry {
  #hash: bigint | undefined;

  constructor(
    readonly entry: ApiEntry,
    hash: bigint | undefined,
    readonly createIndex: number,
    readonly modifyIndex: number,
  ) {
    this.#hash = hash;
  }

  get hash(): bigint {
    return (this.#hash ??= entryHash(this.entry));
  }
}

export interface KvEntry {
  key: string;
  flags: string; // uint64 as decimal text
  value: string | null; // base64, null for an empty PUT body
  lockIndex: number;
  createIndex: number;
  modifyIndex: number;
}

export interface CatalogNode {
  node: string;
  address: string;
  datacenter: string;
  taggedAddresses?: Record<string, string>;
  meta?: Record<string, string>;
  createIndex: number;
  modifyIndex: number;
}

export interface CatalogService {
  node: string;
  service: Record<string, unknown>; // Consul's NodeService JSON, without indexes
  createIndex: number;
  modifyIndex: number;
}

export type Table = 'config-entries' | 'kvs' | 'tombstones' | 'nodes' | 'services';

export interface StateSnapshot {
  version: 1;
  index: number;
  tables: Partial<Record<Table, number>>;
  entries: { entry: ApiEntry; hash: string; createIndex: number; modifyIndex: number }[];
  kv: KvEntry[];
  tombstones: [string, number][];
  nodes: CatalogNode[];
  services: CatalogService[];
}

/** memdb `id` index key: lower(kind) \0 lower(name) \0 — also the list order. */
export function configKey(kind: string, name: string): string {
  return `${kind.toLowerCase()}\u0000${name.toLowerCase()}\u0000`;
}

export class DevState {
  /** Global index. A fresh dev agent has already done a few raft writes before any client request. */
  index = 10;
  private readonly tables = new Map<Table, number>();
  readonly entries = new Map<string, StoredEntry>();
  /**
   * Per-kind index by lower(name), and each kind's list in id-index order (rebuilt only after that
   * kind changes). Lookups go through it: a write looks entries up several times (its own, the
   * graph check's), and two plain keys cost less than building and hashing a new id key each time.
   * Within one kind, lower(name) orders as the id key does (the key only adds "\0" before and after).
   */
  private readonly byKind = new Map<string, Map<string, StoredEntry>>();
  private readonly sortedByKind = new Map<string, StoredEntry[]>();
  /**
   * The link index (memdb's `link` index on config entries): lower(service) → the discovery-chain
   * entries whose relatedServices name it, by id key. A write checks the chains reaching its
   * service without scanning every router, splitter and resolver.
   */
  private readonly linksTo = new Map<string, Map<string, StoredEntry>>();
  readonly kv = new Map<string, KvEntry>();
  readonly tombstones = new Map<string, number>();
  readonly nodes = new Map<string, CatalogNode>(); // key: lower(node)
  readonly services = new Map<string, CatalogService>(); // key: lower(node) \0 serviceID
  private waiters = new Set<() => void>();
  /** Called after every committed write (persistence hooks in here). */
  onCommit: (() => void) | undefined;

  tableIndex(table: Table): number {
    return this.tables.get(table) ?? 0;
  }

  /** Allocates the next raft index and bumps the given tables to it. */
  commit(tables: readonly Table[]): number {
    const idx = ++this.index;
    for (const t of tables) this.tables.set(t, idx);
    return idx;
  }

  /** Must be called after the write is applied: wakes blocking queries, persists. */
  notify(): void {
    this.onCommit?.();
    // No blocking query waiting (every write of an apply): nothing to wake, no new set.
    if (this.waiters.size === 0) return;
    const ws = this.waiters;
    this.waiters = new Set();
    for (const w of ws) w();
  }

  /** Resolves on the next committed write, or after `ms`; returns false on timeout. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (changed: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', abort);
        resolve(changed);
      };
      const wake = () => done(true);
      const abort = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, ms));
      this.waiters.add(wake);
      signal?.addEventListener('abort', abort);
    });
  }

  // ---- config entries ----

  getEntry(kind: string, name: string): StoredEntry | undefined {
    return this.byKind.get(kind.toLowerCase())?.get(name.toLowerCase());
  }

  /** Entries of one kind (or all with kind ""), in memdb id-index byte order. */
  listEntries(kind: string): StoredEntry[] {
    const byKey = (a: [string, StoredEntry], b: [string, StoredEntry]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    if (kind === '') return [...this.entries.entries()].sort(byKey).map(([, v]) => v);
    const lower = kind.toLowerCase();
    let sorted = this.sortedByKind.get(lower);
    if (!sorted) {
      sorted = [...(this.byKind.get(lower) ?? new Map<string, StoredEntry>()).entries()].sort(byKey).map(([, v]) => v);
      this.sortedByKind.set(lower, sorted);
    }
    return [...sorted];
  }

  /** The graph checks' view of the store: lookups by kind and name, lists by kind, chains by linked service. */
  readonly graphView = {
    get: (kind: string, name: string): ApiEntry | undefined => this.getEntry(kind, name)?.entry,
    ofKind: (kind: string): ApiEntry[] => [...(this.byKind.get(kind.toLowerCase())?.values() ?? [])].map((s) => s.entry),
    // One array, and none when no chain links to the service (most writes).
    linking: (service: string): readonly ApiEntry[] => {
      const m = this.linksTo.get(service.toLowerCase());
      return m ? Array.from(m.values(), (s) => s.entry) : NO_ENTRIES;
    },
  };

  private link(key: string, old: StoredEntry | undefined, next: StoredEntry | undefined): void {
    for (const svc of relatedServices(old)) {
      const m = this.linksTo.get(svc);
      m?.delete(key);
      if (m?.size === 0) this.linksTo.delete(svc);
    }
    for (const svc of relatedServices(next)) {
      let m = this.linksTo.get(svc);
      if (!m) this.linksTo.set(svc, (m = new Map<string, StoredEntry>()));
      m.set(key, next!);
    }
  }

  private index_(kind: string, name: string, stored: StoredEntry | undefined): void {
    const lower = kind.toLowerCase();
    const lowerName = name.toLowerCase();
    const key = configKey(lower, lowerName);
    let m = this.byKind.get(lower);
    if (!m) this.byKind.set(lower, (m = new Map<string, StoredEntry>()));
    const old = m.get(lowerName);
    // Only discovery-chain entries are in the link index: the other writes (most of them) skip it.
    if (inLinkIndex(old) || inLinkIndex(stored)) this.link(key, old, stored);
    if (stored) {
      this.entries.set(key, stored);
      m.set(lowerName, stored);
    } else {
      this.entries.delete(key);
      m.delete(lowerName);
    }
    this.sortedByKind.delete(lower);
  }

  /** `hash`: the entry's Hash when known; otherwise entryHash works it out on first read. */
  putEntry(kind: string, name: string, entry: ApiEntry, hash?: bigint): number {
    const existing = this.getEntry(kind, name);
    const idx = this.commit(['config-entries']);
    this.index_(kind, name, new Stored(entry, hash, existing?.createIndex ?? idx, idx));
    return idx;
  }

  deleteEntry(kind: string, name: string): boolean {
    if (!this.getEntry(kind, name)) return false;
    this.commit(['config-entries']);
    this.index_(kind, name, undefined);
    return true;
  }

  // ---- snapshot ----

  snapshot(): StateSnapshot {
    return {
      version: 1,
      index: this.index,
      tables: Object.fromEntries(this.tables),
      entries: [...this.entries.values()].map((s) => ({ entry: s.entry, hash: s.hash.toString(), createIndex: s.createIndex, modifyIndex: s.modifyIndex })),
      kv: [...this.kv.values()],
      tombstones: [...this.tombstones.entries()],
      nodes: [...this.nodes.values()],
      services: [...this.services.values()],
    };
  }

  restore(s: StateSnapshot): void {
    this.index = s.index;
    this.tables.clear();
    for (const [t, i] of Object.entries(s.tables)) this.tables.set(t as Table, i);
    this.entries.clear();
    this.byKind.clear();
    this.sortedByKind.clear();
    this.linksTo.clear();
    for (const e of s.entries) {
      const name = entryName(e.entry);
      this.index_(e.entry.Kind, name, new Stored(e.entry, BigInt(e.hash), e.createIndex, e.modifyIndex));
    }
    this.kv.clear();
    for (const k of s.kv) this.kv.set(k.key, k);
    this.tombstones.clear();
    for (const [k, i] of s.tombstones) this.tombstones.set(k, i);
    this.nodes.clear();
    for (const n of s.nodes) this.nodes.set(n.node.toLowerCase(), n);
    this.services.clear();
    for (const sv of s.services) this.services.set(serviceKey(sv.node, fieldText(sv.service.ID)), sv);
  }
}

const NO_SERVICES: readonly string[] = [];

/** Whether the stored entry's kind names related services (router, splitter, resolver). */
function inLinkIndex(stored: StoredEntry | undefined): boolean {
  return stored !== undefined && kindDefinition(stored.entry.Kind)?.relatedServices !== undefined;
}

/** The lower-cased services a stored entry's kind says it links to, each once (none for non-chain kinds: most writes). */
function relatedServices(stored: StoredEntry | undefined): readonly string[] {
  const related = stored && kindDefinition(stored.entry.Kind)?.relatedServices;
  return related ? lowerOnce(related(stored.entry)) : NO_SERVICES;
}

const NO_ENTRIES: readonly ApiEntry[] = [];

/** The name an entry is stored under, by its kind's name rule (mesh has no Name field: always "mesh"): the core's, shared with the planner. */
export { entryName };

export function serviceKey(node: string, id: string): string {
  return `${node.toLowerCase()}\u0000${id}`;
}
