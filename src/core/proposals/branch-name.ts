// The branch a proposal lives on: one per service (or one for the mesh lockdown), the same name
// on every run so later runs update it instead of adding another.
import type { ServiceRef } from '../advisor/model.ts';

/** A name part git accepts in a ref (git check-ref-format): anything else becomes `-`. */
function refPart(s: string): string {
  const clean = s
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '-')
    .replace(/^[.-]+|[.]+$/g, '')
    .replace(/\.lock$/, '-lock');
  return clean || 'default';
}

export function strictBranchName(s: ServiceRef): string {
  return `consul-gitops/strict/${refPart(s.partition || 'default')}/${refPart(s.namespace || 'default')}/${refPart(s.name)}`;
}

export function lockdownBranchName(target: string): string {
  return `consul-gitops/mesh-lockdown/${refPart(target)}`;
}
