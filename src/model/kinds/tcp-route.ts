// tcp-route: binds one TCP service to api-gateway listeners (api/config_entry_routes.go TCPRouteConfigEntry).
import { list, obj, pointer, str } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { gatewayServiceTLS, meta, upstreamLimits, validateMeta, withKind } from './common.ts';
import { configEntryStatus, resourceReference } from './api-gateway.ts';
import { goQuote } from './service-router.ts';
import { upstreamLimitsProblem, type UpstreamLimits } from './upstream-limits-rules.ts';

type Ref = { Kind?: string; Name?: string; SectionName?: string; Partition?: string; Namespace?: string };
export type RouteService = { TLS?: { SDS?: { ClusterName?: string; CertResource?: string } }; Limits?: UpstreamLimits };

/** validateTCPService / the Limits step of validateHTTPService: UpstreamLimits.Validate, wrapped. */
export function routeServiceLimitsProblem(s: RouteService, at: string, prefix: string): EntryProblem | undefined {
  const p = s.Limits ? upstreamLimitsProblem(s.Limits, `${at}.Limits`) : undefined;
  return p && { field: p.field, message: `${prefix}${p.message}` };
}

/** Route Normalize: a parent without Kind is an api-gateway. */
export function normalizeParents(parents: unknown): Ref[] | undefined {
  return Array.isArray(parents) ? (parents as Ref[]).map((p) => (p?.Kind ? p : { ...p, Kind: 'api-gateway' })) : undefined;
}

/** Route Validate on Parents: kind must be api-gateway, each parent once. */
export function validateParents(parents: Ref[] | undefined): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const seen = new Set<string>();
  (parents ?? []).forEach((p, i) => {
    if (p.Kind !== 'api-gateway') {
      problems.push({ field: `Parents[${i}].Kind`, message: `unsupported parent kind: ${goQuote(p.Kind ?? '')}, must be 'api-gateway'` });
      return;
    }
    const key = JSON.stringify([p.Kind, p.Name ?? '', p.SectionName ?? '', p.Partition ?? '', p.Namespace ?? '']);
    if (seen.has(key)) problems.push({ field: `Parents[${i}]`, message: 'route parents must be unique' });
    seen.add(key);
  });
  return problems;
}

export const tcpRoute: KindDefinition = {
  kind: 'tcp-route',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    Parents: list(resourceReference),
    Services: list(
      obj({
        Name: str,
        // structs.TCPService.TLS *GatewayServiceTLSConfig (newest Consul, FIELD_SINCE): the SDS
        // certificate the gateway serves for this backend, a catch-all override of the listener's
        // certificates (agent/xds collectAPIGatewayServiceSDSOverridesWithResolvedTLS and its tests).
        TLS: gatewayServiceTLS,
        // The route service's limits over the gateway's `Defaults`, as on an http-route service:
        // hashicorp/consul#23783 names both route kinds as this override's place.
        // `Limits *UpstreamLimits \`json:",omitempty"\`` (structs.TCPService, 5c48b0b): `Limits {}` is kept.
        Limits: pointer(upstreamLimits),
        Partition: str,
        Namespace: str,
      }),
    ),
    ...meta,
    // Read-only: Consul ignores Status on write.
    Status: configEntryStatus,
    Partition: str,
    Namespace: str,
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'tcp-route') };
    const parents = normalizeParents(out.Parents);
    if (parents) out.Parents = parents;
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [];
    const services = (entry.Services as RouteService[] | undefined) ?? [];
    if (services.length > 1) problems.push({ field: 'Services', message: 'tcp-route currently only supports one service' });
    problems.push(...validateParents(entry.Parents as Ref[] | undefined), ...validateMeta(entry));
    // TCPRouteConfigEntry.Validate (hashicorp/consul 5c48b0b): each service's Limits after the meta.
    // Its route-service SDS step is left to gateway-tls-merge's warnings (docs/fidelity.md, stop 15).
    services.forEach((s, i) => {
      const p = routeServiceLimitsProblem(s, `Services[${i}]`, `Service[${i}], `);
      if (p) problems.push(p);
    });
    return problems;
  },
};
