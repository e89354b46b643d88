// The ports the use cases read and write Consul through: its config entries, and a small key/value
// store for the reconciler's own state. src/adapters/consul implements both; test/ has doubles.
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { LiveEntry, TenancyHome, TenancyScope } from '../../model/live-entry.ts';

export type { LiveEntry, TenancyHome, TenancyScope } from '../../model/live-entry.ts';

export interface ConfigEntryStore {
  readonly home?: TenancyHome;
  /** Every entry of one kind: one request, never one per entry; `signal` gives up a read no longer needed. */
  list(kind: string, signal?: AbortSignal): Promise<LiveEntry[]>;
  /** `list` in two steps: the answers now, the entries parsed when the function is called. Optional: `list` serves without it. */
  listLater?(kind: string, signal?: AbortSignal): Promise<() => LiveEntry[]>;
  /** `scope`: the entry's Enterprise namespace/partition (an EntryId has both); empty: the store's own. */
  get(kind: string, name: string, scope?: TenancyScope): Promise<LiveEntry | undefined>;
  /** Check-and-set write: cas 0 creates only; false means the entry changed since it was read. */
  write(entry: ApiEntry, cas: number): Promise<boolean>;
  /** Check-and-set delete; false means the entry changed since it was read. */
  delete(kind: string, name: string, cas: number, scope?: TenancyScope): Promise<boolean>;
  /**
   * May this store's token write the mesh (`mesh:write`)? undefined when ACLs are off; rejects when
   * Consul will not say. Optional: a store without it (a test double) is not asked.
   */
  mayWriteMesh?(): Promise<boolean | undefined>;
}

/** A tiny key/value store with check-and-set, for the reconciler's own state (Consul KV). */
export interface StateStore {
  read(key: string): Promise<{ value: string; modifyIndex: number } | undefined>;
  write(key: string, value: string, cas: number): Promise<boolean>;
}
