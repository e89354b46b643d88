// jwt-provider's remote JWKS URI check, which the registry's Validate lacks
// (agent/structs/config_entry_jwt_provider.go RemoteJWKS.Validate: url.ParseRequestURI, its error
// wrapped as "Remote JWKS URI is invalid: %w, uri: %s").
import type { ApiEntry, EntryProblem } from '../../model/kind-definition.ts';
import { parseRequestURIError } from './go-url.ts';

export { parseRequestURIError };

export function jwtProviderURIProblems(entry: ApiEntry): EntryProblem[] {
  const uri = (entry.JSONWebKeySet as { Remote?: { URI?: string } } | undefined)?.Remote?.URI;
  if (!uri) return [];
  const err = parseRequestURIError(uri);
  return err ? [{ field: 'JSONWebKeySet.Remote.URI', message: `Remote JWKS URI is invalid: ${err}, uri: ${uri}` }] : [];
}
