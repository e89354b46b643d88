// posture: gathers the facts Consul's production checklist is judged on, through a port, and
// evaluates them (src/core/posture). Every read the token may not make is an `unknown` fact with the
// permission that would answer it: the adapter says so as a value, never as a pass.
import type { ApiEntry } from '../model/kind-definition.ts';
import { evaluatePosture, postureCounts, type PostureCounts } from '../core/posture/evaluate.ts';
import { known, type IntentionFacts, type Known, type PostureFacts } from '../core/posture/facts.ts';
import type { Finding } from '../core/posture/finding.ts';
import { auditMtls, type MtlsAudit } from './audit.ts';
import type { AuthorizeCheck, PostureSource } from './ports/posture-source.ts';
import { fieldText } from '../model/field-text.ts';
export type { AuthorizeCheck, PostureSource } from './ports/posture-source.ts';

export interface PostureReport {
  findings: Finding[];
  /** Checks per status (pass, warn, fail, unknown): what metrics and the dashboard count. */
  counts: PostureCounts;
  /** The mTLS part (`consul-gitops audit`), or why it could not be read. */
  mtls: Known<MtlsAudit>;
}

/** Permissions beyond the README's list, probed with /v1/internal/acl/authorize. */
const EXCESS_PROBES: { check: AuthorizeCheck; label: string }[] = [
  { check: { resource: 'operator', access: 'write' }, label: 'operator:write' },
  { check: { resource: 'key', segment: '', access: 'write' }, label: 'key:write outside consul-gitops/' },
  { check: { resource: 'node', segment: '', access: 'write' }, label: 'node:write' },
  // acl:write mints tokens and policies: a token holding it can grant itself everything else.
  { check: { resource: 'acl', access: 'write' }, label: 'acl:write' },
];

export async function auditPosture(source: PostureSource): Promise<PostureReport> {
  const self = await source.aclSelf();
  const [anonymous, excess, agent, caProvider, intentions, services, mtls, mesh] = await Promise.all([
    source.authorize([{ resource: 'service', segment: '', access: 'write' }], true),
    self.aclsEnabled && self.token
      ? source.authorize(
          EXCESS_PROBES.map((p) => p.check),
          false,
        )
      : Promise.resolve(undefined),
    source.agent(),
    source.caProvider(),
    source.intentions(),
    source.services(),
    auditMtls(source.mtls).then(
      (a): Known<MtlsAudit> => known(a),
      (e: unknown): Known<MtlsAudit> => ({ known: false, ...source.unknownFromError(e) }),
    ),
    source.mtls.get('mesh', 'mesh'),
  ]);
  const tls = (mesh?.TLS ?? {}) as { Incoming?: { TLSMinVersion?: string }; Outgoing?: { TLSMinVersion?: string } };
  const facts: PostureFacts = {
    transport: source.transport(),
    acl: { enabled: self.aclsEnabled, defaultPolicy: self.defaultPolicy },
    anonymousServiceWrite: known(anonymous === undefined ? true : anonymous[0] === true),
    token: !self.aclsEnabled
      ? known(undefined)
      : known(self.token && { ...self.token, excess: EXCESS_PROBES.filter((_, i) => excess?.[i] === true).map((p) => p.label) }),
    agent,
    caProvider,
    mesh: {
      allowEnablingPermissiveMutualTLS: mesh?.AllowEnablingPermissiveMutualTLS === true,
      meshDestinationsOnly: (mesh?.TransparentProxy as { MeshDestinationsOnly?: boolean } | undefined)?.MeshDestinationsOnly === true,
      incomingTlsMin: fieldText(tls.Incoming?.TLSMinVersion),
      outgoingTlsMin: fieldText(tls.Outgoing?.TLSMinVersion),
    },
    permissive: mtls.known ? permissiveFacts(mtls.value) : mtls,
    intentions: intentions.known ? known(intentionFacts(intentions.value)) : intentions,
    services: services.known ? known(services.value.filter((s) => s !== 'consul').sort()) : services,
  };
  const gap = source.namespaceGap?.();
  if (gap) facts.namespaceGap = gap;
  const findings = evaluatePosture(facts);
  return { findings, counts: postureCounts(findings), mtls };
}

/** The mesh's permissive facts: the namespaces this target does not manage count, and unread they leave the check unknown. */
function permissiveFacts(a: MtlsAudit): PostureFacts['permissive'] {
  const outside = a.outsideTarget;
  if (outside && 'unreadable' in outside) return { known: false, permission: outside.permission, why: outside.unreadable };
  // Sidecar registrations are per datacenter; the config entries (and the mesh entry) replicate to every WAN-federated one.
  const dcs = a.otherDatacenters ?? [];
  const unread = dcs.find((dc) => 'unreadable' in dc);
  if (unread && 'unreadable' in unread)
    return {
      known: false,
      permission: `service:read on every sidecar proxy in datacenter ${unread.datacenter} (a token valid there)`,
      why: `datacenter ${unread.datacenter} is WAN-federated with this one and could not be read: ${unread.unreadable}`,
    };
  const elsewhere = dcs.flatMap((dc) => ('permissiveSidecars' in dc ? dc.permissiveSidecars.map((s) => `${s} (datacenter ${dc.datacenter})`) : []));
  return known({
    services: [...a.permissiveServices, ...(outside?.permissiveServices ?? [])],
    sidecars: [...a.permissiveSidecars, ...(outside?.permissiveSidecars ?? []), ...elsewhere],
    proxyDefaults: a.proxyDefaultsMode === 'permissive',
  });
}

function intentionFacts(entries: ApiEntry[]): IntentionFacts {
  return {
    entries: entries.map((e) => ({
      destination: String(e.Name),
      sources: ((e.Sources as { Name?: unknown; Action?: unknown; Peer?: unknown; SamenessGroup?: unknown }[] | undefined) ?? []).map((s) => ({
        name: fieldText(s.Name),
        action: fieldText(s.Action),
        ...(fieldText(s.Peer) ? { peer: fieldText(s.Peer) } : {}),
        ...(fieldText(s.SamenessGroup) ? { samenessGroup: fieldText(s.SamenessGroup) } : {}),
      })),
    })),
  };
}
