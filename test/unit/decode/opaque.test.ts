// Opaque maps (proxy-defaults Config, extension Arguments) take the shape Consul's decoder leaves
// them in (lib/decode HookWeakDecodeFromSlice + unSlice), or the diff would never settle.
import { describe, expect, it } from 'vitest';
import { parseSourceFiles } from '../../../src/core/parse-files.ts';
import { decodeApiBody } from '../../../src/decode/api-body.ts';

function config(path: string, text: string): unknown {
  const tree = parseSourceFiles([{ path, text }]);
  expect(tree.errors).toEqual([]);
  return tree.entries[0].entry.Config;
}

describe('opaque Config', () => {
  it('HCL: nested blocks become maps at every depth, one-element lists under them become their element', () => {
    const text = 'Kind = "proxy-defaults"\nConfig {\n  a = ["x"]\n  outer {\n    inner {\n      list = ["y"]\n      two = ["p", "q"]\n    }\n  }\n}\n';
    expect(config('pd.hcl', text)).toEqual({ a: 'x', outer: { inner: { list: 'y', two: ['p', 'q'] } } });
  });

  it('HCL: repeated blocks under one key stay a list', () => {
    const text = 'Kind = "proxy-defaults"\nConfig {\n  route { path = "/a" }\n  route { path = "/b" }\n}\n';
    expect(config('pd.hcl', text)).toEqual({ route: [{ path: '/a' }, { path: '/b' }] });
  });

  it('JSON: a first-level one-element list is unwrapped (and everything inside it), a nested map is kept exactly', () => {
    const text = JSON.stringify({ Kind: 'proxy-defaults', Config: { a: ['x'], b: [{ c: ['y'] }], d: { e: ['z'] } } });
    expect(config('pd.json', text)).toEqual({ a: 'x', b: { c: 'y' }, d: { e: ['z'] } });
  });

  it('the dev server stores a PUT body the same way', () => {
    const out = decodeApiBody(JSON.stringify({ Kind: 'proxy-defaults', Config: { a: ['x'], d: { e: ['z'] } } }));
    expect(out.ok && out.entry).toEqual({ Kind: 'proxy-defaults', Config: { a: 'x', d: { e: ['z'] } } });
  });
});

describe('weak typing of numbers into string fields', () => {
  it('formats as Go does: integers exactly, floats without trailing zeros or exponents', () => {
    const tree = parseSourceFiles([
      { path: 'a.json', text: '{"Kind": "service-defaults", "Name": "a", "Protocol": 1.50}' },
      { path: 'b.json', text: '{"Kind": "service-defaults", "Name": "b", "Protocol": 1e3}' },
      { path: 'c.hcl', text: 'Kind = "service-defaults"\nName = "c"\nProtocol = 9223372036854775807\n' },
    ]);
    expect(tree.entries.map((e) => e.entry.Protocol)).toEqual(['1.5', '1000', '9223372036854775807']);
  });
});
