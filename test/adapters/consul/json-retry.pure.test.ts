import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropServerHash, parseConsulJson } from '../../../src/adapters/consul/json.ts';
import { backoffDelay, parseRetryAfter } from '../../../src/adapters/consul/retry.ts';
import { stringifyApiJson } from '../../../src/core/api-json.ts';

describe('parseConsulJson', () => {
  it('parses integers beyond 2^53 as exact bigints', () => {
    const v = parseConsulJson('{"Hash":8311495337118033813,"Max":18446744073709551615,"Neg":-9007199254740993,"Safe":9007199254740991}');
    expect(v).toEqual({ Hash: 8311495337118033813n, Max: 18446744073709551615n, Neg: -9007199254740993n, Safe: 9007199254740991 });
  });

  it('keeps floats and exponents as numbers', () => {
    expect(parseConsulJson('[12345678901234567.5, 1e300, 12345678901234567e2]')).toEqual([Number('12345678901234567.5'), 1e300, Number('12345678901234567e2')]);
  });

  it('leaves digits inside strings alone', () => {
    expect(parseConsulJson('{"a":"12345678901234567890","b\\"":"\\u00e9\\n"}')).toEqual({ a: '12345678901234567890', 'b"': 'é\n' });
  });

  it('round-trips through stringifyApiJson exactly', () => {
    const text = '{"Kind":"proxy-defaults","Config":{"x":[1,18446744073709551615,{"y":null,"z":true}]},"Hash":8311495337118033813}';
    expect(stringifyApiJson(parseConsulJson(text), 0)).toBe(text);
  });

  it('keeps __proto__ as an own key, like JSON.parse', () => {
    const v = parseConsulJson('{"__proto__":{"polluted":1},"n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
  });

  it.each(['{"a":1234567890123456789', '[1,]', '{"a" 1}', '12345678901234567 x', 'nul'])('rejects invalid JSON %j', (text) => {
    expect(() => parseConsulJson(text)).toThrow(); // JSON.parse's SyntaxError, or the exact parser's ConsulGitopsError('syntax')
  });

  it('agrees with JSON.parse whenever no integer is unsafe', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        let unsafe = false;
        const expected = JSON.parse(text, (_k, v: unknown) => {
          if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) unsafe = true;
          return v;
        }) as unknown;
        fc.pre(!unsafe);
        const padded = `[${text}, 1234567890123456]`; // forces the slow path
        expect(parseConsulJson(padded)).toEqual([expected, 1234567890123456]);
      }),
    );
  });
});

describe('dropServerHash', () => {
  it('removes Hash and nothing else', () => {
    expect(dropServerHash({ Kind: 'mesh', Hash: 1n, ModifyIndex: 3 })).toEqual({ Kind: 'mesh', ModifyIndex: 3 });
  });
});

describe('backoffDelay', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows exponentially under the cap with full jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
  it('waits at least Retry-After, capped', () => {
    expect(backoffDelay(1, policy, () => 0, 500)).toBe(500);
    expect(backoffDelay(1, policy, () => 0, 30_000)).toBe(1000);
  });
  it('parses Retry-After seconds only', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
