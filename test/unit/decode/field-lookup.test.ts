// How a file's keys find their fields (src/decode/decode-fields.ts looks them up by lower-cased name
// and alias): names in any case, snake_case aliases, the canonical key winning over its alias as in
// Consul's HookTranslateKeys, unknown keys named with their line, and the entry's fields in the
// kind's declared order whatever order the file uses.
import { describe, expect, it } from 'vitest';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';

describe('a file key finds its field', () => {
  it('in any case, through its snake_case alias, and the canonical key wins over the alias', () => {
    const tree = parseSourceFiles([
      { path: 'a.hcl', text: 'kind = "service-defaults"\nNAME = "a"\nmutual_tls_mode = "permissive"\nPROTOCOL = "http"\nMutualTLSMode = "strict"\n' },
      { path: 'b.hcl', text: 'Kind = "service-defaults"\nName = "b"\nMUTUAL_TLS_MODE = "permissive"\n' },
    ]);
    expect(tree.errors).toEqual([]);
    expect(tree.entries.map((e) => e.entry)).toEqual([
      { Kind: 'service-defaults', Name: 'a', Protocol: 'http', MutualTLSMode: 'strict' },
      { Kind: 'service-defaults', Name: 'b', MutualTLSMode: 'permissive' },
    ]);
  });

  it("lists an entry's fields in the kind's order, not the file's", () => {
    const tree = parseSourceFiles([{ path: 'a.json', text: '{"MutualTLSMode": "strict", "Protocol": "http", "Name": "a", "Kind": "service-defaults"}' }]);
    expect(Object.keys(tree.entries[0].entry)).toEqual(['Kind', 'Name', 'Protocol', 'MutualTLSMode']);
    expect(tree.entries[0].fieldPositions.get('MutualTLSMode')).toEqual({ line: 1, column: 2 });
  });

  it('names an unknown key with its line and column', () => {
    const tree = parseSourceFiles([{ path: 'a.hcl', text: 'Kind = "service-defaults"\nName = "a"\nProtocl = "http"\n' }]);
    expect(tree.errors.map((e) => [e.file, e.line, e.column, e.field, e.message])).toEqual([['a.hcl', 3, 1, 'Protocl', 'invalid config key "Protocl"']]);
  });
});

describe('key lookups stay right past the remembered spellings', () => {
  it('finds fields and names unknown keys in every file of a tree that spells keys thousands of ways', () => {
    // The decoder remembers at most 1,024 spellings per field list; later spellings are looked up afresh.
    const spell = (word: string, n: number) => [...word].map((c, i) => ((n >> i) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
    const files = Array.from({ length: 2048 }, (_, n) => ({
      path: `f${n}.hcl`,
      text: `Kind = "service-defaults"\n${spell('name', n)} = "s${n}"\n${spell('protocol', n)} = "http"\n${spell('mutual_tls_mode', n)} = "strict"\n${spell('protocl', n)} = "x"\n`,
    }));
    const tree = parseSourceFiles(files);
    expect(tree.entries).toEqual([]);
    expect(tree.errors).toHaveLength(2048);
    expect(tree.errors.every((e, n) => e.file === `f${n}.hcl` && e.line === 5 && e.field === spell('protocl', n))).toBe(true);
    const valid = parseSourceFiles(files.map((f) => ({ ...f, text: f.text.replace(/\n[^\n]*= "x"\n$/, '\n') })));
    expect(valid.errors).toEqual([]);
    expect(valid.entries.map((e) => e.entry)).toEqual(
      files.map((_, n) => ({ Kind: 'service-defaults', Name: `s${n}`, Protocol: 'http', MutualTLSMode: 'strict' })),
    );
  });
});
