// mesh TLS checks the registry's Validate lacks (agent/structs/config_entry_mesh.go
// MeshConfigEntry.Validate → validateMeshDirectionalTLSConfig): run after Meta and before the HTTP
// request-normalisation checks, each direction wrapped in Consul's prefix.
import type { ApiEntry, EntryProblem } from '../../model/kind-definition.ts';
import { tlsConfigError } from './tls.ts';

type Directional = { TLSMinVersion?: string; TLSMaxVersion?: string; CipherSuites?: string[] };

export function meshTLSProblems(entry: ApiEntry): EntryProblem[] {
  const tls = entry.TLS as { Incoming?: Directional; Outgoing?: Directional } | undefined;
  const problems: EntryProblem[] = [];
  for (const [dir, cfg] of [
    ['Incoming', tls?.Incoming],
    ['Outgoing', tls?.Outgoing],
  ] as const) {
    if (!cfg) continue;
    const e = tlsConfigError(cfg.TLSMinVersion ?? '', cfg.TLSMaxVersion ?? '', cfg.CipherSuites ?? []);
    if (!e) continue;
    const field = `TLS.${dir}.${{ min: 'TLSMinVersion', max: 'TLSMaxVersion', ciphers: 'CipherSuites' }[e.field]}`;
    problems.push({ field, message: `error in ${dir.toLowerCase()} TLS configuration: ${e.message}` });
  }
  return problems;
}
