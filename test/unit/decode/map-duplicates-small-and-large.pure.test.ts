// A map's repeated keys (`Meta`, a header map): a map of up to eight keys finds the earlier value by
// looking back, a larger one through a Map of the keys so far (decode-fields.ts). Both must name the
// same dropped value (the latest before, as the Map held it) and keep the same last value, or the
// warnings of small and large maps would disagree.
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/formats/json.ts';
import { decodeDocument } from '../../../src/decode/decode-entry.ts';

/** The entry's Meta and the warnings of a JSON service-defaults whose Meta has these key, value pairs (one per line). */
function decodeMeta(pairs: [string, string][]): { meta: unknown; warnings: string[] } {
  const lines = pairs.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const text = `{"Kind": "service-defaults", "Name": "web", "Meta": {\n${lines.join(',\n')}\n}}`;
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  const outcome = decodeDocument(parsed.documents[0], 'web.json', 'json');
  if (!outcome.ok) throw new Error(outcome.errors[0].message);
  return { meta: outcome.decoded.entry.Meta, warnings: outcome.warnings.map((w) => `${w.line}:${w.column} ${w.field}: ${w.message}`) };
}

/** The warnings with their line numbers shifted by `by` (the padding keys come first). */
const shifted = (warnings: string[], by: number) => warnings.map((w) => w.replace(/(^|line )(\d+)/g, (_, p: string, n: string) => `${p}${Number(n) - by}`));

describe('repeated keys of a map', () => {
  // "team" three times and "tier" twice: each repeat names the latest value before it.
  const repeats: [string, string][] = [
    ['team', 'a'],
    ['tier', '1'],
    ['team', 'b'],
    ['team', 'c'],
    ['tier', '2'],
  ];

  it('a small map (looked back) warns and keeps exactly as a large one (a Map of the keys)', () => {
    const small = decodeMeta(repeats);
    const padding: [string, string][] = Array.from({ length: 6 }, (_, i) => [`pad-${i}`, `${i}`]);
    const large = decodeMeta([...padding, ...repeats]);
    expect(repeats.length).toBeLessThanOrEqual(8);
    expect(padding.length + repeats.length).toBeGreaterThan(8);
    expect(small.meta).toEqual({ team: 'c', tier: '2' });
    expect(large.meta).toEqual({ ...Object.fromEntries(padding), team: 'c', tier: '2' });
    expect(small.warnings).toHaveLength(3);
    expect(shifted(large.warnings, padding.length)).toEqual(small.warnings);
    // The third "team" (line 5) drops the second (line 4), not the first.
    expect(small.warnings[1]).toContain('5:3 Meta.team: duplicate key "team": the value at line 4, column 3 is dropped');
  });
});
