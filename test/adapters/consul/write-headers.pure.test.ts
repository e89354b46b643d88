// A write's answer headers are parsed by the client's own dispatch handler (undici-writes.ts), only
// when read: they must come out exactly as undici's request() gives them (its util.parseHeaders), or
// a Retry-After, an X-Consul-Index or a repeated header would read differently on a write.
import { util } from 'undici';
import { describe, expect, it } from 'vitest';
import { parseHeaders } from '../../../src/adapters/consul/undici-writes.ts';

const raw = (...pairs: string[]) => pairs.map((p) => Buffer.from(p, 'latin1'));

describe("a write's answer headers", () => {
  it.each([
    ['plain', raw('Content-Type', 'application/json', 'X-Consul-Index', '42', 'Retry-After', '3')],
    ['repeated names, in any case', raw('Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'SET-COOKIE', 'c=3', 'Vary', 'x')],
    ['names of Object.prototype', raw('__proto__', 'p', 'constructor', 'c', 'toString', 't', '__proto__', 'q', 'hasOwnProperty', 'h')],
    ['latin1 bytes and empty values', raw('X-Name', 'caf\u00e9', 'X-\u00c0', '\u00ff', 'X-Empty', '')],
    ['none', raw()],
  ])('%s: as undici parses them', (_what, headers) => {
    const ours = parseHeaders(headers);
    const undici = util.parseHeaders(headers);
    expect(ours).toStrictEqual(undici);
    expect(Object.keys(ours)).toEqual(Object.keys(undici));
  });
});
