// Checks several kinds' Validate() share, as GoError values: validateConfigEntryMeta and
// MutualTLSMode.validate (agent/structs/config_entry.go).
import type { ApiEntry } from '../../model/kind-definition.ts';
import { validateMeta, validateMutualTLSMode } from '../../model/kinds/common.ts';
import { append, leaf, type GoError } from './go-error.ts';

/** validateConfigEntryMeta: a multierror of every Meta problem. */
export function metaError(entry: ApiEntry): GoError | undefined {
  return append(undefined, ...validateMeta(entry).map((p) => leaf(p.field, p.message)));
}

/** MutualTLSMode.validate: a plain error. */
export function mutualTLSModeError(entry: ApiEntry): GoError | undefined {
  const p = validateMutualTLSMode(entry)[0];
  return p ? leaf(p.field, p.message) : undefined;
}
