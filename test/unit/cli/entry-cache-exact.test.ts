// The entry cache (src/cli/entry-cache.ts) gives back exactly what it was given: a record is written
// once for an entry whose normalised form shares its top level, and the exactness check skips the
// parts the normalised form shares with the decoded entry. Neither shortcut may change what a later
// run reads: key order, a -0 only JSON cannot hold, every value.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEntryCache, setBuildHash } from '../../../src/cli/entry-cache.ts';
import { FieldPositions } from '../../../src/decode/field-positions.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import type { ValidatedEntry } from '../../../src/core/validate-tree.ts';

const home = mkdtempSync(join(tmpdir(), 'entry-cache-exact-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
setBuildHash(Buffer.alloc(32, 7));

let n = 0;
/** Remembers `entry` (normalised to `normalized`) for a file, saves, and reads it back in a new cache as a next run would. */
function roundTrip(
  entry: ApiEntry,
  normalized: ApiEntry,
  fieldPositions = new FieldPositions().set('Name', { line: 2, column: 1 }),
): ValidatedEntry[] | undefined {
  const dir = `/repo/${n++}`;
  const file = { path: 'a.hcl', text: JSON.stringify(entry) };
  const env = { XDG_CACHE_HOME: home };
  const cache = openEntryCache(dir, 't', env)!;
  const reuse = cache.scoped('s');
  expect(reuse.lookup(file)).toBeUndefined();
  reuse.remember(file, [{ entry, normalized, file: 'a.hcl', format: 'hcl', pos: { line: 1, column: 1 }, fieldPositions } as ValidatedEntry]);
  cache.save();
  return openEntryCache(dir, 't', env)!.scoped('s').lookup(file) as ValidatedEntry[] | undefined;
}

describe('entry cache records', () => {
  it('an entry normalised to a copy of its top level comes back with the same keys, order and values', () => {
    const entry = { Kind: 'service-defaults', Name: 'web', Meta: { b: '1', a: '2' } } as ApiEntry;
    const [back] = roundTrip(entry, { ...entry })!;
    expect(JSON.stringify(back.entry)).toBe(JSON.stringify(entry));
    expect(JSON.stringify(back.normalized)).toBe(JSON.stringify(entry));
    expect(back.entry).not.toBe(back.normalized);
  });

  it('the same values in another key order are two records: each comes back in its own order', () => {
    const entry = { Kind: 'service-defaults', Name: 'web', Protocol: 'http' } as ApiEntry;
    const normalized = { Kind: 'service-defaults', Protocol: 'http', Name: 'web' } as ApiEntry;
    const [back] = roundTrip(entry, normalized)!;
    expect(Object.keys(back.entry)).toEqual(['Kind', 'Name', 'Protocol']);
    expect(Object.keys(back.normalized)).toEqual(['Kind', 'Protocol', 'Name']);
  });

  it('a -0 in the normalised form where the entry has 0 is not cached (JSON would give back 0)', () => {
    const entry = { Kind: 'service-resolver', Name: 'web', Limits: 0, Shared: { x: 1 } } as ApiEntry;
    const normalized = { ...entry, Limits: -0 } as ApiEntry;
    expect(roundTrip(entry, normalized)).toBeUndefined();
    const nested = { Kind: 'service-resolver', Name: 'web', Failover: { a: 0 } } as ApiEntry;
    expect(roundTrip(nested, { ...nested, Failover: { a: -0 } })).toBeUndefined();
    // A part shared with the entry is exact because the entry's is.
    const [back] = roundTrip(entry, { ...entry, Limits: 1 })!;
    expect(back.normalized).toEqual({ ...entry, Limits: 1 });
    expect(back.entry).toEqual(entry);
  });

  it('every field position comes back, in order: a few, more than fit the small table, and ones too far to pack', () => {
    const entry = { Kind: 'service-defaults', Name: 'web' } as ApiEntry;
    for (const count of [3, 40]) {
      const positions = new FieldPositions();
      for (let i = 0; i < count; i++) positions.set(`Meta.k${i}`, { line: i === 1 ? 2 ** 20 : i + 1, column: i === 2 ? 5000 : 3 });
      positions.set('Meta.k0', { line: 7, column: 9 });
      const [back] = roundTrip(entry, { ...entry }, positions)!;
      expect([...back.fieldPositions]).toEqual([...positions]);
    }
  });
});
