// The dev server started as an older Consul (`dev-server --consul-version 1.21.4`): fields that
// version's structs lack are keys mapstructure leaves unused, which validateUnusedKeys
// (agent/structs/config_entry_ce.go) refuses with a 400, as for the CE-only keys in ce-keys.ts.
import { multiErrorText } from '../decode/api-body.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { FIELD_SINCE, atLeast, fieldsNewerThan, type ConsulVersion } from '../model/consul-versions.ts';

const knowsEveryField = new WeakMap<ConsulVersion, boolean>();

/**
 * Whether `version` has every dated field (the newest modelled, the default, does): then no key of
 * any entry is too new, and the walk over the entry's fields (every write) is skipped.
 */
function knowsAll(version: ConsulVersion): boolean {
  let known = knowsEveryField.get(version);
  if (known === undefined) {
    known = Object.values(FIELD_SINCE).every((fields) => Object.values(fields).every((since) => atLeast(version, since)));
    knowsEveryField.set(version, known);
  }
  return known;
}

/** The 400 body for fields `version` does not know yet, or undefined. Paths are the canonical spelling. */
export function tooNewKeyError(entry: ApiEntry, version: ConsulVersion, given?: Iterable<string>): string | undefined {
  if (knowsAll(version)) return undefined;
  const fields = fieldsNewerThan(entry, version, given);
  if (!fields.length) return undefined;
  return `Request decoding failed: ${multiErrorText(fields.map((f) => `invalid config key "${f.path}"`))}`;
}
