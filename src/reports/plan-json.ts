// Plan → the `plan --json` document: the Plan as data under a named, versioned format
// (docs/plan-schema.json), each change with its file and line, whether it was changed outside
// consul-gitops, and the same attribute tree the text and Markdown plans print.
import { stringifyApiJson } from '../core/api-json.ts';
import { changeAttributes } from '../core/plan/attributes.ts';
import { changedOutsideCount } from '../core/plan/changed-outside.ts';
import { hasChanges, type Plan } from '../core/plan/plan.ts';
import { unwrittenDifferences } from '../core/plan/unwritten.ts';
import { redact } from '../core/plan/sensitive.ts';

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const PLAN_FORMAT = 'consul-gitops-plan';
/** Bumped when a field changes meaning or goes away; new optional fields keep the version. */
export const PLAN_FORMAT_VERSION = 1;

export function planDocument(plan: Plan) {
  const unwritten = unwrittenDifferences(plan).length;
  return {
    format: PLAN_FORMAT,
    formatVersion: PLAN_FORMAT_VERSION,
    // `unwritten`: entries differing from Git that no apply writes; `matchesGit` is the "in sync?" answer.
    summary: { ...plan.summary, changedOutside: changedOutsideCount(plan), unwritten, matchesGit: !hasChanges(plan) && unwritten === 0 },
    // `error.code` is what scripts read (src/errors.ts); Plan.refused is set by the mass-delete guard alone.
    ...(plan.refused ? { refused: plan.refused, error: { code: 'mass-delete' as const, message: plan.refused } } : {}),
    changes: plan.changes.map((c) => {
      const { nodes, hidden } = changeAttributes(c);
      // Private keys are not printed here either: a plan goes to CI logs and files.
      const values = redact({ before: c.before, after: c.after, fieldDiffs: c.fieldDiffs, explicitZeros: c.explicitZeros });
      return { ...c, ...stripUndefined(values), changedOutside: c.changedOutside === true, attributes: nodes, unchangedAttributes: hidden };
    }),
    warnings: plan.warnings,
  };
}

export function renderPlanJson(plan: Plan): string {
  return `${stringifyApiJson(planDocument(plan))}\n`;
}
