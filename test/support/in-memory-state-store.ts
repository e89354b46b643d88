// A StateStore double with Consul KV's check-and-set rules (cas 0 creates only).
import type { StateStore } from '../../src/app/ports/config-entry-store.ts';

export class InMemoryStateStore implements StateStore {
  readonly values = new Map<string, { value: string; modifyIndex: number }>();
  private index = 0;

  async read(key: string) {
    return this.values.get(key);
  }

  async write(key: string, value: string, cas: number): Promise<boolean> {
    const current = this.values.get(key);
    if (cas === 0 ? current !== undefined : current?.modifyIndex !== cas) return false;
    this.values.set(key, { value, modifyIndex: ++this.index });
    return true;
  }
}
