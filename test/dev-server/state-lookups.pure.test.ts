// The dev server's store looks entries up by (kind, lower(name)) and lists a kind in memdb's id-index
// order (lower(kind) \0 lower(name) \0, byte order), whatever the case and the prefixes of the names.
import { describe, expect, it } from 'vitest';
import { DevState, configKey } from '../../src/dev-server/state.ts';

/** A few hundred names from a small alphabet, so many are prefixes of others or differ only in case. */
function randomNames(seed: number, count: number): string[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  const alphabet = ['a', 'A', 'b', 'B', '-', '.', '_', '0', 'é', 'É', 'z'];
  return Array.from({ length: count }, () => Array.from({ length: 1 + (next() % 4) }, () => alphabet[next() % alphabet.length]).join(''));
}

describe('dev server store', () => {
  it('finds entries whatever the case, and lists each kind in id-index order', () => {
    for (const seed of [1, 7, 42]) {
      const state = new DevState();
      const written = new Map<string, string>();
      for (const name of randomNames(seed, 300)) {
        state.putEntry('service-defaults', name, { Kind: 'service-defaults', Name: name }, 1n);
        written.set(name.toLowerCase(), name);
      }
      state.putEntry('service-router', 'a', { Kind: 'service-router', Name: 'a' }, 1n);
      for (const [lower, name] of written) {
        expect(state.getEntry('service-defaults', lower.toUpperCase())?.entry.Name).toBe(name);
        expect(state.getEntry('Service-Defaults', name)?.entry.Name).toBe(name);
      }
      const byIdKey = [...written.values()].sort((a, b) => {
        const [ka, kb] = [configKey('service-defaults', a), configKey('service-defaults', b)];
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      expect(state.listEntries('service-defaults').map((s) => s.entry.Name)).toEqual(byIdKey);
      expect(state.listEntries('').map((s) => s.entry.Name)).toEqual([...byIdKey, 'a']);
      const gone = byIdKey[3];
      expect(state.deleteEntry('SERVICE-DEFAULTS', gone.toUpperCase())).toBe(true);
      expect(state.getEntry('service-defaults', gone)).toBeUndefined();
      expect(state.listEntries('service-defaults').map((s) => s.entry.Name)).toEqual(byIdKey.filter((n) => n !== gone));
    }
  });
});
