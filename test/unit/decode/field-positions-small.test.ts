// FieldPositions keeps up to 16 paths in one array of pairs and moves them to a Map past that
// (src/decode/field-positions.ts). Either way it must answer what a plain Map of the same positions
// answers: entries of every size around the switch, paths set again (before and after it), odd
// paths, and a decoded entry of many fields that names each field at its own place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldPositions } from '../../../src/decode/field-positions.ts';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { positionOf } from '../../../src/decode/entry-source.ts';
import type { SourcePosition } from '../../../src/model/errors.ts';

const position = fc.record({ line: fc.integer({ min: 1, max: 1000 }), column: fc.integer({ min: 1, max: 3000 }) });
const path = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((i) => `Routes[${i}].Match`),
  fc.constantFrom('Name', '', '__proto__', 'constructor', 'Meta.a.b', 'Sources[0]'),
  fc.string(),
);

describe('field positions around the switch from the array to a Map', () => {
  it('answer get, has, size and every iteration as a Map of the same positions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(path, position), { maxLength: 60 }), fc.array(path, { maxLength: 5 }), (sets, probes) => {
        const packed = new FieldPositions();
        const plain = new Map<string, SourcePosition>();
        for (const [p, pos] of sets) {
          packed.set(p, pos);
          plain.set(p, pos);
          // Asked at every size, not only at the end.
          expect(packed.size).toBe(plain.size);
          expect(packed.get(p)).toEqual(plain.get(p));
        }
        expect([...packed]).toEqual([...plain]);
        expect([...packed.keys()]).toEqual([...plain.keys()]);
        expect([...packed.values()]).toEqual([...plain.values()]);
        expect([...packed.entries()]).toEqual([...plain.entries()]);
        const each: [string, SourcePosition][] = [];
        packed.forEach((v, k, m) => {
          expect(m).toBe(packed);
          each.push([k, v]);
        });
        expect(each).toEqual([...plain]);
        for (const key of [...plain.keys(), ...probes]) {
          expect(packed.get(key)).toEqual(plain.get(key));
          expect(packed.has(key)).toBe(plain.has(key));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('name every field of an entry with more than 16 fields at its own line, and a wrong one where it is written', () => {
    const routes = Array.from({ length: 12 }, (_, k) => `  { Match { HTTP { PathPrefix = "/p${k}" } } }`).join(',\n');
    const text = `Kind = "service-router"\nName = "web"\nRoutes = [\n${routes}\n]\n`;
    const [d] = parseSourceFiles([{ path: 'web.hcl', text }]).entries;
    expect(d.fieldPositions.size).toBeGreaterThan(16);
    expect(d.fieldPositions.get('Name')).toEqual({ line: 2, column: 1 });
    for (let k = 0; k < 12; k++) expect(positionOf(d, `Routes[${k}].Match.HTTP.PathPrefix`).line).toBe(4 + k);
    // A path the file does not have is named at its nearest parent.
    expect(positionOf(d, 'Routes[11].Match.HTTP.Methods')).toEqual(d.fieldPositions.get('Routes[11].Match.HTTP'));
  });
});
