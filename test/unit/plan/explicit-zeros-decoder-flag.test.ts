// explicitZeros skips its walk when the decoder says it kept a value at every path it recorded
// (FieldPositions.everyValueKept). It must answer what the full walk answers (the same function on
// the same positions as a plain Map, which has no such flag) for every entry the decoder makes:
// Consul's decode vectors, random entries of every kind written as JSON and HCL files, and the map
// keys with a dot that make a path name another place.
import { describe, expect, it } from 'vitest';
import vectors from '../../fixtures/consul-decode-vectors.json' with { type: 'json' };
import { explicitZeros } from '../../../src/core/plan/file-zeros.ts';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { FieldPositions } from '../../../src/decode/field-positions.ts';
import type { DecodedEntry } from '../../../src/decode/entry-source.ts';
import { omitZero } from '../../../src/core/normalize.ts';
import { KINDS } from '../../../src/model/registry.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { entryOf } from '../../support/random-entries.ts';

/** Every entry the files decode to, each with what the flag answers and what the full walk answers. */
function bothAnswers(files: { path: string; text: string }[]): { file: string; fast: unknown; full: unknown; flagged: boolean }[] {
  return parseSourceFiles(files).entries.map((d: DecodedEntry) => {
    expect(d.fieldPositions).toBeInstanceOf(FieldPositions);
    return {
      file: d.file,
      fast: explicitZeros(d),
      full: explicitZeros({ entry: d.entry, fieldPositions: new Map(d.fieldPositions) }),
      flagged: (d.fieldPositions as FieldPositions).everyValueKept,
    };
  });
}

/** JSON text of a random entry: bigints as exact numbers, undefined left out. */
function jsonText(value: unknown): string {
  const marked = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `@@${v}@@` : v));
  return marked.replace(/"@@(-?\d+)@@"/g, '$1');
}

/** The same entry as HCL attributes (`Key = value`, objects as `{ ... }`), as a user writes files. */
function hclText(value: Record<string, unknown>): string {
  const v = (x: unknown): string => {
    if (x === null) return 'null';
    if (Array.isArray(x)) return `[${x.map((i) => v(i ?? null)).join(', ')}]`;
    if (typeof x === 'object') return `{\n${attrs(x as Record<string, unknown>)}}`;
    if (typeof x === 'string') return JSON.stringify(x);
    return typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean' ? String(x) : 'null';
  };
  const attrs = (o: Record<string, unknown>) =>
    Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)} = ${v(o[k])}\n`)
      .join('');
  return attrs(value);
}

describe('explicitZeros with the decoder flag answers what the full walk answers', () => {
  it("on every entry of Consul's decode vectors", () => {
    const files = (vectors as { format: string; input: string; expected: unknown }[])
      .filter((v) => v.expected !== null && (v.format === 'hcl' || v.format === 'json'))
      .map((v, i) => ({ path: `v${i}.${v.format}`, text: v.input }));
    const answers = bothAnswers(files);
    expect(answers.length).toBe(files.length);
    for (const a of answers) expect({ file: a.file, zeros: a.fast }).toStrictEqual({ file: a.file, zeros: a.full });
  });

  for (const { kind } of KINDS)
    it(`${kind}: on 150 random entries as JSON and as HCL files, with and without zeros`, () => {
      const r = seededRandom(kind.length * 7919 + kind.charCodeAt(2));
      const files: { path: string; text: string }[] = [];
      for (let i = 0; i < 150; i++) {
        const entry = entryOf(r, kind);
        files.push({ path: `e${i}.json`, text: jsonText(entry) });
        files.push({ path: `e${i}.hcl`, text: hclText(entry) });
        // The same entry without its zero values, as most files are written.
        files.push({ path: `e${i}-no-zeros.hcl`, text: hclText(omitZero(entry) as Record<string, unknown>) });
      }
      const answers = bothAnswers(files);
      for (const a of answers) expect({ file: a.file, zeros: a.fast }).toStrictEqual({ file: a.file, zeros: a.full });
      // Both ways are taken: files that write zeros, and files the flag answers alone.
      expect(answers.some((a) => a.flagged)).toBe(true);
      expect(answers.some((a) => !a.flagged && a.full !== undefined)).toBe(true);
    });

  it('a map key with a dot that names a field of the map value: the walk reads that path, and so does the flagged entry', () => {
    const text = 'Kind = "service-resolver"\nName = "api"\nSubsets {\n  "v1.Filter" {\n    OnlyPassing = true\n  }\n}\nDefaultSubset = "v1.Filter"\n';
    const [a] = bothAnswers([{ path: 'api.hcl', text }]);
    expect(a.full).toStrictEqual({ 'Subsets.v1.Filter': '' });
    expect(a.fast).toStrictEqual(a.full);
  });

  it('a file that writes no zero: nothing, without a walk; one that writes a zero: the zero', () => {
    const [none, some] = bothAnswers([
      { path: 'a.hcl', text: 'Kind = "service-defaults"\nName = "a"\nProtocol = "http"\nTransparentProxy { DialedDirectly = true }\n' },
      { path: 'b.hcl', text: 'Kind = "service-defaults"\nName = "b"\nProtocol = "http"\nTransparentProxy { DialedDirectly = false }\n' },
    ]);
    expect(none).toMatchObject({ flagged: true, fast: undefined, full: undefined });
    expect(some).toMatchObject({ flagged: false, fast: { TransparentProxy: {}, 'TransparentProxy.DialedDirectly': false } });
  });
});
