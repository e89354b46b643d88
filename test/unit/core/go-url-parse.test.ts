// Go's url.Parse as wasm's Constructor calls it on a remote plugin's HttpURI.URI
// (builtin/wasm/structs.go: `if _, err := url.Parse(httpURI.URI); err != nil`), pinned by the cases of
// Go's net/url url_test.go TestParseErrors (whether each fails) and the texts url.go's parse returns.
import { describe, expect, it } from 'vitest';
import { parseRequestURIError, parseURLError } from '../../../src/core/write-checks/go-url.ts';

/** url_test.go TestParseErrors: input and wantErr. */
const PARSE_ERRORS: [string, boolean][] = [
  ['http://[::1]', false],
  ['http://[::1]:80', false],
  ['http://[::1]:namedport', true],
  ['http://x:namedport', true],
  ['http://[::1]/', false],
  ['http://[::1]a', true],
  ['http://[::1]%23', true],
  ['http://[::1%25en0]', false],
  ['http://[::1]:', false],
  ['http://x:', false],
  ['http://[::1]:%38%30', true],
  ['http://x:%38%30', true],
  ['http://[%10::1]', true],
  ['http://[::1]/%48', false],
  ['http://%41:8080/', true],
  ['mysql://x@y(z:123)/foo', true],
  ['mysql://x@y(1.2.3.4:123)/foo', true],
  [' http://foo.com', true],
  ['ht tp://foo.com', true],
  ['ahttp://foo.com', false],
  ['1http://foo.com', true],
  ['http://[]%20%48%54%54%50%2f1.1%0a%4d%79%48%65%61%64%65%72:%20%76%61%6c%75%65%0a%0a/foo', true],
  ['http://a b.com/', true],
  ['cache_object://foo', true],
  ['cache_object:foo', true],
  ['cache_object:foo/bar', true],
  ['cache_object/:foo/bar', false],
];

describe('url.Parse', () => {
  it.each(PARSE_ERRORS)('%j fails: %s (TestParseErrors)', (input, wantErr) => {
    expect(parseURLError(input) !== undefined).toBe(wantErr);
  });

  it("words the error as url.Error does, with parse's cause", () => {
    expect(parseURLError('http://a b.com/')).toBe('parse "http://a b.com/": invalid character " " in host name');
    expect(parseURLError('cache_object:foo')).toBe('parse "cache_object:foo": first path segment in URL cannot contain colon');
    expect(parseURLError('http://x:namedport')).toBe('parse "http://x:namedport": invalid port ":namedport" after host');
    expect(parseURLError('http://%41:8080/')).toBe('parse "http://%41:8080/": invalid URL escape "%41"');
    expect(parseURLError(':foo')).toBe('parse ":foo": missing protocol scheme');
  });

  it('cuts the fragment off before parsing and quotes the URL without it; a bad fragment escape quotes all of it', () => {
    expect(parseURLError('http://a b/#frag')).toBe('parse "http://a b/": invalid character " " in host name');
    expect(parseURLError('https://files/plugin.wasm#%zz')).toBe('parse "https://files/plugin.wasm#%zz": invalid URL escape "%zz"');
    expect(parseURLError('https://files/plugin.wasm#v1')).toBeUndefined();
  });

  it('takes what ParseRequestURI refuses: an empty URL and a relative path', () => {
    expect(parseURLError('')).toBeUndefined();
    expect(parseURLError('plugin.wasm')).toBeUndefined();
    expect(parseRequestURIError('')).toBe('parse "": empty url');
    expect(parseRequestURIError('plugin.wasm')).toBe('parse "plugin.wasm": invalid URI for request');
  });
});
