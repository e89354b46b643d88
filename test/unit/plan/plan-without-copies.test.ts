// The no-op plan's shortcuts (issue 12) keep what a user sees: the plan's JSON fields in the same
// order, the same warnings and cross-entry state, and Consul's list answers exactly as zod returns
// them (zod still decides every answer the shortcut does not take, with its own errors).
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../src/core/render.ts';
import { planChanges, planWithState } from '../../../src/core/plan/plan.ts';
import { finalState } from '../../../src/core/plan/warnings.ts';
import { diffValues } from '../../../src/core/plan/canonical.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { withOwnership } from '../../../src/core/plan/ownership.ts';
import { LiveEntryListSchema, liveEntryListAsIs } from '../../../src/adapters/consul/schemas.ts';
import type { LiveEntry } from '../../../src/model/live-entry.ts';

const files = [
  { path: 'config-entries/mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' },
  // A zero value written out: the change carries explicitZeros.
  {
    path: 'config-entries/web.hcl',
    text: 'Kind = "service-defaults"\nName = "web"\nProtocol = "http"\nMutualTLSMode = "permissive"\nMaxInboundConnections = 0\n',
  },
  { path: 'config-entries/api.hcl', text: 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' },
  { path: 'config-entries/new.hcl', text: 'Kind = "service-defaults"\nName = "new"\nProtocol = "http"\n' },
];
const tree = renderTree(files, { consul: { major: 1, minor: 22, patch: 0 }, treeGraph: false });
const live: LiveEntry[] = tree.entries
  .filter((d) => d.entry.Name !== 'new')
  .map((d, i): LiveEntry => {
    const stored = normalizeEntry(withOwnership(d.entry, d.file));
    // api was changed by hand; a service nobody's files define stays live.
    const entry = d.entry.Name === 'api' ? { ...stored, Protocol: 'grpc' } : stored;
    return { entry: { ...entry, CreateIndex: 5 + i, ModifyIndex: 5 + i }, modifyIndex: 5 + i };
  })
  .concat([{ entry: { Kind: 'service-defaults', Name: 'gone', Meta: { 'managed-by': 'consul-gitops' }, ModifyIndex: 9 }, modifyIndex: 9 }]);

describe('a plan built without copies', () => {
  const options = { prune: true, adopt: false, consulVersion: '1.22.0' };
  const { plan, state } = planWithState(tree.entries, live, options);
  const byName = (n: string) => plan.changes.find((c) => c.id.name === n)!;

  it('keeps the order of every field of a change, as plan --json and a saved plan print them', () => {
    expect(plan.summary).toEqual({ create: 1, update: 1, delete: 1, noop: 2, skip: 0 });
    expect(Object.keys(byName('web'))).toEqual([
      'id',
      'key',
      'source',
      'line',
      'explicitZeros',
      'consulVersion',
      'fieldDiffs',
      'before',
      'cas',
      'wave',
      'action',
      'reason',
    ]);
    expect(Object.keys(byName('api'))).toEqual([
      'id',
      'key',
      'source',
      'line',
      'consulVersion',
      'fieldDiffs',
      'before',
      'cas',
      'wave',
      'action',
      'after',
      'reason',
    ]);
    expect(Object.keys(byName('new'))).toEqual(['id', 'key', 'source', 'line', 'consulVersion', 'fieldDiffs', 'action', 'after', 'reason', 'cas', 'wave']);
    expect(Object.keys(byName('gone'))).toEqual(['action', 'id', 'key', 'before', 'fieldDiffs', 'reason', 'cas', 'wave']);
    expect(byName('web').explicitZeros).toEqual({ MaxInboundConnections: 0 });
    expect(byName('api').fieldDiffs).toEqual([{ path: 'Protocol', before: 'grpc', after: 'http' }]);
  });

  it('judges the warnings and the cross-entry rules on one final state, the one finalState builds', () => {
    expect([...state.entries()]).toEqual([...finalState(plan.changes, live, { major: 1, minor: 22, patch: 0 }).entries()]);
    expect(planChanges(tree.entries, live, options)).toEqual(plan);
  });
});

describe('diffValues on equal values', () => {
  it('finds nothing where the values are equal, and the same differences where they are not', () => {
    expect(diffValues({ A: 1, B: [{ C: 2n }], D: {} }, { A: 1n, B: [{ C: 2 }], D: {} })).toEqual([]);
    expect(diffValues({ A: {} }, {})).toEqual([{ path: 'A', before: {}, after: undefined }]);
    expect(diffValues({ A: [1] }, { A: [1, 2] })).toEqual([{ path: 'A', before: [1], after: [1, 2] }]);
    expect(diffValues({ A: { B: 1 } }, { A: { B: 1, C: 'x' } })).toEqual([{ path: 'A.C', before: undefined, after: 'x' }]);
  });
});

describe("Consul's list answers as parsed", () => {
  const zod = (json: unknown) => LiveEntryListSchema.safeParse(json);

  it('are kept as they are when zod would return the same, field order included', () => {
    const json = JSON.parse('[{"Kind":"service-defaults","Name":"web","Meta":{"a":"b"},"ModifyIndex":3}]') as unknown;
    const kept = liveEntryListAsIs(json);
    expect(kept).toBe(json);
    const parsed = zod(json);
    expect(parsed.success && parsed.data).toEqual(kept);
    expect(Object.keys(kept![0])).toEqual(Object.keys(parsed.success ? parsed.data[0] : {}));
  });

  it('are left to zod when it would change or refuse them', () => {
    for (const text of [
      '{"Kind":"mesh"}',
      '[["Kind"]]',
      '[null]',
      '[{"Name":"web"}]',
      '[{"Kind":""}]',
      '[{"Kind":7}]',
      // zod puts Kind first and drops a top-level __proto__ key.
      '[{"Name":"web","Kind":"service-defaults"}]',
      '[{"Kind":"service-defaults","__proto__":{"x":1}}]',
      '[{"1":"x","Kind":"service-defaults"}]',
    ])
      expect(liveEntryListAsIs(JSON.parse(text)), text).toBeUndefined();
    const reordered = zod(JSON.parse('[{"Name":"web","Kind":"service-defaults"}]'));
    expect(reordered.success && Object.keys(reordered.data[0])).toEqual(['Kind', 'Name']);
  });
});
