// Who owns a live entry. consul-gitops marks what it writes in Meta and only ever deletes what it
// marked; entries from other tools (consul-k8s) are left alone unless adopted on purpose.
import type { ApiEntry } from '../../model/kind-definition.ts';

export const OWNER_KEY = 'managed-by';
export const OWNER_VALUE = 'consul-gitops';
/** The file an entry came from: stable across commits, unlike a commit SHA that would rewrite every entry. */
export const SOURCE_KEY = 'consul-gitops/source';

export type Ownership = 'ours' | 'unowned' | { foreign: string };

export function ownershipOf(entry: ApiEntry): Ownership {
  const meta = (entry.Meta ?? {}) as Record<string, string>;
  if (meta[OWNER_KEY] === OWNER_VALUE) return 'ours';
  if (meta['external-source']) return { foreign: meta['external-source'] };
  if (meta[OWNER_KEY]) return { foreign: meta[OWNER_KEY] };
  return 'unowned';
}

/** The entry as consul-gitops writes it: the user's entry plus the ownership marker. */
export function withOwnership(entry: ApiEntry, sourcePath: string): ApiEntry {
  const meta = { ...((entry.Meta ?? {}) as Record<string, string>), [OWNER_KEY]: OWNER_VALUE, [SOURCE_KEY]: sourcePath };
  return { ...entry, Meta: meta };
}
