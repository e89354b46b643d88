// Where Consul differs from Git although the plan writes nothing: an entry another controller owns
// (consul-k8s) that differs from its file, and an entry consul-gitops applied whose file is gone
// while pruning is off. No apply repairs them, so neither "no changes" nor "no drift" is true.
import type { Change, Plan } from './plan.ts';

export function unwrittenDifferences(plan: Plan): Change[] {
  // A skip with a field difference is an entry not ours to write; a skip with no file behind it is
  // one of ours whose file is gone (plan.ts: "no file defines it; pruning is off").
  return plan.changes.filter((c) => c.action === 'skip' && (c.fieldDiffs.length > 0 || c.source === undefined));
}

/**
 * `1 entry differs from Git that consul-gitops does not write`, for titles and summaries; `section`
 * is where the reader finds them (the PR comment's "Skipped", the terminal's "Left alone").
 */
export function unwrittenSummary(n: number, section = 'Skipped'): string {
  return `${n} ${n === 1 ? 'entry differs' : 'entries differ'} from Git that consul-gitops does not write (see ${section})`;
}
