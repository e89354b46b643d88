// validateEntries builds each validated entry as a literal (validate-tree.ts `validated`) rather
// than spreading the decoded entry: the entries must be what the spread made, with the same keys in
// the same order and no `normalizedFor` key when no version is given (render --json, saved plans).
import { describe, expect, it } from 'vitest';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { validateEntries } from '../../../src/core/validate-tree.ts';
import { normalizeEntry } from '../../../src/core/normalize.ts';
import { parseConsulVersion, formatVersion } from '../../../src/model/consul-versions.ts';
import { EVERY_KIND } from '../../fixtures/import/every-kind.ts';

const files = EVERY_KIND.map((e, i) => ({ path: `config-entries/e${i}.json`, text: JSON.stringify(e) }));

describe('validated entries keep the decoded entry shape', () => {
  const decoded = parseSourceFiles(files).entries;
  for (const version of [undefined, '1.22.0']) {
    it(`${version ?? 'no version'}: every key of the decoded entry, then normalized${version ? ', then normalizedFor' : ''}`, () => {
      const consul = version ? parseConsulVersion(version) : undefined;
      const { entries } = validateEntries(decoded, { treeGraph: false, ...(consul ? { consul } : {}) });
      expect(entries.length).toBe(decoded.length);
      entries.forEach((v, i) => {
        const d = decoded[i];
        const spread = { ...d, normalized: normalizeEntry(d.entry, consul), ...(consul ? { normalizedFor: formatVersion(consul) } : {}) };
        expect(Object.keys(v)).toEqual(Object.keys(spread));
        expect(v).toStrictEqual(spread);
        // The decoded parts are shared, not copied.
        expect(v.entry).toBe(d.entry);
        expect(v.fieldPositions).toBe(d.fieldPositions);
      });
    });
  }
});
