// Puts each desired entry in the namespace and partition it will be written to, and refuses one the
// target does not manage: on Consul Enterprise an entry without a Namespace lands in the client's
// namespace (agent/config_endpoint.go ConfigApply merges `?ns=` into an empty EnterpriseMeta), so
// its identity must say so, or the plan would create it again and prune the live copy.
import type { ConfigEntryError } from '../../model/errors.ts';
import { configEntryError } from '../../model/errors.ts';
import { positionOf } from '../../decode/entry-source.ts';
import { entryIdOf, formatEntryId } from '../../model/entry-id.ts';
import { isNamespacedKind, sameTenancy, type ManagedNamespaces } from '../../model/tenancy.ts';
import type { ValidatedEntry } from '../validate-tree.ts';
import type { TenancyHome } from '../../model/live-entry.ts';

export interface ScopedEntries {
  entries: ValidatedEntry[];
  errors: ConfigEntryError[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function managesNamespace(home: TenancyHome, ns: string): boolean {
  const managed: ManagedNamespaces | undefined = home.managed;
  if (managed === 'all') return true;
  if (managed) return managed.some((m) => sameTenancy(m, ns));
  return sameTenancy(home.namespace, ns);
}

function managedWords(home: TenancyHome): string {
  if (home.managed === 'all') return 'every namespace';
  if (home.managed) return `namespaces: [${home.managed.join(', ')}]`;
  return `only its own namespace "${home.namespace || 'default'}" (add \`namespaces: all\` or a list to the target in consul-gitops.yaml to manage more)`;
}

/** Fills an omitted Namespace/Partition with the target's, and reports entries outside the target. */
export function scopeDesired(entries: readonly ValidatedEntry[], home: TenancyHome): ScopedEntries {
  const out: ValidatedEntry[] = [];
  const errors: ConfigEntryError[] = [];
  const partition = home.partition || 'default';
  for (const d of entries) {
    const id = formatEntryId(entryIdOf(d.normalized));
    const fill: Record<string, string> = {};
    const ownPartition = text(d.entry.Partition);
    if (ownPartition && !sameTenancy(ownPartition, partition)) {
      errors.push(
        configEntryError(
          'validate',
          d.file,
          positionOf(d, 'Partition'),
          'Partition',
          `${id}: partition "${ownPartition}" is not this target's partition "${partition}"`,
          'a target manages one partition (consul.partition in consul-gitops.yaml): give each partition its own target',
        ),
      );
      continue;
    }
    if (!ownPartition && !sameTenancy(partition, '')) fill.Partition = partition;
    if (isNamespacedKind(d.entry.Kind)) {
      const ownNs = text(d.entry.Namespace);
      const ns = ownNs || home.namespace || 'default';
      if (!managesNamespace(home, ns)) {
        errors.push(
          configEntryError(
            'validate',
            d.file,
            positionOf(d, 'Namespace'),
            'Namespace',
            `${id}: namespace "${ns}" is not managed by this target, which manages ${managedWords(home)}`,
          ),
        );
        continue;
      }
      if (!ownNs && !sameTenancy(ns, '')) fill.Namespace = ns;
    }
    out.push(Object.keys(fill).length ? { ...d, entry: { ...d.entry, ...fill }, normalized: { ...d.normalized, ...fill } } : d);
  }
  return { entries: out, errors };
}
