// order: the waves a plan is applied in. Writes follow the registry's apply order (mesh and
// proxy-defaults first, intentions last); deletions run in reverse, before writes, so dependents
// go before what they depend on. Locking the mesh down runs after every service has left
// permissive mode, so no write is ever refused half-way.
import { kindDefinition } from '../../model/registry.ts';
import type { Change } from './plan.ts';

export const LOCKDOWN_WAVE = 1000;

export function orderChanges(changes: readonly Change[]): Change[] {
  return changes
    .map((c) => ({ ...c, wave: waveOf(c) }))
    .sort((a, b) => a.wave - b.wave || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function waveOf(c: Change): number {
  const order = kindDefinition(c.id.kind)?.applyOrder ?? 500;
  if (c.action === 'delete') return -order;
  // An update that also newly allows permissive mode must land before the services that use it.
  if (c.id.kind === 'mesh' && c.action === 'update' && tightensMesh(c) && !allowsPermissive(c)) return LOCKDOWN_WAVE;
  return order;
}

const allow = (e: Record<string, unknown>) => e.AllowEnablingPermissiveMutualTLS === true;

/** True when the update turns AllowEnablingPermissiveMutualTLS on. */
function allowsPermissive(c: Change): boolean {
  return !allow(c.before ?? {}) && allow(c.after ?? {});
}

/** True when the update takes away permissive mode or non-mesh destinations. */
export function tightensMesh(c: Change): boolean {
  const before = c.before ?? {};
  const after = c.after ?? {};
  const meshOnly = (e: Record<string, unknown>) => (e.TransparentProxy as { MeshDestinationsOnly?: boolean } | undefined)?.MeshDestinationsOnly === true;
  return (allow(before) && !allow(after)) || (!meshOnly(before) && meshOnly(after));
}
