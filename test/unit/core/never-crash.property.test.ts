// Whatever bytes a file holds, reading a tree yields entries or ConfigEntryErrors, never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/consul-decode-vectors.json' with { type: 'json' };
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { validateEntries } from '../../../src/core/validate-tree.ts';

const seeds: { ext: string; text: string }[] = [
  ...(vectors as { format: string; input: string }[]).map((v) => ({ ext: v.format, text: v.input })),
  {
    ext: 'yaml',
    text: 'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceIntentions\nmetadata:\n  name: a\nspec:\n  destination:\n    name: api\n  sources:\n    - name: web\n      action: allow\n',
  },
  { ext: 'yaml', text: 'Kind: mesh\nAllowEnablingPermissiveMutualTLS: true\nTransparentProxy:\n  MeshDestinationsOnly: false\n' },
];

/** Insert, delete or replace characters of a valid file: the inputs users really produce. */
const mutated = fc
  .record({
    seed: fc.constantFrom(...seeds),
    edits: fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 4 }), insert: fc.string({ maxLength: 4, unit: 'binary' }) }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ seed, edits }) => {
    let text = seed.text;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(at + e.del);
    }
    return { ext: seed.ext, text };
  });

const random = fc.record({ ext: fc.constantFrom('hcl', 'json', 'yaml'), text: fc.string({ maxLength: 200, unit: 'binary' }) });

function checkNeverCrashes(file: { ext: string; text: string }): void {
  const path = `entry.${file.ext}`;
  const tree = parseSourceFiles([{ path, text: file.text }]);
  const { errors } = validateEntries(tree.entries);
  for (const e of [...tree.errors, ...errors]) {
    expect(e.file).toBe(path);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(typeof e.message).toBe('string');
  }
}

describe('reading never crashes', () => {
  it('on mutated valid files', () => {
    fc.assert(fc.property(mutated, checkNeverCrashes), { numRuns: 400 });
  });
  it('on random text', () => {
    fc.assert(fc.property(random, checkNeverCrashes), { numRuns: 400 });
  });
});
