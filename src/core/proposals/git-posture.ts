// What Git says about the mesh's mTLS posture, for the lockdown proposal and the dashboard: is any
// service still permissive (its own service-defaults, or inherited from proxy-defaults), and the
// mesh entry's two lockdown flags. Pure: normalised entries in, facts out.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { setsMutualTlsMode } from '../../model/registry.ts';
import { fieldText } from '../../model/field-text.ts';

export interface GitPosture {
  /** Some service-defaults says permissive, or proxy-defaults global does (every service without a mode inherits it). */
  anyPermissive: boolean;
  /** Consul's default when the mesh entry or the field is absent: false (mesh.go, AllowEnablingPermissiveMutualTLS). */
  allowEnablingPermissiveMutualTLS: boolean;
  meshDestinationsOnly: boolean;
}

export function gitPosture(entries: readonly ApiEntry[]): GitPosture {
  const permissive = (e: ApiEntry) => fieldText(e.MutualTLSMode).toLowerCase() === 'permissive';
  const anyPermissive = entries.some((e) => setsMutualTlsMode(e.Kind) && permissive(e));
  const mesh = entries.find((e) => e.Kind === 'mesh');
  const tproxy = (mesh?.TransparentProxy ?? {}) as Record<string, unknown>;
  return {
    anyPermissive,
    allowEnablingPermissiveMutualTLS: mesh?.AllowEnablingPermissiveMutualTLS === true,
    meshDestinationsOnly: tproxy.MeshDestinationsOnly === true,
  };
}

/** Fully strict and locked down: nothing permissive, permissive mode not allowed, mesh destinations only. */
export function lockedDown(p: GitPosture): boolean {
  return !p.anyPermissive && !p.allowEnablingPermissiveMutualTLS && p.meshDestinationsOnly;
}
