// Go's url.ParseRequestURI and url.Parse (net/url url.go: parse with and without viaRequest, getScheme, parseAuthority,
// parseHost, validOptionalPort, validUserinfo, unescape, shouldEscape), down to the text of its
// errors, wrapped as url.Error does: `parse "<uri>": <cause>`. Only whether it fails, and how, is
// kept: the parsed URL itself is never needed. Not reproduced: the checks newer Go releases add
// inside a bracketed host (netip.ParseAddr: "invalid host: ...", "invalid IP-literal").
import { goQuote } from '../../model/go-quote.ts';

type Mode = 'host' | 'zone' | 'path' | 'user' | 'fragment';

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string) => /^[0-9A-Fa-f]$/.test(c);

/** shouldEscape for the host and zone modes, the only ones whose answer makes unescape fail. */
function hostShouldEscape(c: string): boolean {
  if (isAlnum(c)) return false;
  if ('!$&\'()*+,;=:[]<>"'.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  return true;
}

/** Go's %q of a byte slice: valid UTF-8 as goQuote words it, any other byte as \xHH. */
function quoteBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    const seq = bytes.subarray(i, i + n);
    const text = n > 0 && seq.length === n ? decoder.decode(seq) : '\ufffd';
    if (n > 0 && seq.length === n && !text.includes('\ufffd')) {
      out += goQuote(text).slice(1, -1);
      i += n;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return `"${out}"`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** unescape's checks (it fails, or it does not), over the UTF-8 bytes as Go walks them: EscapeError and InvalidHostError. */
function unescapeError(text: string, mode: Mode): string | undefined {
  const s = encoder.encode(text);
  const escapeError = (i: number) => `invalid URL escape ${quoteBytes(s.subarray(i, i + 3))}`;
  const hexAt = (i: number) => i < s.length && isHex(String.fromCharCode(s[i]));
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === 0x25) {
      if (i + 2 >= s.length || !hexAt(i + 1) || !hexAt(i + 2)) return escapeError(i);
      const v = parseInt(String.fromCharCode(s[i + 1], s[i + 2]), 16);
      const is25 = v === 0x25;
      // In a host, %-encoding is only for non-ASCII bytes (RFC 3986), %25 aside (RFC 6874 zones).
      if (mode === 'host' && v < 0x80 && !is25) return escapeError(i);
      // A zone may escape only what a host name could hold as it is (or a space).
      if (mode === 'zone' && !is25 && v !== 0x20 && hostShouldEscape(String.fromCharCode(v))) return escapeError(i);
      i += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c < 0x80 && hostShouldEscape(String.fromCharCode(c)))
      return `invalid character ${goQuote(String.fromCharCode(c))} in host name`;
    i++;
  }
  return undefined;
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function parseHostError(host: string): string | undefined {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return "missing ']' in host";
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return `invalid port ${goQuote(colonPort)} after host`;
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) return unescapeError(host.slice(0, zone), 'host') ?? unescapeError(host.slice(zone, i), 'zone') ?? unescapeError(host.slice(i), 'host');
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) return `invalid port ${goQuote(host.slice(i))} after host`;
  }
  return unescapeError(host, 'host');
}

function parseAuthorityError(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  const hostError = parseHostError(at < 0 ? authority : authority.slice(at + 1));
  if (hostError !== undefined || at < 0) return hostError;
  const userinfo = authority.slice(0, at);
  if (![...userinfo].every((c) => isAlnum(c) || "-._:~!$&'()*+,;=%@".includes(c))) return 'net/url: invalid userinfo';
  const colon = userinfo.indexOf(':');
  if (colon < 0) return unescapeError(userinfo, 'user');
  return unescapeError(userinfo.slice(0, colon), 'user') ?? unescapeError(userinfo.slice(colon + 1), 'user');
}

/** url.go parse(rawURL, viaRequest): the cause of its error, or undefined when it parses. */
function parseCause(raw: string, viaRequest: boolean): string | undefined {
  // stringContainsCTLByte: bytes below 0x20 and 0x7f.
  // eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
  if (/[\u0000-\u001f\u007f]/.test(raw)) return 'net/url: invalid control character in URL';
  if (raw === '' && viaRequest) return 'empty url';
  if (raw === '*') return undefined;
  // getScheme: a letter first, then letters, digits, '+', '-', '.'; a leading ':' is an error.
  let scheme = '';
  let rest = raw;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) return 'missing protocol scheme';
      scheme = raw.slice(0, i);
      rest = raw.slice(i + 1);
    }
    break;
  }
  // The query is cut off at the first '?' (a lone trailing '?' too); the fragment is not: it stays in the path.
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) {
    // A rootless path after a scheme is opaque.
    if (scheme !== '') return undefined;
    if (viaRequest) return 'invalid URI for request';
    // A relative reference's first segment may not hold a colon (golang.org/issue/16822).
    if (rest.split('/')[0].includes(':')) return 'first path segment in URL cannot contain colon';
  }
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    const authority = rest.slice(2);
    const slash = authority.indexOf('/');
    const err = parseAuthorityError(slash < 0 ? authority : authority.slice(0, slash));
    if (err !== undefined) return err;
    rest = slash < 0 ? '' : authority.slice(slash);
  }
  // setPath: unescape(path, encodePath).
  return unescapeError(rest, 'path');
}

/** The error url.ParseRequestURI returns for `uri`, as its Error() reads, or undefined when it parses. */
export function parseRequestURIError(uri: string): string | undefined {
  const cause = parseCause(uri, true);
  return cause === undefined ? undefined : `parse ${goQuote(uri)}: ${cause}`;
}

/**
 * The error url.Parse returns for `uri`, as its Error() reads, or undefined when it parses. The
 * fragment is cut off first (the error then quotes the URL without it); setFragment only unescapes.
 */
export function parseURLError(uri: string): string | undefined {
  const hash = uri.indexOf('#');
  const u = hash < 0 ? uri : uri.slice(0, hash);
  const cause = parseCause(u, false);
  if (cause !== undefined) return `parse ${goQuote(u)}: ${cause}`;
  const fragmentError = hash < 0 ? undefined : unescapeError(uri.slice(hash + 1), 'fragment');
  return fragmentError === undefined ? undefined : `parse ${goQuote(uri)}: ${fragmentError}`;
}
