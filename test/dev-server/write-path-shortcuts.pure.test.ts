// The dev server's write-path shortcuts answer as the long way did: the entry Hash a GET shows is
// the FNV-1a 64 of the canonical JSON (now on two 32-bit halves), and a body JSON.parse accepts
// decodes to the same first value and type as Go's scanner walk.
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash } from '../../src/dev-server/response-shape.ts';
import { goJsonDecode } from '../../src/dev-server/go-json.ts';
import type { ApiEntry } from '../../src/model/kind-definition.ts';

/** FNV-1a 64 with bigints, byte by byte: the reference the two-halves version must equal. */
function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h | (1n << 63n);
}

describe('entry Hash', () => {
  it('is FNV-1a 64 of the canonical JSON, top bit set, for ASCII, multi-byte and long entries', () => {
    const entries: ApiEntry[] = [
      { Kind: 'mesh' },
      { Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: { owner: 'équipe-ß', note: '日本語 🚀' } },
      { Kind: 'service-intentions', Name: 'api', Sources: Array.from({ length: 50 }, (_, i) => ({ Name: `svc-${i}`, Action: i % 2 ? 'allow' : 'deny' })) },
    ];
    for (const e of entries) expect(entryHash(e)).toBe(fnv1a64(canonicalJson(e)));
    // A fixed value: the Hash stored in a --data file stays what an earlier dev server wrote.
    expect(entryHash({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }).toString()).toBe(
      fnv1a64('{"Kind":"service-defaults","Name":"web","Protocol":"http"}').toString(),
    );
  });
});

describe('PUT body first value', () => {
  it('gives the value without surrounding whitespace and its Go type', () => {
    expect(goJsonDecode(' \r\n\t{"Kind":"mesh"}\n ')).toEqual({ ok: true, text: '{"Kind":"mesh"}', type: 'map' });
    expect(goJsonDecode('[1]')).toEqual({ ok: true, text: '[1]', type: 'slice' });
    expect(goJsonDecode(' null ')).toEqual({ ok: true, text: 'null', type: 'nil' });
    expect(goJsonDecode('-1.5e3')).toEqual({ ok: true, text: '-1.5e3', type: 'float64' });
  });

  it('reads only the first value when bytes follow it, and names syntax errors as Go does', () => {
    expect(goJsonDecode('{"Kind":"mesh"} trailing')).toEqual({ ok: true, text: '{"Kind":"mesh"}', type: 'map' });
    expect(goJsonDecode('x{}')).toEqual({ ok: false, message: "invalid character 'x' looking for beginning of value" });
    expect(goJsonDecode('{"Kind":')).toEqual({ ok: false, message: 'unexpected EOF' });
    expect(goJsonDecode('   ')).toEqual({ ok: false, message: 'EOF' });
  });
});
