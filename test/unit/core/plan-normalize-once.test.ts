// A plan normalises each file's entry once: validation normalises it for the target's version and
// the diff reuses that form (plan.ts desiredCanonical). Pinned here: for every kind, every supported
// CE version, and live entries that match, differ or carry unknown fields, the plan is exactly the
// plan made the old way (the file's entry normalised again, canonicalDesired).
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../src/core/render.ts';
import { planChanges, type PlanOptions } from '../../../src/core/plan/plan.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { withOwnership } from '../../../src/core/plan/ownership.ts';
import { parseConsulVersion } from '../../../src/model/consul-versions.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';
import type { LiveEntry } from '../../../src/model/live-entry.ts';
import { EVERY_KIND } from '../../fixtures/import/every-kind.ts';

/** Besides every kind: values whose normal form depends on the version (http-route Weight 0 before 1.22). */
const EXTRA: Record<string, unknown>[] = [
  {
    Kind: 'http-route',
    Name: 'weighted',
    Parents: [{ Kind: 'api-gateway', Name: 'public' }],
    Rules: [
      {
        Services: [
          { Name: 'web', Weight: 0 },
          { Name: 'api', Weight: 5 },
        ],
      },
    ],
    Meta: { team: 'edge' },
  },
  { Kind: 'service-defaults', Name: 'meta-only', Meta: { owner: 'x', empty: '' } },
];

const files = [...EVERY_KIND, ...EXTRA].map((e, i) => ({ path: `config-entries/e${i}.json`, text: JSON.stringify(e) }));

function liveFrom(entries: ApiEntry[], change: (e: ApiEntry, i: number) => ApiEntry): LiveEntry[] {
  return entries.map((e, i) => ({ entry: { ...change(e, i), CreateIndex: 10 + i, ModifyIndex: 10 + i }, modifyIndex: 10 + i }));
}

const VERSIONS = [undefined, '1.20.0', '1.21.3', '1.22.0'];

describe('the file side of a plan, normalised once', () => {
  for (const version of VERSIONS) {
    const consul = version ? parseConsulVersion(version) : undefined;
    const options: PlanOptions = { prune: true, adopt: false, ...(version ? { consulVersion: version } : {}) };
    const once = renderTree(files, consul ? { consul } : {});
    const twice = renderTree(files);
    it(`${version ?? 'no version'}: the tree is valid and each entry records the version it was normalised for`, () => {
      expect([...once.decodeErrors, ...once.validationErrors]).toEqual([]);
      expect(once.entries.map((e) => e.normalizedFor)).toEqual(once.entries.map(() => version));
    });

    // As Consul stores them after consul-gitops wrote them: normalised by that version, with the markers.
    const stored = once.entries.map((d) => normalizeEntry(withOwnership(d.entry, d.file), consul));
    const lives: Record<string, LiveEntry[]> = {
      'Consul holds what the files say': liveFrom(stored, (e) => e),
      'someone changed Meta and a field by hand': liveFrom(stored, (e, i) => ({
        ...e,
        Meta: { ...(e.Meta as object), team: `t${i}` },
        ...(i % 2 ? { Extra: 1 } : {}),
      })),
      'entries written by another tool': liveFrom(stored, (e) => ({ ...e, Meta: { 'managed-by': 'terraform' } })),
      'Consul holds nothing': [],
    };
    for (const [what, live] of Object.entries(lives))
      it(`${version ?? 'no version'}, ${what}: the same plan as normalising the file again`, () => {
        const planned = planChanges(once.entries, live, options);
        expect(planned).toEqual(planChanges(twice.entries, live, options));
        if (what === 'Consul holds what the files say') expect(planned.summary.noop).toBe(files.length);
      });
  }
});
