// Field groups several kinds share, as the Go api structs share them.
import {
  aliased,
  bool,
  durationNs,
  int,
  list,
  map,
  obj,
  opaque,
  pointer,
  str,
  stringMap,
  strings,
  uint32,
  type FieldType,
  type ObjectFields,
} from '../field-types.ts';
import type { ApiEntry, EntryProblem } from '../kind-definition.ts';

export const meshGateway = obj({ Mode: str });
export const transparentProxyConfig = obj({ OutboundListenerPort: int, DialedDirectly: bool });
export const exposeConfig = obj({
  Checks: bool,
  // api ExposePath.ParsedFromCheck carries no alias tag (api/config_entry.go).
  Paths: list(obj({ ListenerPort: int, Path: str, LocalPathPort: int, Protocol: str, ParsedFromCheck: aliased(bool) })),
});
/** api EnvoyExtension (api/config_entry.go): no alias tags at all, so `consul_version` is an unknown key. */
export const envoyExtensions = list(obj({ Name: str, Required: bool, Arguments: opaque, ConsulVersion: aliased(str), EnvoyVersion: aliased(str) }));

/**
 * api PassiveHealthCheck (api/config_entry.go), one definition for service-defaults upstreams and
 * ingress-gateway services. `EnforcingConsecutive5xx` is tagged `enforcing_consecutive_5xx`, not the
 * `enforcing_consecutive5xx` a naming rule would derive. MaxFailures and the percentages are uint32.
 * Every field after MaxFailures is a Go pointer in the server struct (agent/structs/config_entry.go
 * PassiveHealthCheck at hashicorp/consul 03658a0: `*uint32`, BaseEjectionTime `*time.Duration`), so
 * an explicit 0 is stored and answered (`pointer`); Interval and MaxFailures are plain values.
 * The struct itself is a pointer wherever Consul uses it (UpstreamConfig, IngressService,
 * IngressServiceConfig, UpstreamLimits: `*PassiveHealthCheck`), so `PassiveHealthCheck {}` is stored
 * and answered as `{}`, and it matters: UpstreamConfig.MergeInto copies any non-nil one into the
 * upstream's map, so an override's empty block replaces the Defaults' (Envoy's outlier defaults).
 */
export const passiveHealthCheck: FieldType = pointer(
  obj({
    Interval: durationNs,
    MaxFailures: uint32,
    EnforcingConsecutive5xx: aliased(pointer(uint32), 'enforcing_consecutive_5xx'),
    MaxEjectionPercent: pointer(uint32),
    BaseEjectionTime: pointer(durationNs),
    // Newer Consul (see src/model/consul-versions.ts); tags follow the `_5xx` spelling of their sibling.
    EnforcingConsecutiveGatewayFailure: pointer(uint32),
    Consecutive5xx: aliased(pointer(uint32), 'consecutive_5xx'),
    ConsecutiveGatewayFailure: pointer(uint32),
  }),
);

/**
 * api UpstreamLimits (api/config_entry.go): `*int` each, in the server struct too
 * (agent/structs/config_entry.go UpstreamLimits, 03658a0), so `MaxConnections = 0` is stored and
 * answered as 0 (`pointer`). One definition for service-defaults' UpstreamConfig, api-gateway
 * `Defaults` and route services' `Limits`, which are this Go type.
 */
export const upstreamLimits: FieldType = obj({
  MaxConnections: pointer(int),
  MaxPendingRequests: pointer(int),
  MaxConcurrentRequests: pointer(int),
  PassiveHealthCheck: passiveHealthCheck,
});

/** api HTTPHeaderModifiers (api/config_entry_discoverychain.go): router, splitter, ingress services. */
/**
 * HTTPHeaderModifiers: `*HTTPHeaderModifiers` wherever the server structs use it (router
 * destinations and splits, agent/structs/config_entry_discoverychain.go ServiceRouteDestination,
 * ServiceSplit; ingress services, config_entry_gateways.go IngressService), every field `omitempty`:
 * `RequestHeaders {}` is stored and GET answers `{}`. Not idle: ServiceSplitterConfigEntry.Validate
 * keys splits on the whole struct, so two splits to one service differ when one carries the pointer.
 */
export const httpHeaderModifiers: FieldType = pointer(obj({ Add: map(str), Set: map(str), Remove: strings }));

/**
 * api GatewayTLSSDSConfig (api/config_entry_gateways.go). `*GatewayTLSSDSConfig \`json:",omitempty"\``
 * wherever the server structs use it (agent/structs/config_entry_gateways.go at hashicorp/consul
 * 5c48b0b: GatewayTLSConfig.SDS, GatewayServiceTLSConfig.SDS, APIGatewayTLSConfiguration.SDS), both
 * fields `omitempty`: `SDS {}` is stored and GET answers `{}`. Not idle: a non-nil SDS is what
 * validateServiceSDS, validateListeners and agent/xds's listener TLS merge test for.
 */
export const gatewayTLSSDS: FieldType = pointer(obj({ ClusterName: str, CertResource: str }));
/**
 * api GatewayTLSConfig (api/config_entry_gateways.go): ingress-gateway's gateway and listener TLS,
 * and api-gateway's gateway-level TLS (structs.APIGatewayConfigEntry.TLS in the newest Consul).
 * Tags: tls_min_version, tls_max_version, cipher_suites; SDS's cluster_name, cert_resource.
 */
export const gatewayTLSConfig: FieldType = obj({ Enabled: bool, SDS: gatewayTLSSDS, TLSMinVersion: str, TLSMaxVersion: str, CipherSuites: strings });
/**
 * api GatewayServiceTLSConfig (api/config_entry_gateways.go): a per-service SDS certificate.
 * `*GatewayServiceTLSConfig \`json:",omitempty"\`` in every server struct that holds it (IngressService.TLS,
 * HTTPService.TLS, TCPService.TLS at hashicorp/consul 5c48b0b): `TLS {}` is stored and GET answers `{}`.
 */
export const gatewayServiceTLS: FieldType = pointer(obj({ SDS: gatewayTLSSDS }));
export const accessLogs = obj({
  Enabled: bool,
  DisableListenerLogs: bool,
  Type: str,
  Path: str,
  JSONFormat: str,
  TextFormat: str,
});
export const tlsVersions = { TLSMinVersion: str, TLSMaxVersion: str, CipherSuites: strings };
export const meta: ObjectFields = { Meta: stringMap };

/** Partition and Namespace: enterprise identity fields the api structs carry on most kinds. */
export const tenancy: ObjectFields = { Partition: str, Namespace: str };

export const MUTUAL_TLS_MODES = ['', 'strict', 'permissive'] as const;

/** Consul's MutualTLSMode check, message verbatim (agent/structs/config_entry.go). */
export function validateMutualTLSMode(entry: ApiEntry): EntryProblem[] {
  const mode = (entry.MutualTLSMode as string | undefined) ?? '';
  if ((MUTUAL_TLS_MODES as readonly string[]).includes(mode)) return [];
  return [
    {
      field: 'MutualTLSMode',
      message: `Invalid MutualTLSMode "${mode}". Must be one of "", "strict", or "permissive".`,
    },
  ];
}

/** validateConfigEntryMeta (agent/structs/structs.go). */
export function validateMeta(entry: ApiEntry): EntryProblem[] {
  const m = entry.Meta as Record<string, string> | undefined;
  if (!m) return [];
  const problems: EntryProblem[] = [];
  const keys = Object.keys(m);
  if (keys.length > 64) problems.push({ field: 'Meta', message: 'Meta exceeds maximum element count 64' });
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k.length > 128) problems.push({ field: `Meta.${k}`, message: `Meta key "${k}" exceeds maximum length 128` });
    if ((m[k] ?? '').length > 512) problems.push({ field: `Meta.${k}`, message: `Meta value for key "${k}" exceeds maximum length 512` });
  }
  return problems;
}

/** A shallow copy with Consul's canonical Kind: Normalize() never mutates its input. */
export function withKind(entry: ApiEntry, kind: string): ApiEntry {
  return { ...entry, Kind: kind };
}

/** `Name is required` and friends for kinds with a user-given name. */
export function requireName(entry: ApiEntry): EntryProblem[] {
  return entry.Name ? [] : [{ field: 'Name', message: 'Name is required' }];
}
