// advise: the strict-mode advisor's use case, shared by the CLI, serve and the schedule. Render the
// tree (any error stops it, as for plan), read what Consul holds, find the judged services and the
// drift, ask the stats source once for all judged services, and decide each one. CRDs are read
// with the target's `crdNamespaces`, as plan reads them, so each is matched to the live entry of
// the Consul namespace consul-k8s writes it to.
import type { ConfigEntryError } from '../model/errors.ts';
import type { CrdNamespaces } from '../model/tenancy.ts';
import type { SourceFile } from '../core/parse-files.ts';
import { renderTree } from '../core/render.ts';
import { makePlan } from './make-plan.ts';
import type { MassDeletePolicy } from '../core/plan/mass-delete.ts';
import type { ConfigEntryStore } from './ports/config-entry-store.ts';
import type { AuditSource } from './ports/audit-source.ts';
import { judgedServices } from '../core/advisor/judged-services.ts';
import { decideStrict } from '../core/advisor/decide-strict.ts';
import {
  serviceKey,
  type AdviceReport,
  type AdvisorThresholds,
  type ConnectListing,
  type ServiceRef,
  type TrafficSampleSource,
} from '../core/advisor/model.ts';

/** Consul's catalog, as far as the advisor needs it. */
export interface ConnectCatalog {
  /** Services with at least one sidecar proxy: where an inherited permissive mode takes effect. */
  connectEnabledServices(): Promise<ServiceRef[]>;
  /**
   * The same in every WAN-federated datacenter (config entries replicate there, proxy-defaults with
   * them), with the datacenters that could not be listed; absent: connectEnabledServices alone.
   */
  federatedListing?(): Promise<ConnectListing>;
}

export interface AdvisePorts {
  entries: ConfigEntryStore;
  catalog: ConnectCatalog;
  traffic: TrafficSampleSource;
  /** The audit's read of sidecars registered permissive (src/adapters/consul/posture-source.ts); absent: not read. */
  sidecars?: Pick<AuditSource, 'permissiveSidecars' | 'otherDatacenters'>;
  /**
   * Services permissive in the namespaces of the partition the target does not read itself (the
   * read `audit` makes, src/adapters/consul/outside-namespaces.ts, one answer a run); undefined from
   * it: none are outside (Community Edition, or `namespaces: all`); the port absent: not read.
   */
  outside?: Pick<AuditSource, 'outsideTarget'>;
}

export interface AdviseOptions {
  /** ms since the epoch; the window is [now - thresholds.windowMs, now]. */
  now: number;
  thresholds: AdvisorThresholds;
  expectNoInboundTraffic: readonly string[];
  /** The target's `crdNamespaces` (consul-gitops.yaml); absent: CRD namespaces are not mapped. */
  crdNamespaces?: CrdNamespaces;
  /**
   * How apply runs on this target (consul-gitops.yaml `prune` and `massDelete`), so a drift hint
   * names an apply that is not refused; absent: pruning only with `--prune`, the default guard.
   */
  apply?: { prune: boolean; massDelete?: MassDeletePolicy };
}

export type AdviseOutcome = { ok: true; report: AdviceReport } | { ok: false; errors: ConfigEntryError[] };

export async function adviseStrict(files: readonly SourceFile[], ports: AdvisePorts, options: AdviseOptions): Promise<AdviseOutcome> {
  const crdNamespaces = options.crdNamespaces;
  const tree = renderTree(files, crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {});
  const errors = [...tree.decodeErrors, ...tree.validationErrors];
  if (errors.length) return { ok: false, errors };
  const [serviceDefaults, proxyDefaults, listing] = await Promise.all([
    ports.entries.list('service-defaults'),
    ports.entries.list('proxy-defaults'),
    catalogListing(ports.catalog),
  ]);
  const catalog = listing.services;
  // After the catalog, not beside it: both read every managed namespace a few at a time
  // (bounded-reads.ts), and side by side they would double the requests Consul sees at once.
  const permissiveSidecars = await ports.sidecars?.permissiveSidecars();
  const otherDatacenters = await ports.sidecars?.otherDatacenters?.();
  const outsideTarget = ports.outside ? await outsideNamespaces(ports.outside) : undefined;
  const input = { git: tree.entries, live: [...serviceDefaults, ...proxyDefaults], catalog, expectNoInboundTraffic: options.expectNoInboundTraffic };
  let { judged, drift, unknownQuietItems } = judgedServices(input);
  // Drift is repaired by an apply: when that apply prunes, ask the planner whether its mass-delete
  // guard refuses it, and judge again so each hint names the apply that will actually run.
  const apply = options.apply ?? { prune: false };
  const pruneRefused = drift.length ? await pruneRefusal(files, ports.entries, apply, crdNamespaces) : undefined;
  if (pruneRefused || apply.prune)
    ({ judged, drift, unknownQuietItems } = judgedServices({ ...input, apply: { prune: apply.prune, ...(pruneRefused ? { pruneRefused } : {}) } }));
  const window = { start: options.now - options.thresholds.windowMs, end: options.now };
  const samples = judged.length
    ? await ports.traffic.samples(
        judged.map((j) => j.service),
        window,
      )
    : [];
  const byService = new Map(samples.map((s) => [serviceKey(s.service), s]));
  const services = judged.map((j) => decideStrict({ judged: j, samples: byService.get(serviceKey(j.service)), window, thresholds: options.thresholds }));
  return {
    ok: true,
    report: {
      window,
      source: ports.traffic.description,
      services,
      drift,
      ...(permissiveSidecars ? { permissiveSidecars } : {}),
      ...(outsideTarget ? { outsideTarget } : {}),
      ...(unknownQuietItems.length ? { unknownQuietItems } : {}),
      ...(otherDatacenters?.length ? { otherDatacenters } : {}),
      ...(listing.unlisted.length ? { unlistedDatacenters: listing.unlisted } : {}),
    },
  };
}

/** Every federated datacenter's connect-enabled services when the catalog reads them, else ours alone. */
async function catalogListing(catalog: ConnectCatalog): Promise<ConnectListing> {
  if (catalog.federatedListing) return catalog.federatedListing();
  return { services: await catalog.connectEnabledServices(), unlisted: [] };
}

/**
 * The read of namespaces outside the target. ACLs refusing it is kept as the reason it is unknown,
 * with the permission, for the lockdown gate; a failing Consul (500, timeout) is thrown, as any other
 * read's failure is: the run reports it (exit 1), it is not a part of the mesh it could not see.
 */
async function outsideNamespaces(outside: NonNullable<AdvisePorts['outside']>): Promise<AdviceReport['outsideTarget']> {
  const read = await outside.outsideTarget();
  if (!read) return undefined;
  if ('unreadable' in read) return { permissive: [], unreadable: read.unreadable, permission: read.permission };
  return { permissive: read.permissive, ...(read.sidecars.length ? { sidecars: read.sidecars } : {}) };
}

/**
 * The mass-delete guard's refusal of `apply --prune` on this tree and Consul, from the planner
 * itself (makePlan, as plan and apply make it). A tree the planner refuses for another reason, or a
 * Consul it cannot read, refuses every apply alike; the hint then stays the plain one.
 */
async function pruneRefusal(
  files: readonly SourceFile[],
  entries: ConfigEntryStore,
  apply: NonNullable<AdviseOptions['apply']>,
  crdNamespaces: CrdNamespaces | undefined,
): Promise<string | undefined> {
  try {
    const outcome = await makePlan(files, entries, {
      prune: true,
      adopt: false,
      ...(apply.massDelete ? { massDelete: apply.massDelete } : {}),
      ...(crdNamespaces ? { crdNamespaces } : {}),
    });
    return outcome.plan?.refused;
  } catch {
    return undefined;
  }
}
