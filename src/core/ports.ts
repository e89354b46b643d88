// The interfaces the core names for the world outside it. Each has one real implementation in
// src/adapters/ and test doubles in test/.
import type { ApiEntry } from '../model/kind-definition.ts';

/** Consul Enterprise's namespace and partition of one entry ("" on CE). */
export interface TenancyScope {
  namespace: string;
  partition: string;
}

/** An entry as Consul holds it, with the index check-and-set needs. */
export interface LiveEntry {
  entry: ApiEntry;
  modifyIndex: number;
}

/**
 * Where a store writes an entry that names no namespace or partition, and which namespaces it lists
 * (Consul Enterprise; src/model/tenancy.ts). Absent on CE: entries keep the identity their files give.
 */
export interface TenancyHome {
  namespace?: string;
  partition?: string;
  managed?: 'all' | readonly string[];
}

export interface ConfigEntryStore {
  readonly home?: TenancyHome;
  /** Every entry of one kind: one request, never one per entry; `signal` gives up a read no longer needed. */
  list(kind: string, signal?: AbortSignal): Promise<LiveEntry[]>;
  /** `scope`: the entry's Enterprise namespace/partition (an EntryId has both); empty: the store's own. */
  get(kind: string, name: string, scope?: TenancyScope): Promise<LiveEntry | undefined>;
  /** Check-and-set write: cas 0 creates only; false means the entry changed since it was read. */
  write(entry: ApiEntry, cas: number): Promise<boolean>;
  /** Check-and-set delete; false means the entry changed since it was read. */
  delete(kind: string, name: string, cas: number, scope?: TenancyScope): Promise<boolean>;
}

/** A tiny key/value store with check-and-set, for the reconciler's own state (Consul KV). */
export interface StateStore {
  read(key: string): Promise<{ value: string; modifyIndex: number } | undefined>;
  write(key: string, value: string, cas: number): Promise<boolean>;
}
