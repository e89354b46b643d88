// mesh TLS checks the registry's Validate lacks (agent/structs/config_entry_mesh.go
// MeshConfigEntry.Validate → validateMeshDirectionalTLSConfig, with the ECDH curves of the newest
// source): run after Meta and before the HTTP
// request-normalisation checks, each direction wrapped in Consul's prefix.
import type { ApiEntry, EntryProblem } from '../../model/kind-definition.ts';
import { goQuote } from '../../model/go-quote.ts';
import { tlsConfigError } from './tls.ts';

type Directional = { TLSMinVersion?: string; TLSMaxVersion?: string; CipherSuites?: string[]; ECDHCurves?: string[] };

/** types.TLSVersionsWithConfigurableECDHCurves (types/tls.go): unset, TLS_AUTO, TLS 1.2 and 1.3. */
const ECDH_CONFIGURABLE = new Set(['', 'TLS_AUTO', 'TLSv1_2', 'TLSv1_3']);
/** types.envoyECDHCurves (validEnvoyECDHCurves in config_entry_mesh.go), sorted as SortedEnvoyECDHCurves sorts them. */
const ENVOY_ECDH_CURVES = ['P-256', 'P-384', 'P-521', 'X25519', 'X25519MLKEM768'];

/**
 * validateECDHCurves (agent/structs/config_entry_mesh.go at hashicorp/consul 03658a0): nothing for no
 * curves; else types.ValidateTLSVersionECDHCurvesCompat, then types.ValidateEnvoyECDHCurves (the
 * first unknown curve), texts of types/tls.go.
 */
function ecdhCurvesError(min: string, curves: readonly string[]): string | undefined {
  if (curves.length === 0) return undefined;
  if (!ECDH_CONFIGURABLE.has(min)) return `ecdh_curves can only be configured when tls_min_version is 'TLSv1_2' or higher, TLSMinVersion is set to ${min}`;
  const unknown = curves.find((c) => !ENVOY_ECDH_CURVES.includes(c));
  return unknown === undefined ? undefined : `unsupported ecdh_curve ${goQuote(unknown)}; must be one of [${ENVOY_ECDH_CURVES.join(', ')}]`;
}

export function meshTLSProblems(entry: ApiEntry): EntryProblem[] {
  const tls = entry.TLS as { Incoming?: Directional; Outgoing?: Directional } | undefined;
  const problems: EntryProblem[] = [];
  for (const [dir, cfg] of [
    ['Incoming', tls?.Incoming],
    ['Outgoing', tls?.Outgoing],
  ] as const) {
    if (!cfg) continue;
    // validateMeshDirectionalTLSConfig: validateTLSConfig, then validateECDHCurves.
    const e = tlsConfigError(cfg.TLSMinVersion ?? '', cfg.TLSMaxVersion ?? '', cfg.CipherSuites ?? []);
    if (e) {
      const field = `TLS.${dir}.${{ min: 'TLSMinVersion', max: 'TLSMaxVersion', ciphers: 'CipherSuites' }[e.field]}`;
      problems.push({ field, message: `error in ${dir.toLowerCase()} TLS configuration: ${e.message}` });
      continue;
    }
    const curves = ecdhCurvesError(cfg.TLSMinVersion ?? '', cfg.ECDHCurves ?? []);
    if (curves) problems.push({ field: `TLS.${dir}.ECDHCurves`, message: `error in ${dir.toLowerCase()} TLS configuration: ${curves}` });
  }
  return problems;
}
