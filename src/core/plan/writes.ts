// The one answer to "does applying this change send a write to Consul": apply's writes, the CLI's
// "apply these N changes?", the reviewed plan a merge is compared with, `--only`'s "left out" notice
// and the state the warnings check all ask it, so none of them can count a change apply skips.
import type { Change } from './plan.ts';

/**
 * A create, update or delete that apply sends. Not a noop or skip, not an entry another tool manages
 * (`requiresAdopt`: written only with --adopt, which clears it), not an update that would drop
 * fields unknown to consul-gitops (`requiresFieldLoss`: written only with --allow-field-loss).
 */
export function sendsWrite<C extends Pick<Change, 'action' | 'requiresAdopt' | 'requiresFieldLoss'>>(
  change: C,
): change is C & { action: 'create' | 'update' | 'delete' } {
  return (change.action === 'create' || change.action === 'update' || change.action === 'delete') && !change.requiresAdopt && !change.requiresFieldLoss;
}
