// The branch a proposal lives on: one per service (or one for the mesh lockdown), the same name
// on every run so later runs update it instead of adding another.
import { createHash } from 'node:crypto';
import type { ServiceRef } from '../advisor/model.ts';

/**
 * A name part git accepts in a ref (git check-ref-format). Consul's names are case-insensitive
 * (config entries are keyed lower-cased: `Web` and `web` are one service), so the part is too. Any
 * other change (a character outside `[a-z0-9._-]` becomes `-`, `..`, a leading `.`/`-`, `.lock`)
 * could make two names one branch (`a b` and `a+b`), and each would force-push over the other's
 * proposal: such a part ends in a short hash of the lower-cased name. A name that needs no change
 * keeps the branch it always had, so its open PR is still found.
 */
function refPart(s: string): string {
  const lower = s.toLowerCase();
  const clean = lower
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '-')
    .replace(/^[.-]+|[.]+$/g, '')
    .replace(/\.lock$/, '-lock');
  if (clean === lower && clean !== '') return clean;
  return `${clean || 'x'}-${createHash('sha256').update(lower, 'utf8').digest('hex').slice(0, 8)}`;
}

export function strictBranchName(s: ServiceRef): string {
  return `consul-gitops/strict/${refPart(s.partition || 'default')}/${refPart(s.namespace || 'default')}/${refPart(s.name)}`;
}

export function lockdownBranchName(target: string): string {
  return `consul-gitops/mesh-lockdown/${refPart(target)}`;
}
