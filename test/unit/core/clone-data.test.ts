// cloneData replaces structuredClone on the plan's hot path: it must copy as deeply and keep every key.
import { describe, expect, it } from 'vitest';
import { cloneData } from '../../../src/core/clone-data.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { canonicalLive } from '../../../src/core/plan/canonical.ts';

describe('cloneData', () => {
  it('copies nested objects and lists, so normalising a copy never changes the original', () => {
    const entry = {
      Kind: 'service-resolver',
      Name: 'web',
      Subsets: { v1: { Filter: 'Service.Meta.version == v1' } },
      Failover: { '*': { Targets: [{ Service: 'web', Datacenter: 'dc2' }] } },
      Big: 2n ** 63n - 1n,
    };
    const before = structuredClone(entry);
    const copy = cloneData(entry);
    expect(copy).toEqual(entry);
    expect(copy.Subsets.v1).not.toBe(entry.Subsets.v1);
    expect(copy.Failover['*'].Targets[0]).not.toBe(entry.Failover['*'].Targets[0]);
    normalizeEntry(entry);
    expect(entry).toEqual(before);
  });

  it('keeps a user key named __proto__ as data, never as the prototype', () => {
    const meta = JSON.parse('{"__proto__": {"polluted": "yes"}, "team": "a"}') as Record<string, unknown>;
    const copy = cloneData({ Meta: meta });
    expect(Object.keys(copy.Meta)).toEqual(['__proto__', 'team']);
    expect(Object.getPrototypeOf(copy.Meta)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('canonicalLive', () => {
  it("answers per version: a rule that changed between versions is not served from another version's copy", () => {
    // http-route Weight 0: before 1.22.6 it normalises to 1; from 1.22.6 it means "no traffic".
    const live = { Kind: 'http-route', Name: 'r', Rules: [{ Services: [{ Name: 'a', Weight: 0 }] }], Parents: [{ Kind: 'api-gateway', Name: 'gw' }] };
    const old = canonicalLive(live, { major: 1, minor: 22, patch: 5 });
    const now = canonicalLive(live, { major: 1, minor: 22, patch: 6 });
    expect(JSON.stringify(old)).not.toBe(JSON.stringify(now));
    expect(canonicalLive(live as never, { major: 1, minor: 22, patch: 5 })).toBe(old);
  });
});
