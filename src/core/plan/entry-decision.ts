// The planner's decision for one entry: from who owns Consul's copy, whether a file defines it and
// the apply flags, whether apply writes the file, leaves Consul's copy as it is, or deletes it.
// plan.ts builds each change on it, and the strict-mode advisor asks it what an apply would leave
// (src/core/advisor/judged-services.ts), so a drift hint cannot promise what apply does not do.
import type { Ownership } from './ownership.ts';

/**
 * - `create`: no copy in Consul; the file is written.
 * - `write`: consul-gitops' own entry; written when it differs from the file (update), else a noop.
 * - `adopt`: another tool's or nobody's entry, with `--adopt`: written, taking it over.
 * - `needs-adopt`: the same without `--adopt`: left as it is (a skip when it matches the file, an
 *   update only `--adopt` writes when it differs).
 * - `external`: a controller that writes it back owns it (consul-k8s): never written.
 * - `delete`: consul-gitops' own entry whose file is gone, with `--prune`.
 * - `keep`: the same with pruning off: left, and listed as a skip.
 * - `untouched`: not consul-gitops' and in no file: not in the plan at all.
 */
export type EntryDecision = 'create' | 'write' | 'adopt' | 'needs-adopt' | 'external' | 'delete' | 'keep' | 'untouched';

export interface DecisionFlags {
  adopt: boolean;
  prune: boolean;
}

/** `owner`: ownershipOf the live entry, undefined when Consul has none; `inGit`: a file defines it. */
export function entryDecision(owner: Ownership | undefined, inGit: boolean, flags: DecisionFlags): EntryDecision {
  if (owner === undefined) return inGit ? 'create' : 'untouched';
  if (!inGit) return owner !== 'ours' ? 'untouched' : flags.prune ? 'delete' : 'keep';
  if (owner === 'ours') return 'write';
  // consul-k8s writes its entries back from CRDs: taking one over would start a tug of war.
  if (typeof owner === 'object' && 'external' in owner) return 'external';
  return flags.adopt ? 'adopt' : 'needs-adopt';
}

/** What Consul holds for the entry once the plan is applied: the file's entry, its own copy, or none. */
export function heldAfterApply(decision: EntryDecision): 'file' | 'live' | 'none' {
  switch (decision) {
    case 'create':
    case 'write':
    case 'adopt':
      return 'file';
    case 'needs-adopt':
    case 'external':
    case 'keep':
    case 'untouched':
      return 'live';
    case 'delete':
      return 'none';
  }
}
