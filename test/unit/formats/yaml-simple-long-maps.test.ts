// The fast YAML reader finds a duplicate key by scanning a short map and with a set past 16 keys
// (src/formats/yaml-simple.ts): on maps of any length, with or without a repeated key at any place,
// at the top level or nested, it answers exactly what the `yaml` library path answers, or declines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSimpleYaml } from '../../../src/formats/yaml-simple.ts';
import { parseYaml, parseYamlDocuments } from '../../../src/formats/yaml.ts';

const mapText = (keys: string[], indent: string) => keys.map((k, i) => `${indent}${k}:${' '.repeat(1 + (i % 3))}v${i}`).join('\n');

describe('maps of any length', () => {
  it('read as the library reads them, a repeated key declined and refused by the library', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.option(fc.tuple(fc.nat(), fc.nat())), fc.boolean(), (n, dup, nested) => {
        const keys = Array.from({ length: n }, (_, i) => `K${i}`);
        if (dup && n > 1) {
          const [from, to] = [dup[0] % n, dup[1] % n];
          if (from !== to) keys[Math.max(from, to)] = keys[Math.min(from, to)];
        }
        const text = nested ? `Kind: service-defaults\nMeta:\n${mapText(keys, '  ')}\n` : `${mapText(keys, '')}\n`;
        const fast = parseSimpleYaml(text);
        const library = parseYamlDocuments(text);
        if (new Set(keys).size < keys.length) {
          expect(fast).toBeUndefined();
          expect(parseYaml(text).ok).toBe(false);
        } else expect(fast).toEqual(library);
      }),
      { numRuns: 400 },
    );
  });
});
