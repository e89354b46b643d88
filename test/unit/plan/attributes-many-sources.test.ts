// An update of an intention with thousands of sources, one added: each source of the new form was
// paired with its old one by a copy and a scan of every source not yet paired (sources squared:
// 12 s to show 32,000); now one lookup by Name. The plan text is the same: the added source, the rest hidden.
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../../src/core/render.ts';
import { planChanges } from '../../../src/core/plan/plan.ts';
import { renderPlanText } from '../../../src/core/plan/render-plan.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { withOwnership } from '../../../src/core/plan/ownership.ts';
import type { ApiEntry } from '../../../src/model/kind-definition.ts';

const SOURCES = 2_000;
const consul = { major: 1, minor: 22, patch: 0 };
const intention = (names: string[]) => JSON.stringify({ Kind: 'service-intentions', Name: 'api', Sources: names.map((Name) => ({ Name, Action: 'allow' })) });
const names = Array.from({ length: SOURCES }, (_, i) => `svc-${i}`);

/** A plan updating `api` from `before` sources (as Consul holds them) to `after` (as the file says). */
function update(before: string[], after: string[]) {
  const live = renderTree([{ path: 'config-entries/api.json', text: intention(before) }], { consul, treeGraph: false }).entries[0];
  const stored = normalizeEntry(withOwnership(live.entry, live.file));
  const tree = renderTree([{ path: 'config-entries/api.json', text: intention(after) }], { consul, treeGraph: false });
  return planChanges(tree.entries, [{ entry: { ...stored, CreateIndex: 5, ModifyIndex: 5 }, modifyIndex: 5 }], {
    prune: true,
    adopt: false,
    consulVersion: '1.22.0',
  });
}

describe('an intention with thousands of sources, one added', () => {
  it('shows the added source and hides the others', () => {
    const text = renderPlanText(update(names, [...names, 'new-one']));
    expect(text).toContain('~ update service-intentions/api');
    expect(text).toMatch(/\+ \{\s+\+ Name\s+= "new-one"\s+\+ Action = "allow"\s+\},/);
    expect(text).toContain(`# (${SOURCES} unchanged elements hidden)`);
    expect(text).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
  });

  it('pairs each source with its old one by one lookup, not a scan of the unpaired ones', () => {
    const plan = update(names, [...names, 'new-one']);
    const change = plan.changes[0];
    // Consul's sources in the reverse order, each counting how often its Name is read.
    let reads = 0;
    const counted = [...(change.before!.Sources as Record<string, unknown>[])].reverse().map((s) => {
      const copy = { ...s };
      Object.defineProperty(copy, 'Name', {
        enumerable: true,
        get: () => {
          reads++;
          return s.Name;
        },
      });
      return copy;
    });
    const before = { ...change.before!, Sources: counted } as ApiEntry;
    const text = renderPlanText({ ...plan, changes: [{ ...change, before }] });
    expect(text).toMatch(/Name\s+= "new-one"/);
    // A few reads per source (the list checks, the index, the pairing): the scan read about SOURCES² / 2.
    expect(reads).toBeLessThan(10 * SOURCES);
  });
});
