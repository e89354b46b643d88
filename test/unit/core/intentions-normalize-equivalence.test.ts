// service-intentions' Normalize copies each source key by key (without the legacy fields) rather
// than spreading it and deleting three keys, about ten times faster per source. The normalised
// entry must be exactly what it was, key order included (plan --json and the diff show it): random
// entries (test/support/random-entries.ts) with legacy fields, a __proto__ key, inherited keys and
// sources of the wrong type, against the old Normalize copied here as it was.
import { describe, expect, it } from 'vitest';
import { kindDefinition } from '../../../src/model/registry.ts';
import { intentionPrecedence } from '../../../src/model/kinds/service-intentions.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';
import { deepFreeze, entryOf, put, scalar } from '../../support/random-entries.ts';

type Source = Record<string, unknown> & { Name?: string; Permissions?: { HTTP?: { Methods?: string[] } }[] };

/** service-intentions.ts normalize as it was: a spread per source, then three deletes. */
function oldNormalize(entry: ApiEntry): ApiEntry {
  const out: ApiEntry = { ...entry, Kind: 'service-intentions' };
  const destination = (out.Name as string | undefined) ?? '';
  const sources = ((out.Sources as Source[] | undefined) ?? []).map((s) => {
    const n: Source = { ...s, Type: s.Type || 'consul', Precedence: intentionPrecedence(destination, s.Name ?? '') };
    delete n.LegacyID;
    delete n.LegacyCreateTime;
    delete n.LegacyUpdateTime;
    if (s.Permissions)
      n.Permissions = s.Permissions.map((p) => (p.HTTP?.Methods ? { ...p, HTTP: { ...p.HTTP, Methods: p.HTTP.Methods.map((m) => m.toUpperCase()) } } : p));
    return n;
  });
  sources.sort((a, b) => (b.Precedence as number) - (a.Precedence as number));
  if (out.Sources !== undefined) out.Sources = sources;
  return out;
}

/** Every own key path in order, so two values that differ only in key order differ here. */
function keyOrder(v: unknown, path = ''): string[] {
  if (!v || typeof v !== 'object') return [];
  return Reflect.ownKeys(v).flatMap((k) => [`${path}.${String(k)}`, ...keyOrder((v as Record<PropertyKey, unknown>)[k], `${path}.${String(k)}`)]);
}

function outcome(f: () => ApiEntry): unknown {
  try {
    const value = f();
    return { value, keys: keyOrder(value) };
  } catch (e) {
    return { threw: String(e) };
  }
}

describe('service-intentions Normalize answers what it answered before', () => {
  it('1,000 random entries: equal values, equal key order, the input untouched', () => {
    const normalize = kindDefinition('service-intentions')!.normalize!;
    const r = seededRandom(4242);
    let legacy = 0;
    for (let i = 0; i < 1000; i++) {
      const entry = entryOf(r, 'service-intentions');
      if (Array.isArray(entry.Sources))
        entry.Sources = (entry.Sources as unknown[]).map((s) => {
          if (!s || typeof s !== 'object' || Array.isArray(s) || r() < 0.3) return r() < 0.05 ? pick(r, [scalar(r), 'ab', [1, 2]]) : s;
          // Legacy fields, a __proto__ key, Type and Precedence anywhere in the order, an inherited key.
          const copy: Record<string, unknown> = r() < 0.1 ? Object.create({ Inherited: 'x' }) : {};
          const keys = [
            ...Object.keys(s),
            ...['LegacyID', 'LegacyCreateTime', 'LegacyUpdateTime', '__proto__', 'Type', 'Precedence', '7'].filter(() => r() < 0.3),
          ];
          for (const k of keys) put(copy, k, k in s ? (s as Record<string, unknown>)[k] : scalar(r));
          if (keys.some((k) => k.startsWith('Legacy'))) legacy++;
          return copy;
        });
      const expected = outcome(() => oldNormalize(entry));
      const frozen = deepFreeze(entry);
      expect({ i, got: outcome(() => normalize(frozen)) }).toStrictEqual({ i, got: expected });
    }
    expect(legacy).toBeGreaterThan(100);
  });
});
