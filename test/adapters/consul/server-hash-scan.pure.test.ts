// parseConsulJson hands a response to JSON.parse when every run of 16 or more digits is a server
// `Hash` (json.ts onlyServerHashes), and to the exact parser otherwise. The scan is by character
// codes now, not a global regular expression: it must answer what the expression answered, on
// random texts made of digit runs of every length around 16, the Hash and CreateIndex spellings,
// and what a list response holds; and a list with a big integer outside a Hash still reads exactly.
import { describe, expect, it } from 'vitest';
import { onlyServerHashes, parseConsulJson } from '../../../src/adapters/consul/json.ts';
import { pick, seededRandom } from '../../support/seeded-random.ts';

/** The check as it was: /\d{16,}/g, each match read against its neighbours. */
function byRegex(text: string): boolean {
  const long = /\d{16,}/g;
  for (let m = long.exec(text); m; m = long.exec(text))
    if (!text.endsWith('"Hash":', m.index) || !text.startsWith(',"CreateIndex"', m.index + m[0].length)) return false;
  return true;
}

describe('the server-hash scan', () => {
  it('answers what the regular expression answered, on 20,000 random texts', () => {
    const r = seededRandom(16);
    const pieces = ['"Hash":', ',"CreateIndex"', '"Hash": ', ', "CreateIndex"', '"hash":', '{', '}', ',', '"x"', 'Hash', '٣', ' ', '-', '.', 'e'];
    let both = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let n = Math.floor(r() * 8); n > 0; n--)
        text += r() < 0.5 ? '7'.repeat(pick(r, [1, 3, 15, 16, 17, 20])).replace(/7/g, () => String(Math.floor(r() * 10))) : pick(r, pieces);
      const expected = byRegex(text);
      if (!expected) both++;
      expect({ text, only: onlyServerHashes(text) }).toStrictEqual({ text, only: expected });
    }
    // Both answers are exercised.
    expect(both).toBeGreaterThan(1000);
    expect(both).toBeLessThan(19_000);
  });

  it('passes a list of entries with their hashes to JSON.parse, and reads a big integer elsewhere exactly', () => {
    const list = '[{"Kind":"service-defaults","Name":"a","Hash":15651226425364465487,"CreateIndex":13,"ModifyIndex":13}]';
    expect(onlyServerHashes(list)).toBe(true);
    expect(onlyServerHashes('{"Config":{"n":12345678901234567890}}')).toBe(false);
    // A long run at the very end of the text is checked too.
    expect(onlyServerHashes('"Hash":1234567890123456789')).toBe(false);
    expect(parseConsulJson('[{"Kind":"proxy-defaults","Config":{"n":12345678901234567890},"Hash":1234567890123456789,"CreateIndex":1}]')).toStrictEqual([
      { Kind: 'proxy-defaults', Config: { n: 12345678901234567890n }, Hash: 1234567890123456789n, CreateIndex: 1 },
    ]);
  });
});
