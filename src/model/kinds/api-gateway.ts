// api-gateway: listeners of a Consul API gateway (api/config_entry_gateways.go APIGatewayConfigEntry).
import { aliased, int, list, obj, pointer, str, strings, time, uint32, type FieldType } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { gatewayTLSConfig, gatewayTLSSDS, meta, upstreamLimits, withKind } from './common.ts';

/** api ResourceReference (api/config_entry_status.go): `SectionName` carries no alias tag. */
export const resourceReference: FieldType = obj({ Kind: str, Name: str, SectionName: aliased(str), Partition: str, Namespace: str });

/**
 * api ConfigEntryStatus: written by Consul's gateway controller. It is in the api struct, so it
 * decodes, but Consul ignores it on write and it must never be diffed.
 */
export const configEntryStatus: FieldType = obj({
  Conditions: list(obj({ Type: str, Status: str, Reason: str, Message: str, Resource: resourceReference, LastTransitionTime: aliased(time) })),
});

/** APIGatewayJWTProvider (name + claims to verify), used by gateway policies and http-route JWT filters. */
export const apiGatewayJWTProviders: FieldType = list(obj({ Name: str, VerifyClaims: list(obj({ Path: strings, Value: str })) }));

/**
 * Consul CE's `JWT` blocks are empty structs: `APIGatewayJWTRequirement struct{}` (a listener policy's
 * JWT) and `JWTFilter struct{}` (an http-route filter's) in agent/structs/config_entry_apigw_jwt_ce.go
 * (`//go:build !consulent`); only the Enterprise build defines `Providers`. mapstructure leaves every
 * key inside unused, and validateUnusedKeys (agent/structs/config_entry_ce.go) refuses the write with
 * `invalid config key "<path>"`. The registry keeps the api struct's `Providers` (Enterprise stores it,
 * and `consul config write` decodes it into the api struct before the server refuses it), so the
 * refusal is `ceOnly`: a `+ent` target accepts it. `JWT {}` is accepted by both.
 */
export function ceJwtProblems(jwt: unknown, at: string): EntryProblem[] {
  if (!jwt || typeof jwt !== 'object') return [];
  return Object.keys(jwt).map((key) => ({ field: `${at}.${key}`, message: `invalid config key "${at}.${key}"`, ceOnly: true as const }));
}

// `Override`/`Default *APIGatewayPolicy` and its `JWT *APIGatewayJWTRequirement`, all `json:",omitempty"`
// (agent/structs/config_entry_gateways.go APIGatewayListener, APIGatewayPolicy at hashicorp/consul
// 5c48b0b): `Override {}` is stored and GET answers `{}`.
const policy = pointer(obj({ JWT: pointer(obj({ Providers: apiGatewayJWTProviders })) }));

type Listener = {
  Name?: string;
  Hostname?: string;
  Port?: number;
  Protocol?: string;
  TLS?: { Certificates?: { Kind?: string; Name?: string }[] };
};

export const apiGateway: KindDefinition = {
  kind: 'api-gateway',
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
    ...meta,
    Listeners: list(
      obj({
        Name: str,
        Hostname: str,
        Port: int,
        Protocol: str,
        // Newer Consul (FIELD_SINCE, src/model/consul-versions.ts): Envoy's header size limit in KiB,
        // 60 when unset (Consul's api-gateway reference); *uint32 like service-defaults' field, which
        // it replaces when set (agent/xds makeAPIGatewayListeners).
        // No alias tag: api APIGatewayListener.MaxRequestHeadersKB (api/config_entry_gateways.go at 95b1ec6).
        // `*uint32` in structs.APIGatewayListener too (5c48b0b): an explicit 0 is stored and answered.
        MaxRequestHeadersKB: aliased(pointer(uint32)),
        TLS: obj({
          Certificates: list(resourceReference),
          // The api struct tags these tls_max_version / tls_min_version.
          MaxVersion: aliased(str, 'tls_max_version'),
          MinVersion: aliased(str, 'tls_min_version'),
          CipherSuites: strings,
          // api APIGatewayTLSConfiguration.SDS *GatewayTLSSDSConfig: consul-k8s (api v1.34.4,
          // control-plane/api-gateway/common/translation.go toAPIGatewayListener) fills it.
          SDS: gatewayTLSSDS,
        }),
        Override: policy,
        Default: policy,
      }),
    ),
    // Gateway-level TLS, the defaults every listener's TLS is merged over (newest Consul, FIELD_SINCE):
    // structs.APIGatewayConfigEntry.TLS is a GatewayTLSConfig value, ingress-gateway's struct, with
    // `Enabled` serving Consul's own leaf certificate (agent/proxycfg api_gateway tests
    // TestGenerateAPIGatewayDNSSANs_*; agent/xds resolveAPIListenerTLSConfig merges it with the
    // listener's TLS and SDS). Consul PR #23647; consul-k8s PR #5597 writes TLS.Enabled.
    TLS: gatewayTLSConfig,
    // Gateway-wide circuit-breaker limits and passive health check for every service its routes send
    // to, which a route service's `Limits` overrides field by field (newest Consul, FIELD_SINCE):
    // api.APIGatewayConfigEntry.Defaults *UpstreamLimits, service-defaults' struct. consul-k8s fills it
    // (control-plane/api-gateway/common/translation.go translateGatewayDefaults, PR #5596); Consul PRs
    // #23551 (zero values of these limits) and #23783 (their PassiveHealthCheck) use it.
    // `Defaults *UpstreamLimits \`json:",omitempty"\`` in structs.APIGatewayConfigEntry (5c48b0b), every
    // field of UpstreamLimits `omitempty`: `Defaults {}` is stored and GET answers `{}`.
    Defaults: pointer(upstreamLimits),
    // The gateway-wide ext_authz toggle of the newest Consul (FIELD_SINCE): structs.APIGatewayConfigEntry
    // .ExtAuthz *APIGatewayExtAuthz `json:",omitempty"` (agent/structs/config_entry_gateways.go at
    // hashicorp/consul 5c48b0b), an empty struct in CE whose fields only the Enterprise build defines
    // (config_entry_apigw_extauthz_ce.go; TestExtAuthzStructsEmptyInCE): any key inside is an invalid
    // config key to a CE server, as to the decoder here.
    // No alias tag: `ext_authz` is an invalid config key. A pointer: `ExtAuthz {}` is stored and GET answers `{}`.
    ExtAuthz: aliased(pointer(obj({}))),
    // Read-only: Consul ignores Status on write.
    Status: configEntryStatus,
    Partition: str,
    Namespace: str,
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'api-gateway') };
    const listeners = out.Listeners as Listener[] | undefined;
    if (listeners)
      out.Listeners = listeners.map((l) => {
        const n: Listener = { ...l };
        if (typeof l?.Protocol === 'string') n.Protocol = l.Protocol.toLowerCase();
        if (l?.TLS?.Certificates) n.TLS = { ...l.TLS, Certificates: l.TLS.Certificates.map((c) => (c.Kind ? c : { ...c, Kind: 'inline-certificate' })) };
        return n;
      });
    return out;
  },
  // Validate: Consul's own, ported whole in src/core/write-checks (entry-rules.ts CONSUL_VALIDATE).
};
