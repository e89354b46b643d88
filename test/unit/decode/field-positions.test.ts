// Each decoded entry keeps its field positions packed (src/decode/field-positions.ts) and its field
// paths shared between entries (src/decode/field-paths.ts): both answer exactly what the plain Map
// of { line, column } objects and the template-string paths they replaced answered, over generated
// positions and paths, and a field far down or far right in a file is still named at its place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldPositions } from '../../../src/decode/field-positions.ts';
import { childPath, itemPath } from '../../../src/decode/field-paths.ts';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { renderTree } from '../../../src/core/render.ts';
import type { SourcePosition } from '../../../src/model/errors.ts';

const position = fc.record({
  line: fc.oneof(fc.integer({ min: 1, max: 600_000 }), fc.constantFrom(1, 2 ** 19 - 1, 2 ** 19, 2 ** 19 + 1, 2 ** 31)),
  column: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(1, 2047, 2048, 2049, 0)),
});

describe('packed field positions', () => {
  it('answer get, has, size and every iteration as a Map of the same positions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('Name', 'Sources', 'Sources[0]', 'Sources[0].Action', 'Meta.a', ''), position)),
        fc.string(),
        (sets, probe) => {
          const packed = new FieldPositions();
          const plain = new Map<string, SourcePosition>();
          for (const [path, pos] of sets) {
            packed.set(path, pos);
            plain.set(path, pos);
          }
          expect(packed.size).toBe(plain.size);
          expect([...packed]).toEqual([...plain]);
          expect([...packed.keys()]).toEqual([...plain.keys()]);
          expect([...packed.values()]).toEqual([...plain.values()]);
          expect([...packed.entries()]).toEqual([...plain.entries()]);
          const each: [string, SourcePosition][] = [];
          packed.forEach((v, k) => each.push([k, v]));
          expect(each).toEqual([...plain]);
          for (const key of [...plain.keys(), probe]) {
            expect(packed.get(key)).toEqual(plain.get(key));
            expect(packed.has(key)).toBe(plain.has(key));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('shared field paths', () => {
  const name = fc.oneof(fc.constantFrom('Name', 'Sources', 'Action', 'HTTP', 'PathPrefix', '__proto__', 'constructor', ''), fc.string());
  it('are the joined strings, for any parent, name and index, before and after the bound on remembered paths', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.constant(''), name), name, fc.integer({ min: 0, max: 400 })), { maxLength: 200 }), (steps) => {
        for (const [parent, child, index] of steps) {
          expect(childPath(parent, child)).toBe(parent ? `${parent}.${child}` : child);
          expect(itemPath(parent, index)).toBe(`${parent}[${index}]`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('key every entry of a tree by the same paths as each entry decoded alone', () => {
    const text = (i: number) =>
      `Kind = "service-router"\nName = "r${i}"\nRoutes = [\n${Array.from({ length: 3 + (i % 4) }, (_, k) => `  { Match { HTTP { PathPrefix = "/p${k}" } } Destination { Service = "s${i}" } },`).join('\n')}\n]\n`;
    const files = Array.from({ length: 50 }, (_, i) => ({ path: `r${i}.hcl`, text: text(i) }));
    const together = parseSourceFiles(files).entries.map((e) => [...e.fieldPositions]);
    const alone = files.map((f) => [...parseSourceFiles([f]).entries[0].fieldPositions]);
    expect(together).toEqual(alone);
    expect(together[3].map(([path]) => path)).toContain('Routes[5].Destination.Service');
  });
});

describe('a field far down or far to the right of its file', () => {
  it('is named at its own line and column', () => {
    // Past the packed range on both axes: line 2^19 + 3, and a key at column 3001.
    const blank = '\n'.repeat(2 ** 19);
    const tree = renderTree([{ path: 'far.hcl', text: `${blank}Kind = "service-defaults"\nName = "web"\n${' '.repeat(3000)}MutualTLSMode = "bogus"\n` }]);
    expect(tree.decodeErrors).toEqual([]);
    expect(tree.validationErrors.map((e) => [e.line, e.column, e.field])).toEqual([[2 ** 19 + 3, 3001, 'MutualTLSMode']]);
  });
});
