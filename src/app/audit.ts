// audit: the verification step of Consul's permissive-mTLS onboarding guide, as data: which
// services are still permissive (asked through Consul's own filter), and the mesh-wide flags.
import type { AuditSource } from './ports/audit-source.ts';
import { fieldText } from '../model/field-text.ts';
import { scopedServiceName } from '../core/advisor/service-scope.ts';
export type { AuditSource } from './ports/audit-source.ts';

export interface MtlsAudit {
  permissiveServices: string[];
  /** Sidecar proxies registered with `Proxy.MutualTLSMode = "permissive"`, which no config entry overrides. */
  permissiveSidecars: string[];
  proxyDefaultsMode: string;
  mesh: { exists: boolean; allowEnablingPermissiveMutualTLS: boolean; meshDestinationsOnly: boolean };
  /** True when nothing can accept plaintext any more and the mesh is locked down. */
  strict: boolean;
  findings: string[];
}

export async function auditMtls(source: AuditSource): Promise<MtlsAudit> {
  const [permissive, proxyDefaults, mesh, permissiveSidecars] = await Promise.all([
    source.listFiltered('service-defaults', 'MutualTLSMode == "permissive"'),
    source.get('proxy-defaults', 'global'),
    source.get('mesh', 'mesh'),
    source.permissiveSidecars(),
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
  if (permissiveSidecars.length)
    findings.push(
      `sidecars registered with Proxy.MutualTLSMode = "permissive", which wins over service-defaults and proxy-defaults: ${permissiveSidecars.join(', ')}`,
    );
  if (proxyDefaults?.MutualTLSMode === 'permissive') findings.push('proxy-defaults global sets MutualTLSMode = "permissive" for every proxy');
  if (allow) findings.push('mesh allows enabling permissive mTLS (AllowEnablingPermissiveMutualTLS = true)');
  if (!meshOnly) findings.push('mesh lets transparent proxies reach non-mesh destinations (MeshDestinationsOnly = false)');
  return {
    permissiveServices,
    permissiveSidecars,
    proxyDefaultsMode,
    mesh: { exists: mesh !== undefined, allowEnablingPermissiveMutualTLS: allow, meshDestinationsOnly: meshOnly },
    strict: findings.length === 0,
    findings,
  };
}

export function renderAudit(a: MtlsAudit): string {
  return [
    `permissive service-defaults: ${a.permissiveServices.length ? a.permissiveServices.join(', ') : 'none'}`,
    `permissive sidecar registrations (Proxy.MutualTLSMode): ${a.permissiveSidecars.length ? a.permissiveSidecars.join(', ') : 'none'}`,
    `proxy-defaults global MutualTLSMode: ${a.proxyDefaultsMode}`,
    `mesh AllowEnablingPermissiveMutualTLS: ${a.mesh.allowEnablingPermissiveMutualTLS}`,
    `mesh TransparentProxy.MeshDestinationsOnly: ${a.mesh.meshDestinationsOnly}`,
    a.strict ? 'strict: the mesh accepts mTLS only and is locked down.' : `not strict yet:\n${a.findings.map((f) => `  - ${f}`).join('\n')}`,
    '',
  ].join('\n');
}
