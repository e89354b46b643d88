// The port the mTLS audit reads Consul through; src/adapters/consul/posture-source.ts implements it.
import type { ApiEntry } from '../../model/kind-definition.ts';
import type { DatacenterSidecars, ServiceRef } from '../../core/advisor/model.ts';
export type { DatacenterSidecars } from '../../core/advisor/model.ts';

/**
 * Every method must fail rather than answer from a read ACLs may have cut short (the Consul adapter
 * throws `incomplete-read`): a permissive service hidden from the token would otherwise read as
 * "strict".
 */
export interface AuditSource {
  /** service-defaults matching a bexpr filter, as `consul config list -filter` does, in every namespace the target manages. */
  listFiltered(kind: 'service-defaults', filter: string): Promise<ApiEntry[]>;
  get(kind: string, name: string): Promise<ApiEntry | undefined>;
  /**
   * Sidecar proxies whose own registration sets `Proxy.MutualTLSMode = "permissive"`, in every
   * namespace the target manages: a registration's mode wins over service-defaults and
   * proxy-defaults (agent/configentry/merge_service_config.go), so such a sidecar takes plaintext
   * whatever the config entries say.
   */
  permissiveSidecars(): Promise<string[]>;
  /**
   * service-defaults with `MutualTLSMode = "permissive"`, and sidecars registered so, in the
   * namespaces of the partition the reads above do not cover, or why they could not be read (ACLs: a 403, or a list cut short).
   * The claim that the mesh is strict is about all of it, not the namespaces a target manages.
   * Undefined: the reads above cover the partition (`namespaces: all`, or Community Edition).
   */
  outsideTarget(): Promise<OutsideTarget | undefined>;
  /**
   * The other WAN-federated datacenters Consul lists: sidecars registered permissive in each (the
   * mesh entry replicates there, so its lockdown speaks for them), or why one could not be read
   * (a local token refused there, an unreachable datacenter). Empty: no federation. Absent: not read.
   */
  otherDatacenters?(): Promise<DatacenterSidecars[]>;
}

/** Permissive services outside the namespaces the target manages, or why they are unknown. */
export type OutsideTarget = { permissive: ServiceRef[]; sidecars: ServiceRef[] } | { unreadable: string; permission: string };
