// The full plan kept for a pull request's reviewers when its comment cannot hold it (the port is in ports/plan-archive.ts).
import type { Plan } from '../core/plan/plan.ts';
import { PLAIN, renderPlanText } from '../core/plan/render-plan.ts';

export type { ArchivedPlan, PlanArchive } from './ports/plan-archive.ts';

/** The full plan as `consul-gitops plan` prints it (plain, no colours), under a heading naming target and commit. */
export function fullPlanText(plan: Plan, target: string, commit: string): string {
  return `consul-gitops plan for ${target} at ${commit}\n\n${renderPlanText(plan, PLAIN)}`;
}
