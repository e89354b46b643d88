// How Consul addresses an entry: kind, name (case-insensitive), and Enterprise namespace/partition.
import type { ApiEntry } from './kind-definition.ts';
import { kindDefinition } from './registry.ts';
import { escapeControl } from './errors.ts';

export interface EntryId {
  kind: string;
  name: string;
  namespace: string;
  partition: string;
}

export function entryIdOf(entry: ApiEntry): EntryId {
  const def = kindDefinition(entry.Kind);
  const rule = def?.nameRule;
  let name = typeof entry.Name === 'string' ? entry.Name : '';
  if (rule?.rule === 'implicit') name = rule.name;
  else if (rule?.rule === 'fixed' && name === '') name = rule.name;
  return {
    kind: entry.Kind,
    name,
    namespace: typeof entry.Namespace === 'string' ? entry.Namespace : '',
    partition: typeof entry.Partition === 'string' ? entry.Partition : '',
  };
}

/** The identity key: Consul's memdb index lower-cases kind and name. */
export function entryKey(id: EntryId): string {
  return `${id.kind}/${tenancyKey(id.partition)}/${tenancyKey(id.namespace)}/${id.name.toLowerCase()}`;
}

/** Enterprise fills an omitted partition or namespace with "default": both name the same one. */
function tenancyKey(v: string): string {
  const lower = v.toLowerCase();
  return lower === 'default' ? '' : lower;
}

export function formatEntryId(id: EntryId): string {
  // The default partition and namespace are what CE has and what an omitted one means: not named.
  const named = (v: string) => v !== '' && tenancyKey(v) !== '';
  const scope = [named(id.partition) && `partition=${id.partition}`, named(id.namespace) && `namespace=${id.namespace}`].filter(Boolean);
  // Names come from files: control characters are escaped so they cannot rewrite a terminal or CI log.
  return escapeControl(`${id.kind}/${id.name}${scope.length ? ` (${scope.join(', ')})` : ''}`);
}

/** Sort order for output: kind, partition, namespace, name. */
export function compareEntryIds(a: EntryId, b: EntryId): number {
  for (const k of ['kind', 'partition', 'namespace', 'name'] as const) {
    if (a[k] < b[k]) return -1;
    if (a[k] > b[k]) return 1;
  }
  return 0;
}
