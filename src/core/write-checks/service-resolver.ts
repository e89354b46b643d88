// service-resolver's subset Filter check, which the registry's Validate lacks
// (agent/structs/config_entry_discoverychain.go ServiceResolverConfigEntry.Validate:
// bexpr.CreateEvaluator(subset.Filter, nil), a parse without selector checks).
import type { ApiEntry, EntryProblem } from '../../model/kind-definition.ts';
import { BexprError, parseBexpr } from '../bexpr.ts';

export function resolverFilterProblems(entry: ApiEntry): EntryProblem[] {
  const subsets = (entry.Subsets as Record<string, { Filter?: string }> | undefined) ?? {};
  const problems: EntryProblem[] = [];
  for (const [name, subset] of Object.entries(subsets)) {
    const filter = subset?.Filter ?? '';
    if (name === '' || filter === '') continue;
    try {
      parseBexpr(filter);
    } catch (e) {
      if (!(e instanceof BexprError)) throw e;
      problems.push({ field: `Subsets.${name}.Filter`, message: `Filter for subset ${JSON.stringify(name)} is not a valid expression: ${e.message}` });
    }
  }
  return problems;
}
