// `consul config write` ignores a top-level `kind` key in any case (command/helpers/helpers.go);
// decode-entry.ts now checks four-letter keys without lower-casing each one. Over generated keys of
// k, i, n, d in both cases and Unicode letters that lower-case to them (the Kelvin sign, dotted and
// dotless i), a key is ignored exactly when the old test, `toLowerCase() === 'kind'`, said so.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';

describe('a top-level kind key in any case', () => {
  it('is ignored exactly when it lower-cases to "kind"', () => {
    // Each place draws mostly from the letters that could spell "kind" there, so near misses abound.
    const at = (...letters: string[]) => fc.constantFrom(...letters, 'n', 'e', 'M');
    const spelling = fc.tuple(
      at('k', 'K', '\u212a', 'N'),
      at('i', 'I', '\u0130', '\u0131'),
      at('n', 'N', 'd'),
      at('d', 'D', 'k'),
      fc.constantFrom('', '', '', 'd'),
    );
    fc.assert(
      fc.property(spelling, (letters) => {
        const key = letters.join('');
        const text = JSON.stringify({ Kind: 'service-defaults', Name: 'web', [key]: 'service-defaults' });
        const tree = parseSourceFiles([{ path: 'a.json', text }]);
        const ignored = key.length === 4 && key.toLowerCase() === 'kind';
        if (key === 'Kind') expect(tree.errors).toEqual([]);
        else if (ignored) expect([tree.errors, tree.entries.map((e) => e.entry)]).toEqual([[], [{ Kind: 'service-defaults', Name: 'web' }]]);
        else expect(tree.errors.map((e) => e.message)).toEqual([`invalid config key ${JSON.stringify(key)}`]);
      }),
      { numRuns: 2000 },
    );
  });
});
