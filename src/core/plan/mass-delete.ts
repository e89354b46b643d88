// The mass-deletion guard: an empty or broken checkout must never wipe a mesh.
export interface MassDeletePolicy {
  /** Refuse when deletions exceed this share of owned entries (0..1). Default 0.5. */
  maxShare?: number;
  /** …and are at least this many. Default 10. */
  minCount?: number;
  /** --allow-mass-delete */
  allow?: boolean;
}

export function massDeleteGuard(deletes: number, owned: number, policy: MassDeletePolicy = {}): string | undefined {
  if (policy.allow || deletes === 0) return undefined;
  const maxShare = policy.maxShare ?? 0.5;
  const minCount = policy.minCount ?? 10;
  if (deletes >= owned)
    return `refusing to delete every entry consul-gitops manages (${deletes} of ${owned}); an empty or broken checkout looks like this. Re-run with --allow-mass-delete if it is intended.`;
  if (deletes >= minCount && deletes / owned > maxShare)
    return `refusing to delete ${deletes} of ${owned} managed entries (more than ${Math.round(maxShare * 100)}%). Re-run with --allow-mass-delete if it is intended.`;
  return undefined;
}
