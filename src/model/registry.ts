// The one table of config-entry kinds. Add a kind here and every reader (decoder, validator,
// CRD mapper, dev server, planner) knows it.
import type { KindDefinition } from './kind-definition.ts';
import { apiGateway } from './kinds/api-gateway.ts';
import { boundApiGateway } from './kinds/bound-api-gateway.ts';
import { controlPlaneRequestLimit } from './kinds/control-plane-request-limit.ts';
import { exportedServices } from './kinds/exported-services.ts';
import { fileSystemCertificate } from './kinds/file-system-certificate.ts';
import { httpRoute } from './kinds/http-route.ts';
import { ingressGateway } from './kinds/ingress-gateway.ts';
import { inlineCertificate } from './kinds/inline-certificate.ts';
import { jwtProvider } from './kinds/jwt-provider.ts';
import { mesh } from './kinds/mesh.ts';
import { proxyDefaults } from './kinds/proxy-defaults.ts';
import { samenessGroup } from './kinds/sameness-group.ts';
import { serviceDefaults } from './kinds/service-defaults.ts';
import { serviceIntentions } from './kinds/service-intentions.ts';
import { serviceResolver } from './kinds/service-resolver.ts';
import { serviceRouter } from './kinds/service-router.ts';
import { serviceSplitter } from './kinds/service-splitter.ts';
import { tcpRoute } from './kinds/tcp-route.ts';
import { terminatingGateway } from './kinds/terminating-gateway.ts';

export const KINDS: readonly KindDefinition[] = [
  mesh,
  samenessGroup,
  proxyDefaults,
  controlPlaneRequestLimit,
  serviceDefaults,
  jwtProvider,
  serviceResolver,
  serviceSplitter,
  serviceRouter,
  ingressGateway,
  terminatingGateway,
  inlineCertificate,
  fileSystemCertificate,
  apiGateway,
  httpRoute,
  tcpRoute,
  boundApiGateway,
  serviceIntentions,
  exportedServices,
  // further kinds: one import each, kept in apply order
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));
const byCrdKind = new Map(KINDS.filter((k) => k.crdKind).map((k) => [k.crdKind!, k]));

/** Exact lookup: Consul never case-folds the kind value. */
export function kindDefinition(kind: string): KindDefinition | undefined {
  return byKind.get(kind);
}

export function kindForCrd(crdKind: string): KindDefinition | undefined {
  return byCrdKind.get(crdKind);
}

export function allKindNames(): string[] {
  return KINDS.map((k) => k.kind);
}

/** The kinds Consul CE's structs.MakeConfigEntry knows: every other kind is `invalid config entry kind`. */
export const CONSUL_CE_KINDS: ReadonlySet<string> = new Set(KINDS.filter((k) => k.edition !== 'enterprise').map((k) => k.kind));

/** The kinds that make up discovery chains (they declare `relatedServices`), in apply order. */
export const DISCOVERY_CHAIN_KINDS: readonly string[] = KINDS.filter((k) => k.relatedServices).map((k) => k.kind);

/** Kinds whose entries carry secret material (see `KindDefinition.holdsSecrets`). */
export const SECRET_KINDS: readonly string[] = KINDS.filter((k) => k.holdsSecrets).map((k) => k.kind);

/** A failed write of a mesh-wide kind blocks the rest of an apply (see `KindDefinition.scope`). */
export function isMeshWide(kind: string): boolean {
  return kindDefinition(kind)?.scope === 'mesh-wide';
}

/** The kind carries `MutualTLSMode`: a mesh lockdown waits for its changes. */
export function setsMutualTlsMode(kind: string): boolean {
  return kindDefinition(kind)?.setsMutualTlsMode === true;
}
