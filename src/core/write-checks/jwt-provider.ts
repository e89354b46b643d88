// jwt-provider's remote JWKS URI check, which the registry's Validate lacks
// (agent/structs/config_entry_jwt_provider.go RemoteJWKS.Validate: url.ParseRequestURI).
import type { ApiEntry, EntryProblem } from '../../model/kind-definition.ts';

/**
 * The error Go's url.ParseRequestURI returns for the mistakes people make in a JWKS URI (no
 * scheme and no leading slash, a bad port, a bad escape, control characters), or undefined.
 * Go wraps it as `parse "<uri>": <cause>` (url.Error).
 */
export function parseRequestURIError(uri: string): string | undefined {
  const cause = requestURICause(uri);
  return cause === undefined ? undefined : `parse ${JSON.stringify(uri)}: ${cause}`;
}

function requestURICause(raw: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
  if (/[\u0000-\u001f\u007f]/.test(raw)) return 'net/url: invalid control character in URL';
  if (raw === '') return 'empty url';
  if (raw === '*') return undefined;
  // getScheme: letters first, then letters, digits, '+', '-', '.'; a leading ':' is an error.
  let scheme = '';
  let rest = raw;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c) && i > 0) continue;
    if (c === ':') {
      if (i === 0) return 'missing protocol scheme';
      scheme = raw.slice(0, i);
      rest = raw.slice(i + 1);
    }
    break;
  }
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) return scheme !== '' ? undefined : 'invalid URI for request';
  let path = rest;
  if (scheme !== '' && rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    path = end < 0 ? '' : rest.slice(end);
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    if (!host.startsWith('[')) {
      const colon = host.lastIndexOf(':');
      if (colon >= 0 && !/^:\d*$/.test(host.slice(colon))) return `invalid port ${JSON.stringify(host.slice(colon))} after host`;
    } else if (!host.includes(']')) return "missing ']' in host";
  }
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(path);
  if (bad) return `invalid URL escape ${JSON.stringify(path.slice(bad.index, bad.index + 3))}`;
  return undefined;
}

export function jwtProviderURIProblems(entry: ApiEntry): EntryProblem[] {
  const uri = (entry.JSONWebKeySet as { Remote?: { URI?: string } } | undefined)?.Remote?.URI;
  if (!uri) return [];
  const err = parseRequestURIError(uri);
  return err ? [{ field: 'JSONWebKeySet.Remote.URI', message: `Remote JWKS URI is invalid: ${err}, uri: ${uri}` }] : [];
}
