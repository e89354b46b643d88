// Mesh checks: the lockdown flags, no permissive services, and Envoy's minimum TLS version.
import type { PostureCheck } from './check.ts';
import { fail, pass, unknownFor } from './finding.ts';

export const meshPermissiveLocked: PostureCheck = {
  id: 'mesh-permissive-locked',
  title: 'mesh forbids permissive mTLS',
  checklistLine: 'Onboarding guide (permissive mTLS), last step: set AllowEnablingPermissiveMutualTLS = false in the mesh entry',
  evaluate(f) {
    return f.mesh.allowEnablingPermissiveMutualTLS
      ? fail(
          'mesh AllowEnablingPermissiveMutualTLS = true',
          'set AllowEnablingPermissiveMutualTLS = false in the mesh entry (consul-gitops advise proposes it)',
        )
      : pass('mesh AllowEnablingPermissiveMutualTLS = false');
  },
};

export const meshDestinationsOnly: PostureCheck = {
  id: 'mesh-destinations-only',
  title: 'transparent proxies reach mesh destinations only',
  checklistLine: 'Onboarding guide (permissive mTLS), last step: set TransparentProxy.MeshDestinationsOnly = true in the mesh entry',
  evaluate(f) {
    return f.mesh.meshDestinationsOnly
      ? pass('mesh TransparentProxy.MeshDestinationsOnly = true')
      : fail(
          'mesh TransparentProxy.MeshDestinationsOnly = false: proxies may reach non-mesh destinations',
          'set TransparentProxy { MeshDestinationsOnly = true } in the mesh entry',
        );
  },
};

export const noPermissive: PostureCheck = {
  id: 'mesh-no-permissive',
  title: 'no service, proxy-defaults or sidecar registration permissive',
  checklistLine: 'Onboarding guide (permissive mTLS): every service back to MutualTLSMode = "strict", proxy-defaults included',
  evaluate(f) {
    if (!f.permissive.known) return unknownFor(f.permissive);
    const { services, sidecars, proxyDefaults } = f.permissive.value;
    const which = [
      ...(proxyDefaults ? ['proxy-defaults global'] : []),
      ...services.map((s) => `service-defaults ${s}`),
      ...sidecars.map((s) => `sidecar registration ${s}`),
    ];
    const fix = sidecars.length
      ? 'remove Proxy.MutualTLSMode = "permissive" from those sidecar registrations (re-register them); run consul-gitops advise and merge its strict-mode proposals for the rest'
      : 'run consul-gitops advise and merge its strict-mode proposals';
    return which.length === 0
      ? pass('no service-defaults, proxy-defaults or sidecar registration has MutualTLSMode = "permissive"')
      : fail(`MutualTLSMode = "permissive": ${which.join(', ')}`, fix);
  },
};

/** Envoy's TLS parameter names as the mesh entry takes them (agent/structs/config_entry_mesh.go, types.TLSVersion). */
const WEAK = new Set(['TLSv1_0', 'TLSv1_1']);

export const meshTlsMinVersion: PostureCheck = {
  id: 'mesh-tls-min-version',
  title: 'mesh TLS at least 1.2',
  checklistLine: 'Production checklist, mTLS: mesh TLS.Incoming/Outgoing.TLSMinVersion at least TLSv1_2',
  evaluate(f) {
    const show = (v: string) => v || 'unset (Envoy default TLSv1_2)';
    const weak = [
      ...(WEAK.has(f.mesh.incomingTlsMin) ? [`Incoming ${f.mesh.incomingTlsMin}`] : []),
      ...(WEAK.has(f.mesh.outgoingTlsMin) ? [`Outgoing ${f.mesh.outgoingTlsMin}`] : []),
    ];
    const evidence = `mesh TLS.Incoming.TLSMinVersion ${show(f.mesh.incomingTlsMin)}, TLS.Outgoing.TLSMinVersion ${show(f.mesh.outgoingTlsMin)}`;
    return weak.length
      ? fail(evidence, 'set TLS { Incoming { TLSMinVersion = "TLSv1_2" } Outgoing { TLSMinVersion = "TLSv1_2" } } in the mesh entry')
      : pass(evidence);
  },
};
