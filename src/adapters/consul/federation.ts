// The WAN-federated datacenters besides ours, and what each holds of a service: config entries are
// written in the primary and replicated to every secondary, so a permissive service-defaults (and the
// mesh entry's lockdown) takes effect on the service's sidecars in every federated datacenter, and
// their traffic is evidence as much as ours. Cluster peers are not listed (they share no entries).
import type { ConnectInstance } from './schemas.ts';
import { isConsulError } from './errors.ts';

/** What the federation read needs of a ConsulClient. */
export interface FederationDirectory {
  connectServiceInstances(service: string, opts?: { namespace?: string; partition?: string; dc?: string }): Promise<ConnectInstance[]>;
  /** ConsulClient.datacenters; absent (a double): one datacenter. */
  datacenters?(): Promise<string[] | undefined>;
  readonly options?: { datacenter?: string | undefined };
}

export interface Federation {
  /** Our datacenter as Consul spells it: the client's `datacenter`, else the first Consul lists (its own); undefined: not known. */
  ours: string | undefined;
  /** Every other datacenter Consul lists, as it spells them (empty: no WAN federation). */
  others: string[];
  /** Why the other datacenters were not looked at, for the evidence. */
  note?: string;
  /** The list could not be read: other datacenters' sidecars cannot be ruled out (each judged service is not ready). */
  unreadable?: string;
}

export const ONE_DATACENTER: Federation = { ours: undefined, others: [] };

/**
 * One read of `/v1/catalog/datacenters`. A failed read is a value: every judged service is then not
 * ready (the sources say why), and a Consul that answers nothing at all fails the run through the
 * sidecar reads that follow, as before.
 */
export async function readFederation(directory: FederationDirectory): Promise<Federation> {
  if (!directory.datacenters) return ONE_DATACENTER;
  let all: string[] | undefined;
  try {
    all = await directory.datacenters();
  } catch (e) {
    return { ...ONE_DATACENTER, unreadable: whyUnread(e) };
  }
  // Every Consul answers it (no ACL, never forwarded): a 404 is something else in front of Consul,
  // and other datacenters' sidecars cannot be ruled out.
  if (all === undefined) return { ...ONE_DATACENTER, unreadable: 'GET /v1/catalog/datacenters answered 404 (not a Consul API?)' };
  // The servers' own datacenter has zero RTT and is listed first (router.go GetDatacentersByDistance).
  // An empty list is no answer Consul gives (ListDatacenters falls back to its own): one datacenter.
  const ours = directory.options?.datacenter ?? all[0];
  const mine = ours?.toLowerCase();
  return { ours, others: [...new Set(all.filter((dc) => dc.toLowerCase() !== mine))] };
}

/** The sidecars of one service in one other datacenter, or why they could not be listed. */
export type SidecarsThere = { dc: string; sidecars: ConnectInstance[] } | { dc: string; unreadable: string };

/**
 * The service's sidecar proxies in each other datacenter (`?dc=`), in its own namespace and
 * partition. A datacenter that cannot be read (a local token refused there: 403 `ACL not found`; an
 * unreachable one: 500 `No path to datacenter`; ACLs hiding sidecars there) is a value, never an
 * empty list: a secondary may stay unreachable for long, so it leaves this service unjudged rather
 * than failing the whole run.
 */
export async function sidecarsElsewhere(
  directory: FederationDirectory,
  service: { name: string; namespace: string; partition: string },
  others: readonly string[],
): Promise<SidecarsThere[]> {
  const { name, namespace, partition } = service;
  return Promise.all(
    others.map(async (dc): Promise<SidecarsThere> => {
      try {
        const all = await directory.connectServiceInstances(name, { namespace, partition, dc });
        return { dc, sidecars: all.filter((i) => i.serviceKind === 'connect-proxy') };
      } catch (e) {
        return { dc, unreadable: whyUnread(e) };
      }
    }),
  );
}

/** The sidecars listed per datacenter, ours first (`listed`: ours, undefined when they could not be listed). */
export function datacenterCounts(
  federation: Federation,
  listed: number | undefined,
  elsewhere: readonly SidecarsThere[],
): { datacenter: string; sidecars: number | null }[] {
  return [
    { datacenter: federation.ours ?? 'this datacenter', sidecars: listed ?? null },
    ...elsewhere.map((e) => ({ datacenter: e.dc, sidecars: 'unreadable' in e ? null : e.sidecars.length })),
  ];
}

/** A failed read of another datacenter in a line: Consul's status and text; anything not Consul's is a bug, thrown. */
/** The problem a judged service gets when its sidecars in another datacenter could not be listed (`name`: with its tenancy in words). */
export function elsewhereUnread(name: string, there: { dc: string; unreadable: string }): string {
  return `cannot list the sidecars of ${name} in datacenter ${there.dc}, which is WAN-federated with this one (its config entries replicate there, so its sidecars there take the same mode): ${there.unreadable}; plaintext there cannot be ruled out`;
}

/** The problem a judged service gets when the datacenter list could not be read. */
export function federationUnread(service: string, why: string): string {
  return `cannot list the datacenters Consul knows (GET /v1/catalog/datacenters): ${why}; sidecars of ${service} in other WAN-federated datacenters, where its config entries replicate, cannot be ruled out`;
}

export function whyUnread(e: unknown): string {
  if (!isConsulError(e)) throw e;
  if (e.kind === 'incomplete-read') return e.message;
  const status = e.status === undefined ? (e.transportCode ?? 'no response') : String(e.status);
  return `${e.method} ${e.path}: ${status} ${e.message}`;
}
