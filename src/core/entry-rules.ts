// Consul's per-entry server checks: the kind's name rule, CE-only refusals, then the kind's Validate().
// Kinds listed in CONSUL_VALIDATE are checked by a full port of Consul's Validate() in
// ./write-checks (its order, early returns and multierror text); the others by the registry's.
import type { ApiEntry, EntryProblem } from '../model/kind-definition.ts';
import { kindDefinition } from '../model/registry.ts';
import { goErrorProblems, goErrorText, type GoError } from './write-checks/go-error.ts';
import { serviceDefaultsError } from './write-checks/service-defaults.ts';
import { proxyDefaultsProblems } from './write-checks/proxy-defaults.ts';

const CONSUL_VALIDATE: Readonly<Record<string, (entry: ApiEntry) => GoError | undefined>> = {
  'service-defaults': serviceDefaultsError,
};

/**
 * Checks the registry's Validate lacks, placed where Consul runs them: before the problem on the
 * `before` field (Consul returns its first error, and the dev server answers with problems[0]).
 */
const EXTRA_CHECKS: Readonly<Record<string, { check: (entry: ApiEntry) => EntryProblem[]; before?: string }>> = {
  'proxy-defaults': { check: proxyDefaultsProblems, before: 'MutualTLSMode' },
};

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
  const consul = CONSUL_VALIDATE[entry.Kind];
  const found = consul ? goErrorProblems(consul(entry)) : (def.validate?.(entry) ?? []);
  const extra = EXTRA_CHECKS[entry.Kind];
  if (extra) {
    const at = extra.before ? found.findIndex((p) => p.field === extra.before) : -1;
    found.splice(at < 0 ? found.length : at, 0, ...extra.check(entry));
  }
  for (const p of found) if (!problems.some((q) => q.message === p.message)) problems.push(p);
  return problems;
}

/**
 * Consul's exact error text for a kind whose Validate() is ported whole (multierror lists and
 * all), or undefined: then the caller words it from entryProblems.
 */
export function entryErrorText(entry: ApiEntry): string | undefined {
  const consul = CONSUL_VALIDATE[entry.Kind];
  const err = consul?.(entry);
  return err ? goErrorText(err) : undefined;
}
