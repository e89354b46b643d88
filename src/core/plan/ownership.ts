// Who owns a live entry. consul-gitops marks what it writes in Meta and only ever deletes what it
// marked; entries from other tools (consul-k8s) are left alone unless adopted on purpose.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { sameValue } from './canonical.ts';

export const OWNER_KEY = 'managed-by';
export const OWNER_VALUE = 'consul-gitops';
/** The file an entry came from: stable across commits, unlike a commit SHA that would rewrite every entry. */
export const SOURCE_KEY = 'consul-gitops/source';

/** Set by consul-k8s (`kubernetes`) on entries it writes from CRDs (consul-k8s control-plane/api/common/common.go: SourceKey). */
export const EXTERNAL_SOURCE_KEY = 'external-source';
/** consul-k8s' other marker (common.go: DatacenterKey): bookkeeping, not part of what Git says. */
const K8S_DATACENTER_KEY = 'consul.hashicorp.com/source-datacenter';

/**
 * - `ours`: written by consul-gitops.
 * - `unowned`: written by hand or by a tool that leaves no marker; `--adopt` takes it over.
 * - `foreign`: marked `managed-by` another tool; `--adopt` takes it over too.
 * - `external`: owned by a controller that writes it back (consul-k8s): never touched.
 */
export type Ownership = 'ours' | 'unowned' | { foreign: string } | { external: string };

export function ownershipOf(entry: ApiEntry): Ownership {
  const meta = (entry.Meta ?? {}) as Record<string, string>;
  if (meta[OWNER_KEY] === OWNER_VALUE) return 'ours';
  if (meta[EXTERNAL_SOURCE_KEY]) return { external: meta[EXTERNAL_SOURCE_KEY] };
  if (meta[OWNER_KEY]) return { foreign: meta[OWNER_KEY] };
  return 'unowned';
}

/** The entry without any tool's ownership markers (ours, consul-k8s'): what "equals Git" compares. */
export function withoutOwnership(entry: ApiEntry): ApiEntry {
  const meta = { ...((entry.Meta ?? {}) as Record<string, string>) };
  for (const k of [OWNER_KEY, SOURCE_KEY, EXTERNAL_SOURCE_KEY, K8S_DATACENTER_KEY]) delete meta[k];
  const { Meta: _, ...rest } = entry;
  return Object.keys(meta).length ? { ...rest, Meta: meta } : rest;
}

/** The entry as consul-gitops writes it: the user's entry plus the ownership marker. */
export function withOwnership(entry: ApiEntry, sourcePath: string): ApiEntry {
  const meta = { ...((entry.Meta ?? {}) as Record<string, string>), [OWNER_KEY]: OWNER_VALUE, [SOURCE_KEY]: sourcePath };
  return { ...entry, Meta: meta };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NO_META: Record<string, unknown> = {};

/**
 * Whether `before` equals withOwnership(entry, sourcePath) as the diff compares them (canonical.ts
 * sameValue), answered without building that copy: a no-op plan asks it of every entry, and two
 * objects per entry were garbage at 50,000. Undefined when a Meta is not a map (Consul never
 * sends one; a file's is checked): then the caller builds the copy and compares as before.
 */
export function sameAsOwned(before: ApiEntry, entry: ApiEntry, sourcePath: string): boolean | undefined {
  const bm = before.Meta;
  const em = entry.Meta ?? NO_META;
  if (!isRecord(em)) return undefined;
  // The written entry always has a Meta holding both markers (non-empty strings or a path): absent before, it differs.
  if (bm === undefined) return false;
  if (!isRecord(bm)) return undefined;
  // for-in over own keys (Object.keys' keys, without an array per object): an AND of checks, in any order.
  for (const k in before) if (Object.hasOwn(before, k) && k !== 'Meta' && !sameValue(before[k], entry[k])) return false;
  for (const k in entry) if (Object.hasOwn(entry, k) && k !== 'Meta' && !Object.hasOwn(before, k) && !sameValue(undefined, entry[k])) return false;
  // Meta as written: the entry's own keys, then the two markers over them.
  if (!Object.hasOwn(bm, OWNER_KEY) || !Object.hasOwn(bm, SOURCE_KEY)) return false;
  for (const k in bm) {
    if (!Object.hasOwn(bm, k)) continue;
    const written = k === OWNER_KEY ? OWNER_VALUE : k === SOURCE_KEY ? sourcePath : em[k];
    if (!sameValue(bm[k], written)) return false;
  }
  for (const k in em) if (Object.hasOwn(em, k) && k !== OWNER_KEY && k !== SOURCE_KEY && !Object.hasOwn(bm, k) && !sameValue(undefined, em[k])) return false;
  return true;
}
