// A run that ends without changing Consul, as an error of the family: the one mapping from a use
// case's outcome to its code, so the CLI, the reconcile function and serve name a refusal alike.
import { ConsulGitopsError, type ErrorCode } from '../errors.ts';
import type { SavedPlanProblem } from '../core/plan/saved-plan.ts';

/** The outcome kinds of apply-commit, reconcile-commit and detect-drift that are refusals. */
interface OutcomeLike {
  kind: string;
  reason?: string;
  errors?: readonly unknown[];
}

/** The refusal an outcome is, or undefined when the run went ahead (applied, planned, in sync, …). */
export function refusalOf(o: OutcomeLike): ConsulGitopsError | undefined {
  switch (o.kind) {
    case 'invalid': {
      const n = o.errors?.length ?? 0;
      return new ConsulGitopsError('invalid-entries', `${n} error${n === 1 ? '' : 's'} in config entries; nothing was planned or applied`);
    }
    case 'refused':
      // Plan.refused is set by the mass-delete guard alone (core/plan/mass-delete.ts).
      return new ConsulGitopsError('mass-delete', o.reason ?? 'the plan deletes too many entries');
    case 'stale':
      return new ConsulGitopsError('stale-commit', `stale commit: ${o.reason ?? 'older than the last one applied'}`);
    default:
      return undefined;
  }
}

/** `apply FILE` refused: one code per reason (the file says which, in its message). */
export function savedPlanRefusal(p: SavedPlanProblem): ConsulGitopsError {
  const code: ErrorCode = `saved-plan-${p.kind}`;
  return new ConsulGitopsError(code, `${p.file}: ${p.message}`);
}
