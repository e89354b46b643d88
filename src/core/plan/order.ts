// order: the waves a plan is applied in. Writes follow the registry's apply order (mesh and
// proxy-defaults first, intentions last). Deleting a dependent (router, splitter, gateway,
// intention, export) runs before the writes, so a protocol change is not refused because of it;
// deleting what others depend on (mesh, proxy-defaults, service-defaults, jwt-provider, resolver)
// runs after the writes, so a new provider is in place first; both in reverse apply order. Each
// kind declares which it is (`orderRole` in src/model/kinds/*.ts).
// Locking the mesh down runs last, after every service has left permissive mode.
// A sameness group that gains a member another gives up is written after that one (sameness-order.ts);
// an update that stops using a subset or L7 permissions runs before the one taking it away (release-order.ts).
import { kindDefinition } from '../../model/registry.ts';
import type { Change } from './plan.ts';
import { samenessWaves } from './sameness-order.ts';
import { releaseWaves } from './release-order.ts';

export const LOCKDOWN_WAVE = 1000;
/** Kinds whose writes release-order.ts may sequence. */
const RELEASE_KINDS = new Set(['service-resolver', 'service-router', 'service-splitter', 'service-intentions']);
const PROVIDER_DELETES_WAVE = 500;

export function orderChanges(changes: readonly Change[]): Change[] {
  return orderInPlace(changes.map((c) => ({ ...c })));
}

/** orderChanges on changes the caller has just made and owns: each gets its wave, and the array is sorted, without copies. */
export function orderInPlace(changes: Change[]): Change[] {
  let groups = 0;
  let releases = false;
  for (const c of changes) {
    c.wave = waveOf(c);
    if (c.id.kind === 'sameness-group') groups++;
    else if (c.action !== 'noop' && c.action !== 'skip' && RELEASE_KINDS.has(c.id.kind)) releases = true;
  }
  // Only a plan that writes two groups or more can move a member between them.
  if (groups > 1) for (const [c, wave] of samenessWaves(changes, kindDefinition('sameness-group')?.applyOrder ?? 0)) c.wave = wave;
  if (releases) for (const [c, wave] of releaseWaves(changes)) c.wave = wave;
  return changes.sort((a, b) => a.wave - b.wave || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function waveOf(c: Change): number {
  const def = kindDefinition(c.id.kind);
  const order = def?.applyOrder ?? 500;
  if (c.action === 'delete') return def?.orderRole === 'provider' ? PROVIDER_DELETES_WAVE - order : -order;
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
