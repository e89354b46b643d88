// The dev server splits a plain request target itself instead of running the URL parser on every
// request: for every target it must give the path and parameters the URL parser gives.
import { describe, expect, it } from 'vitest';
import { requestTarget } from '../../src/dev-server/http-util.ts';

/** Path and parameters, or that the target is refused (the server answers 500 for those as before). */
const outcome = (parse: (t: string) => { pathname: string; searchParams: URLSearchParams }) => (t: string) => {
  try {
    const r = parse(t);
    return { pathname: r.pathname, params: [...r.searchParams] };
  } catch (e) {
    return { refused: (e as Error).message };
  }
};
const viaUrl = outcome((t) => new URL(t, 'http://localhost'));
const ours = outcome(requestTarget);

describe('request target', () => {
  it('matches the URL parser on plain and tricky targets', () => {
    const targets = [
      '/',
      '/v1/config',
      '/v1/config?cas=0',
      '/v1/config/service-defaults/web?index=12&wait=5s&pretty',
      '/v1/config/service-defaults?filter=Protocol%20%3D%3D%20%22http%22',
      '/v1/kv/a/b?recurse&separator=/',
      '/v1/kv/a+b?x=a+b&y=%2B',
      '/v1/config?dc=&ns=',
      '/v1/config/service-defaults/a%2Fb',
      '/v1/config/../agent/self',
      '/v1/./config',
      '//evil/v1/config',
      '/v1/config?a=1#frag',
      '/v1/config?q="x"',
      '/v1/kv/ä?x=ü',
      '/v1/config?x=%zz',
      '/v1/kv/a b?c d=e f',
      '/v1//config',
      '/v1\\config',
    ];
    for (const t of targets) expect(ours(t), t).toEqual(viaUrl(t));
  });

  it('matches the URL parser on random targets', () => {
    const alphabet = 'aZ09_-/.?&=%+#:*~ ,;"\\ä';
    let seed = 12345;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 5000; i++) {
      let t = '/';
      const len = rand(20);
      for (let j = 0; j < len; j++) t += alphabet[rand(alphabet.length)];
      expect(ours(t), t).toEqual(viaUrl(t));
    }
  });
});
