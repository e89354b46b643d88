// formatOfPath compares a file's extension in place (src/core/parse-files.ts) rather than copying
// and lower-casing it: over generated paths (any case, Unicode look-alikes, dots anywhere) it names
// the same format as the lower-casing function it replaced, so the same files are read and ignored.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOfPath } from '../../../src/core/parse-files.ts';

/** The function as it was: the extension sliced off and lower-cased. */
function formatOfPathBefore(path: string): 'hcl' | 'json' | 'yaml' | undefined {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 && path.length - dot <= 5 ? path.slice(dot + 1).toLowerCase() : '';
  if (ext === 'hcl') return 'hcl';
  if (ext === 'json') return 'json';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return undefined;
}

const letterVariants = (word: string) =>
  fc
    .tuple(...[...word].map((c) => fc.constantFrom(c, c.toUpperCase(), String.fromCharCode(c.charCodeAt(0) - 0x40), '\u212a', '\u0130', 'ı')))
    .map((cs) => cs.join(''));

describe('a file format from its extension', () => {
  it('is what the lower-casing function named, for any path', () => {
    const ext = fc.oneof(
      letterVariants('hcl'),
      letterVariants('json'),
      letterVariants('yaml'),
      letterVariants('yml'),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.constantFrom('.', '', '..', '/.'), ext, (stem, dot, e) => {
        const path = `${stem}${dot}${e}`;
        expect(formatOfPath(path)).toBe(formatOfPathBefore(path));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every spelling of the four extensions', () => {
    for (const [path, format] of [
      ['a.HCL', 'hcl'],
      ['dir.v2/a.Json', 'json'],
      ['a.yAmL', 'yaml'],
      ['a.YML', 'yaml'],
      ['a.hcl.bak', undefined],
      ['.hcl', 'hcl'],
      ['a.hc', undefined],
      ['a.jsonl', undefined],
    ] as const)
      expect([path, formatOfPath(path)]).toEqual([path, format]);
  });
});
