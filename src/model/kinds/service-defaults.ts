// service-defaults: per-service protocol, mTLS mode and upstream settings (api/config_entry.go ServiceConfigEntry).
import { aliased, int, list, obj, pointer, str, strings, uint32 } from '../field-types.ts';
import type { ApiEntry, KindDefinition } from '../kind-definition.ts';
import { envoyExtensions, exposeConfig, meshGateway, meta, passiveHealthCheck, tenancy, transparentProxyConfig, upstreamLimits, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { asObject, withFieldsAfter } from '../response-noise.ts';

const upstreamConfig = obj({
  Name: str,
  Partition: str,
  Namespace: str,
  Peer: str,
  EnvoyListenerJSON: str,
  EnvoyClusterJSON: str,
  Protocol: str,
  ConnectTimeoutMs: int,
  // `*UpstreamLimits` in the server struct (agent/structs/config_entry.go UpstreamConfig): an empty
  // block is stored, and MergeInto lets it replace the Defaults' limits (see passiveHealthCheck).
  Limits: pointer(upstreamLimits),
  PassiveHealthCheck: passiveHealthCheck,
  MeshGateway: meshGateway,
  BalanceOutboundConnections: str,
});

/** ServiceConfigEntry as encoding/json prints it; upstreams always show Peer and MeshGateway. */
const responseShape: ResponseShape = {
  fields: [
    ['Kind'],
    ['Name'],
    ['Protocol', ''],
    ['Mode'],
    ['TransparentProxy', {}],
    ['MutualTLSMode'],
    ['MeshGateway', {}],
    ['Expose', {}],
    ['ExternalSNI'],
    ['UpstreamConfig'],
    ['Destination'],
    ['MaxInboundConnections'],
    ['LocalConnectTimeoutMs'],
    ['LocalRequestTimeoutMs'],
    ['BalanceInboundConnections'],
    ['RateLimits'],
    ['EnvoyExtensions'],
    ['Meta'],
  ],
  inner(out) {
    const up = out.UpstreamConfig as { Overrides?: unknown[]; Defaults?: unknown } | undefined;
    if (!up) return;
    const fix = (u: unknown) =>
      withFieldsAfter(
        asObject(u),
        [
          ['Peer', ''],
          ['MeshGateway', {}],
        ],
        'Name',
      );
    const next: Record<string, unknown> = {};
    if (up.Overrides) next.Overrides = up.Overrides.map(fix);
    if (up.Defaults) next.Defaults = fix(up.Defaults);
    out.UpstreamConfig = next;
  },
};

export const serviceDefaults: KindDefinition = {
  kind: 'service-defaults',
  crdKind: 'ServiceDefaults',
  applyOrder: 30,
  orderRole: 'provider',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: true,
  holdsSecrets: false,
  acl: { read: 'service', write: 'service' },
  responseShape,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    ...tenancy,
    Protocol: str,
    Mode: str,
    TransparentProxy: transparentProxyConfig,
    MutualTLSMode: str,
    MeshGateway: meshGateway,
    Expose: exposeConfig,
    ExternalSNI: str,
    UpstreamConfig: obj({ Overrides: list(upstreamConfig), Defaults: upstreamConfig }),
    Destination: obj({ Addresses: strings, Port: int }),
    MaxInboundConnections: int,
    LocalConnectTimeoutMs: int,
    LocalRequestTimeoutMs: int,
    BalanceInboundConnections: str,
    // structs ServiceConfigEntry.RateLimits *RateLimits `json:",omitempty"` (config_entry.go): a set
    // `RateLimits {}` is stored (Enterprise; CE refuses it) and GET answers it with InstanceLevel's
    // zero fields (a value struct, none omitempty), which compare equal to the empty block.
    RateLimits: pointer(
      obj({
        InstanceLevel: obj({
          // api InstanceLevelRateLimits: `RequestsPerSecond int`, not a float.
          RequestsPerSecond: int,
          RequestsMaxBurst: int,
          Routes: list(obj({ PathExact: str, PathPrefix: str, PathRegex: str, RequestsPerSecond: int, RequestsMaxBurst: int })),
        }),
      }),
    ),
    EnvoyExtensions: envoyExtensions,
    // No alias tag: api ServiceConfigEntry.MaxRequestHeadersKB *uint32 `json:",omitempty"` (api/config_entry.go
    // at hashicorp/consul 1fde583, and structs at 03658a0), so `max_request_headers_kb` is an invalid config key.
    // A pointer in structs too: an explicit 0 is stored and answered.
    MaxRequestHeadersKB: aliased(pointer(uint32)),
    ...meta,
  },
  normalize(entry) {
    const out: ApiEntry = withKind(entry, 'service-defaults');
    if (typeof out.Protocol === 'string') out.Protocol = out.Protocol.toLowerCase();
    const upstream = out.UpstreamConfig as { Overrides?: Record<string, unknown>[]; Defaults?: Record<string, unknown> } | undefined;
    if (upstream) {
      const fix = (u: Record<string, unknown>): Record<string, unknown> => {
        const r = { ...u };
        if (typeof r.Protocol === 'string') r.Protocol = r.Protocol.toLowerCase();
        if (typeof r.ConnectTimeoutMs === 'number' && r.ConnectTimeoutMs < 0) delete r.ConnectTimeoutMs;
        return r;
      };
      const next: Record<string, unknown> = { ...upstream };
      if (upstream.Overrides) next.Overrides = upstream.Overrides.map(fix);
      if (upstream.Defaults) next.Defaults = fix(upstream.Defaults);
      out.UpstreamConfig = next;
    }
    return out;
  },
  // Validate: Consul's own, ported whole in src/core/write-checks (entry-rules.ts CONSUL_VALIDATE).
};
