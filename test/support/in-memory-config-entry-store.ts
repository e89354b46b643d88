// A ConfigEntryStore double with Consul's check-and-set rules, for pure planner/apply tests.
// End-to-end behaviour is tested against the dev server; this one lets a test inject failures.
import type { ApiEntry } from '../../src/model/kind-definition.ts';
import { entryIdOf, entryKey } from '../../src/model/entry-id.ts';
import type { ConfigEntryStore, LiveEntry } from '../../src/app/ports/config-entry-store.ts';
import { normalizeEntry } from '../../src/core/normalize.ts';
import { fieldText } from '../../src/model/field-text.ts';

export class InMemoryConfigEntryStore implements ConfigEntryStore {
  private readonly entries = new Map<string, LiveEntry>();
  private index = 1;
  readonly requests: string[] = [];
  /** Make writes of these `kind/name` keys throw, as a Consul 500 would. */
  readonly failWrites = new Map<string, string>();
  /** Runs just before a write lands: lets a test race a concurrent writer. */
  beforeWrite?: (entry: ApiEntry) => void;

  seed(entry: ApiEntry): LiveEntry {
    const live = { entry: { ...normalizeEntry(entry), CreateIndex: ++this.index, ModifyIndex: this.index }, modifyIndex: this.index };
    this.entries.set(entryKey(entryIdOf(entry)), live);
    return live;
  }

  all(): ApiEntry[] {
    return [...this.entries.values()].map((l) => l.entry);
  }

  async list(kind: string): Promise<LiveEntry[]> {
    this.requests.push(`list ${kind}`);
    return [...this.entries.values()].filter((l) => l.entry.Kind === kind);
  }

  async get(kind: string, name: string): Promise<LiveEntry | undefined> {
    this.requests.push(`get ${kind}/${name}`);
    return this.entries.get(entryKey(entryIdOf({ Kind: kind, Name: name })));
  }

  async write(entry: ApiEntry, cas: number): Promise<boolean> {
    this.requests.push(`write ${entry.Kind}/${fieldText(entry.Name)} cas=${cas}`);
    this.beforeWrite?.(entry);
    const id = entryIdOf(entry);
    const failure = this.failWrites.get(`${id.kind}/${id.name}`);
    if (failure) throw new Error(failure);
    const key = entryKey(id);
    const existing = this.entries.get(key);
    if (cas === 0 ? existing !== undefined : existing?.modifyIndex !== cas) return false;
    const index = ++this.index;
    this.entries.set(key, {
      entry: { ...normalizeEntry(entry), CreateIndex: existing ? existing.entry.CreateIndex : index, ModifyIndex: index },
      modifyIndex: index,
    });
    return true;
  }

  async delete(kind: string, name: string, cas: number): Promise<boolean> {
    this.requests.push(`delete ${kind}/${name} cas=${cas}`);
    const key = entryKey(entryIdOf({ Kind: kind, Name: name }));
    const existing = this.entries.get(key);
    if (!existing) return true;
    if (existing.modifyIndex !== cas) return false;
    this.entries.delete(key);
    this.index++;
    return true;
  }
}
