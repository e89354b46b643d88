// audit: the verification step of Consul's permissive-mTLS onboarding guide, as data: which
// services are still permissive (asked through Consul's own filter), and the mesh-wide flags.
import type { AuditSource, DatacenterSidecars, OutsideTarget } from './ports/audit-source.ts';
import { fieldText } from '../model/field-text.ts';
import { scopedServiceName } from '../core/advisor/service-scope.ts';
import type { ServiceRef } from '../core/advisor/model.ts';
export type { AuditSource } from './ports/audit-source.ts';

export interface MtlsAudit {
  permissiveServices: string[];
  /** Sidecar proxies registered with `Proxy.MutualTLSMode = "permissive"`, which no config entry overrides. */
  permissiveSidecars: string[];
  proxyDefaultsMode: string;
  mesh: { exists: boolean; allowEnablingPermissiveMutualTLS: boolean; meshDestinationsOnly: boolean };
  /**
   * The namespaces of the partition the target does not manage (the reads above cover the managed
   * ones): their permissive services, each marked "(not managed by this target)", or why they could
   * not be read. Absent when nothing is outside (`namespaces: all`, or Community Edition's one namespace).
   */
  outsideTarget?: { permissiveServices: string[]; permissiveSidecars: string[] } | { unreadable: string; permission: string };
  /**
   * The other WAN-federated datacenters (config entries and the mesh entry replicate there, sidecar
   * registrations do not): sidecars registered permissive in each, or why it could not be read.
   * Absent: no federation.
   */
  otherDatacenters?: DatacenterSidecars[];
  /** True when nothing in the mesh can accept plaintext any more and the mesh is locked down. */
  strict: boolean;
  /** `unknown`: nothing permissive where the audit could read, but part of the mesh it could not. */
  verdict: 'strict' | 'not-strict' | 'unknown';
  findings: string[];
}

export async function auditMtls(source: AuditSource): Promise<MtlsAudit> {
  const [permissive, proxyDefaults, mesh, permissiveSidecars, outside, otherDatacenters] = await Promise.all([
    source.listFiltered('service-defaults', 'MutualTLSMode == "permissive"'),
    source.get('proxy-defaults', 'global'),
    source.get('mesh', 'mesh'),
    source.permissiveSidecars(),
    source.outsideTarget(),
    source.otherDatacenters ? source.otherDatacenters() : Promise.resolve([]),
  ]);
  // Named with their namespace and partition when not default: `api` in two namespaces is two services.
  const permissiveServices = [
    ...new Set(permissive.map((e) => scopedServiceName({ name: String(e.Name), namespace: fieldText(e.Namespace), partition: fieldText(e.Partition) }))),
  ].sort();
  const proxyDefaultsMode = fieldText(proxyDefaults?.MutualTLSMode) || 'strict (default)';
  const allow = mesh?.AllowEnablingPermissiveMutualTLS === true;
  const meshOnly = (mesh?.TransparentProxy as { MeshDestinationsOnly?: boolean } | undefined)?.MeshDestinationsOnly === true;
  const findings: string[] = [];
  if (permissiveServices.length) findings.push(`permissive services: ${permissiveServices.join(', ')}`);
  const outsideTarget = outsideOf(outside);
  if (outsideTarget && 'permissiveServices' in outsideTarget && outsideTarget.permissiveServices.length)
    findings.push(`permissive services in namespaces this target does not manage: ${outsideTarget.permissiveServices.join(', ')}`);
  if (outsideTarget && 'permissiveSidecars' in outsideTarget && outsideTarget.permissiveSidecars.length)
    findings.push(
      `sidecars registered with Proxy.MutualTLSMode = "permissive" in namespaces this target does not manage: ${outsideTarget.permissiveSidecars.join(', ')}`,
    );
  if (permissiveSidecars.length)
    findings.push(
      `sidecars registered with Proxy.MutualTLSMode = "permissive", which wins over service-defaults and proxy-defaults: ${permissiveSidecars.join(', ')}`,
    );
  for (const dc of otherDatacenters)
    if ('permissiveSidecars' in dc && dc.permissiveSidecars.length)
      findings.push(
        `sidecars registered with Proxy.MutualTLSMode = "permissive" in datacenter ${dc.datacenter} (WAN-federated: the mesh entry replicates there): ${dc.permissiveSidecars.join(', ')}`,
      );
  const unreadDc = otherDatacenters.find((dc) => 'unreadable' in dc);
  if (proxyDefaults?.MutualTLSMode === 'permissive') findings.push('proxy-defaults global sets MutualTLSMode = "permissive" for every proxy');
  if (allow) findings.push('mesh allows enabling permissive mTLS (AllowEnablingPermissiveMutualTLS = true)');
  if (!meshOnly) findings.push('mesh lets transparent proxies reach non-mesh destinations (MeshDestinationsOnly = false)');
  return {
    permissiveServices,
    permissiveSidecars,
    proxyDefaultsMode,
    mesh: { exists: mesh !== undefined, allowEnablingPermissiveMutualTLS: allow, meshDestinationsOnly: meshOnly },
    ...(outsideTarget ? { outsideTarget } : {}),
    ...(otherDatacenters.length ? { otherDatacenters } : {}),
    // Strict is a claim about the whole mesh: a part that could not be seen is never strict.
    strict: findings.length === 0 && !(outsideTarget && 'unreadable' in outsideTarget) && !unreadDc,
    verdict: findings.length ? 'not-strict' : (outsideTarget && 'unreadable' in outsideTarget) || unreadDc ? 'unknown' : 'strict',
    findings,
  };
}

const NOT_MANAGED = '(not managed by this target)';

function outsideOf(outside: OutsideTarget | undefined): MtlsAudit['outsideTarget'] {
  if (outside === undefined) return undefined;
  if ('unreadable' in outside) return { unreadable: outside.unreadable, permission: outside.permission };
  const names = (refs: ServiceRef[]) => [...new Set(refs.map((s) => `${scopedServiceName(s)} ${NOT_MANAGED}`))].sort();
  return { permissiveServices: names(outside.permissive), permissiveSidecars: names(outside.sidecars) };
}

function datacenterLines(dcs: MtlsAudit['otherDatacenters']): string[] {
  return (dcs ?? []).map((dc) =>
    'unreadable' in dc
      ? `permissive sidecar registrations in datacenter ${dc.datacenter} (WAN-federated): unknown: ${dc.unreadable}`
      : `permissive sidecar registrations in datacenter ${dc.datacenter} (WAN-federated): ${dc.permissiveSidecars.length ? dc.permissiveSidecars.join(', ') : 'none'}`,
  );
}

function outsideLine(o: MtlsAudit['outsideTarget']): string[] {
  if (!o) return [];
  if ('unreadable' in o) return [`permissive service-defaults outside this target's namespaces: unknown: ${o.unreadable}`];
  const list = (names: string[]) => (names.length ? names.join(', ') : 'none');
  return [
    `permissive service-defaults outside this target's namespaces: ${list(o.permissiveServices)}`,
    `permissive sidecar registrations outside this target's namespaces: ${list(o.permissiveSidecars)}`,
  ];
}

function verdictLine(a: MtlsAudit): string {
  if (a.verdict === 'strict') return 'strict: the mesh accepts mTLS only and is locked down.';
  const unseen = a.outsideTarget && 'unreadable' in a.outsideTarget ? a.outsideTarget : undefined;
  const unreadDcs = (a.otherDatacenters ?? []).flatMap((dc) => ('unreadable' in dc ? [dc.datacenter] : []));
  const cannotSee =
    [
      unseen ? `the namespaces this target does not manage could not be read (needs ${unseen.permission}), and the mesh entry covers them too` : undefined,
      unreadDcs.length
        ? `datacenter ${unreadDcs.join(', ')}, WAN-federated with this one, could not be read, and the mesh entry replicates there too`
        : undefined,
    ]
      .filter(Boolean)
      .join('; ') || undefined;
  return verdictWith(a, cannotSee && `could not see the rest of the mesh: ${cannotSee}`);
}

function verdictWith(a: MtlsAudit, cannotSee: string | undefined): string {
  if (a.verdict === 'unknown') return `not known to be strict: nothing this audit read is permissive, but it ${cannotSee}.`;
  return `not strict yet:\n${[...a.findings, ...(cannotSee ? [`it ${cannotSee}`] : [])].map((f) => `  - ${f}`).join('\n')}`;
}

export function renderAudit(a: MtlsAudit): string {
  return [
    `permissive service-defaults: ${a.permissiveServices.length ? a.permissiveServices.join(', ') : 'none'}`,
    ...outsideLine(a.outsideTarget),
    `permissive sidecar registrations (Proxy.MutualTLSMode): ${a.permissiveSidecars.length ? a.permissiveSidecars.join(', ') : 'none'}`,
    ...datacenterLines(a.otherDatacenters),
    `proxy-defaults global MutualTLSMode: ${a.proxyDefaultsMode}`,
    `mesh AllowEnablingPermissiveMutualTLS: ${a.mesh.allowEnablingPermissiveMutualTLS}`,
    `mesh TransparentProxy.MeshDestinationsOnly: ${a.mesh.meshDestinationsOnly}`,
    verdictLine(a),
    '',
  ].join('\n');
}
