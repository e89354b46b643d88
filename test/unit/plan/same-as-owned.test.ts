// The no-op plan's comparison without a copy (ownership.ts sameAsOwned) answers exactly what the
// diff answered on the entry as written (withOwnership), for every shape of Meta and every zero;
// and a live entry's canonical form is the one the copy-and-delete form gave (canonical.ts).
import { describe, expect, it } from 'vitest';
import { sameAsOwned, withOwnership } from '../../../src/core/plan/ownership.ts';
import { canonicalLive, sameValue } from '../../../src/core/plan/canonical.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { canonicalNestedTenancy } from '../../../src/model/tenancy.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';

const random = seededRandom;
const SCALARS = [undefined, null, '', 'x', 0, 1, false, true, 0n, 12345678901234567890n];
const META_KEYS = ['managed-by', 'consul-gitops/source', 'team', 'external-source', 'toString', '__proto__'];

function meta(r: () => number, file: string): unknown {
  const shape = r();
  if (shape < 0.1) return undefined;
  if (shape < 0.15) return pick(r, [null, 'text', [], ['a']]);
  const m: Record<string, unknown> = {};
  for (const k of META_KEYS)
    if (r() < 0.4) {
      const v = k === 'managed-by' && r() < 0.7 ? 'consul-gitops' : k === 'consul-gitops/source' && r() < 0.7 ? file : pick(r, [...SCALARS, { a: 1 }]);
      Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  return m;
}

function entry(r: () => number, file: string): ApiEntry {
  const e: Record<string, unknown> = { Kind: 'service-defaults', Name: pick(r, ['web', 'api']) };
  if (r() < 0.6) e.Protocol = pick(r, ['http', 'tcp', '', undefined]);
  if (r() < 0.3) e.MaxInboundConnections = pick(r, [0, 5, 5n, undefined]);
  if (r() < 0.3) e.TransparentProxy = pick(r, [{}, { DialedDirectly: false }, { DialedDirectly: true }, []]);
  const m = meta(r, file);
  if (m !== undefined || r() < 0.1) e.Meta = m;
  return e as ApiEntry;
}

describe('sameAsOwned', () => {
  it('agrees with the diff of the entry as written, on 20,000 random pairs', () => {
    const r = random(12);
    let equal = 0;
    for (let i = 0; i < 20_000; i++) {
      const file = pick(r, ['config-entries/web.hcl', '']);
      const desired = entry(r, file);
      // Half the time Consul holds what the file says, as written: the no-op plan's case.
      const before = r() < 0.5 ? withOwnership(desired, file) : entry(r, file);
      const expected = sameValue(before, withOwnership(desired, file));
      const answer = sameAsOwned(before, desired, file);
      if (answer !== undefined) expect({ i, answer }).toEqual({ i, answer: expected });
      if (expected) equal++;
    }
    // The generator reaches both answers often enough to mean something.
    expect(equal).toBeGreaterThan(2_000);
  });
});

describe('canonicalLive', () => {
  it('is the copy-and-delete form: server fields dropped, default tenancy dropped, normalised', () => {
    const live = {
      Kind: 'service-intentions',
      Name: 'web',
      Partition: 'default',
      Namespace: 'default',
      Sources: [
        { Name: 'b', Action: 'allow' },
        { Name: 'a', Action: 'deny', Description: '' },
      ],
      Meta: { 'managed-by': 'consul-gitops', empty: '' },
      Hash: 12345678901234567890n,
      CreateIndex: 4,
      ModifyIndex: 9,
    } as ApiEntry;
    const copy: Record<string, unknown> = { ...live };
    for (const k of ['CreateIndex', 'ModifyIndex', 'Hash', 'Status', 'Partition', 'Namespace']) delete copy[k];
    const expected = canonicalNestedTenancy(normalizeEntry(copy as ApiEntry), undefined);
    const canonical = canonicalLive(live);
    expect(canonical).toEqual(expected);
    expect(Object.keys(canonical)).toEqual(Object.keys(expected));
    // The live entry itself is left as Consul sent it.
    expect(live.CreateIndex).toBe(4);
    expect(live.Sources).toEqual([
      { Name: 'b', Action: 'allow' },
      { Name: 'a', Action: 'deny', Description: '' },
    ]);
  });
});
