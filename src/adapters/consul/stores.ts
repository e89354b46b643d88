// The core's ports (src/core/ports.ts) on top of ConsulClient.
import type { ConfigEntryStore, LiveEntry, StateStore } from '../../core/ports.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { ConsulClient } from './client.ts';
import { isConsulError } from './errors.ts';

function liveEntry(entry: ApiEntry): LiveEntry {
  const index = entry.ModifyIndex;
  return { entry, modifyIndex: typeof index === 'number' ? index : 0 };
}

/**
 * An ambiguous conflict (a CAS write answered `false` after a retry whose first attempt may have
 * been applied) is reported as `false`: the port's answer for "re-read and re-plan", which is the
 * right reaction either way (if our first attempt won, the next plan is a noop).
 */
async function casResult(write: Promise<boolean>): Promise<boolean> {
  try {
    return await write;
  } catch (e) {
    if (isConsulError(e) && e.kind === 'conflict' && e.ambiguous) return false;
    throw e;
  }
}

export class ConsulConfigEntryStore implements ConfigEntryStore {
  readonly #consul: ConsulClient;

  constructor(consul: ConsulClient) {
    this.#consul = consul;
  }

  async list(kind: string): Promise<LiveEntry[]> {
    const { entries } = await this.#consul.listEntries(kind);
    return entries.map(liveEntry);
  }

  async get(kind: string, name: string): Promise<LiveEntry | undefined> {
    const { entry } = await this.#consul.getEntry(kind, name);
    return entry ? liveEntry(entry) : undefined;
  }

  write(entry: ApiEntry, cas: number): Promise<boolean> {
    return casResult(this.#consul.putEntry(entry, { cas }));
  }

  delete(kind: string, name: string, cas: number): Promise<boolean> {
    return casResult(this.#consul.deleteEntry(kind, name, { cas }));
  }
}

export class ConsulKvStateStore implements StateStore {
  readonly #consul: ConsulClient;

  constructor(consul: ConsulClient) {
    this.#consul = consul;
  }

  async read(key: string): Promise<{ value: string; modifyIndex: number } | undefined> {
    const pair = await this.#consul.kvGet(key);
    return pair ? { value: pair.value, modifyIndex: pair.modifyIndex } : undefined;
  }

  write(key: string, value: string, cas: number): Promise<boolean> {
    return casResult(this.#consul.kvPut(key, value, { cas }));
  }
}
