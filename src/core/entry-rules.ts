// Consul's per-entry server checks: the kind's name rule, CE-only refusals, then the kind's Validate().
import type { ApiEntry, EntryProblem } from '../model/kind-definition.ts';
import { kindDefinition } from '../model/registry.ts';

/** Problems Consul's server would report writing this normalised entry (CE). */
export function entryProblems(entry: ApiEntry): EntryProblem[] {
  const def = kindDefinition(entry.Kind);
  if (!def) return [{ field: 'Kind', message: `invalid config entry kind: ${entry.Kind}` }];
  if (def.enterpriseOnly) return [{ field: 'Kind', message: def.enterpriseOnly }];
  if (def.controllerOwned) return [{ field: 'Kind', message: 'Permission denied: only writeable by controller' }];
  const problems: EntryProblem[] = [];
  const name = typeof entry.Name === 'string' ? entry.Name : '';
  const rule = def.nameRule;
  if (rule.rule === 'fixed' && name !== '' && name !== rule.name) problems.push({ field: 'Name', message: rule.message(name) });
  for (const p of def.validate?.(entry) ?? []) if (!problems.some((q) => q.message === p.message)) problems.push(p);
  return problems;
}
