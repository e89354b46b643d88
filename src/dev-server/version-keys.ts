// The dev server started as an older Consul (`dev-server --consul-version 1.21.4`): fields that
// version's structs lack are keys mapstructure leaves unused, which validateUnusedKeys
// (agent/structs/config_entry_ce.go) refuses with a 400, as for the CE-only keys in ce-keys.ts.
import { multiErrorText } from '../decode/api-body.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { fieldsNewerThan, type ConsulVersion } from '../model/consul-versions.ts';

/** The 400 body for fields `version` does not know yet, or undefined. Paths are the canonical spelling. */
export function tooNewKeyError(entry: ApiEntry, version: ConsulVersion): string | undefined {
  const fields = fieldsNewerThan(entry, version);
  if (!fields.length) return undefined;
  return `Request decoding failed: ${multiErrorText(fields.map((f) => `invalid config key "${f.path}"`))}`;
}
