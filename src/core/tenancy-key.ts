// Where an entry or a reference is on Consul Enterprise (namespace and partition), and the keys the
// cross-entry checks index services by: shared by the chain compile (routing-rules.ts), the
// final-state rules (graph-rules.ts) and the per-write check (plan/write-graph-check.ts), so a
// lookup finds what an index holds. On CE every entry is in "default", and a key is the lower-cased
// name alone, as it was before tenancy was keyed.
import type { ApiEntry } from '../model/kind-definition.ts';
import { isNamespacedKind } from '../model/tenancy.ts';

/** A namespace and partition as Consul fills them ("default" when omitted). */
export interface ChainTenancy {
  namespace: string;
  partition: string;
}

export const DEFAULT_AT: ChainTenancy = { namespace: 'default', partition: 'default' };

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Where an entry is: its Namespace and Partition, "default" when omitted (a partition kind's namespace is always the default). */
export function tenancyOfEntry(e: ApiEntry): ChainTenancy {
  const namespace = isNamespacedKind(e.Kind) ? text(e.Namespace) : '';
  const partition = text(e.Partition);
  return namespace || partition ? { namespace: namespace || 'default', partition: partition || 'default' } : DEFAULT_AT;
}

/** A reference's namespace and partition: its own, else its referrer's (Consul's GetEnterpriseMeta(&referrer.EnterpriseMeta)). */
export function refTenancy(ref: { Namespace?: unknown; Partition?: unknown } | undefined, referrer: ChainTenancy): ChainTenancy {
  const namespace = text(ref?.Namespace);
  const partition = text(ref?.Partition);
  return namespace || partition ? { namespace: namespace || referrer.namespace, partition: partition || referrer.partition } : referrer;
}

/** The partition-level entries (mesh, proxy-defaults, jwt-provider) of `at`'s partition, in its default namespace. */
export const inPartition = (at: ChainTenancy): ChainTenancy => (at === DEFAULT_AT ? at : { namespace: 'default', partition: at.partition });

/** A namespace or partition as a key part: lower-cased, "" for "default" (Enterprise fills an omitted one with it). */
export function tenancyPart(v: string | undefined): string {
  // Most lookups (every CE one) are in "default": no lower-cased copy made for it.
  if (v === undefined || v === '' || v === 'default') return '';
  const lower = v.toLowerCase();
  return lower === 'default' ? '' : lower;
}

export const sameTenancy = (a: ChainTenancy | undefined, b: ChainTenancy | undefined): boolean =>
  a === b || (tenancyPart(a?.namespace) === tenancyPart(b?.namespace) && tenancyPart(a?.partition) === tenancyPart(b?.partition));

/**
 * A service's key in an index: its lower-cased name, followed by its namespace and partition when
 * either is not "default" (so a CE key is the name alone).
 */
export function serviceKey(name: string, at: ChainTenancy | undefined): string {
  const ns = tenancyPart(at?.namespace);
  const ap = tenancyPart(at?.partition);
  return ns || ap ? `${name.toLowerCase()}\0${ns}\0${ap}` : name.toLowerCase();
}

/** An entry's key as serviceKey makes it, for a lookup of its kind in its own namespace and partition. */
export function entryServiceKey(name: string, e: ApiEntry): string {
  return e.Namespace === undefined && e.Partition === undefined ? name.toLowerCase() : serviceKey(name, tenancyOfEntry(e));
}
