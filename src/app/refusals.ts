// A run that ends without changing Consul, as an error of the family: the one mapping from a use
// case's outcome to its code, so the CLI, the reconcile function and serve name a refusal alike.
import { ConsulGitopsError, type ErrorCode } from '../errors.ts';
import type { SavedPlanProblem } from '../core/plan/saved-plan.ts';
import { formatEntryId } from '../model/entry-id.ts';
import type { ApplyReport } from './apply-plan.ts';

/** The outcome kinds of apply-commit, reconcile-commit and detect-drift that are refusals. */
interface OutcomeLike {
  kind: string;
  reason?: string;
  errors?: readonly unknown[];
  report?: ApplyReport;
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
    case 'applied':
    case 'healed':
      return o.report ? applyRefusal(o.report) : undefined;
    default:
      return undefined;
  }
}

/** `apply FILE` refused: one code per reason (the file says which, in its message). */
export function savedPlanRefusal(p: SavedPlanProblem): ConsulGitopsError {
  const code: ErrorCode = `saved-plan-${p.kind}`;
  return new ConsulGitopsError(code, `${p.file}: ${p.message}`);
}

/** How many entries a refusal's message names; the apply report lists every one. */
const SHOWN = 5;

/**
 * The refusal inside an apply that went ahead: changes not written because writing them needs a
 * flag the run lacks (--allow-field-loss, --adopt). The first such code names it; the message counts them all.
 */
export function applyRefusal(report: ApplyReport): ConsulGitopsError | undefined {
  const refused = report.results.flatMap((r) => (r.outcome.status === 'skipped' && r.outcome.code ? [{ id: r.change.id, code: r.outcome.code }] : []));
  if (!refused.length) return undefined;
  const code = refused[0].code;
  const ids =
    refused
      .slice(0, SHOWN)
      .map((r) => formatEntryId(r.id))
      .join(', ') + (refused.length > SHOWN ? `, and ${refused.length - SHOWN} more` : '');
  const n = refused.length;
  const why =
    code === 'field-loss'
      ? 'writing would remove live fields unknown to consul-gitops; --allow-field-loss writes anyway'
      : 'Consul differs from Git on entries consul-gitops does not manage; --adopt writes anyway';
  const also = refused.some((r) => r.code !== code) ? ' (and other refusals: see each change)' : '';
  return new ConsulGitopsError(code, `${n} change${n === 1 ? '' : 's'} not written (${ids}): ${why}${also}`);
}
