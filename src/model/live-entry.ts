// An entry as Consul holds it, and the Enterprise tenancy it is read and written in: plain data the
// core plans with and the Consul adapter fills.
import type { ApiEntry } from './kind-definition.ts';

/** Consul Enterprise's namespace and partition of one entry ("" on CE). */
export interface TenancyScope {
  namespace: string;
  partition: string;
}

/** An entry as Consul holds it, with the index check-and-set needs. */
export interface LiveEntry {
  entry: ApiEntry;
  modifyIndex: number;
}

/**
 * Where a store writes an entry that names no namespace or partition, and which namespaces it lists
 * (Consul Enterprise; src/model/tenancy.ts). Absent on CE: entries keep the identity their files give.
 */
export interface TenancyHome {
  namespace?: string;
  partition?: string;
  managed?: 'all' | readonly string[];
}
