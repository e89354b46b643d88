// Consul's responses: loose schemas (only what we rely on; the rest is kept for diffing).
import * as z from 'zod/mini';

export const LiveEntrySchema = z.looseObject({ Kind: z.string().check(z.minLength(1)) });
export const LiveEntryListSchema = z.array(LiveEntrySchema);

/**
 * A parsed list body that is already what LiveEntryListSchema would return, as is: zod's parse
 * copies every entry (10,000 entries: a copy of each, and garbage for the collector). Anything
 * zod would change or refuse (not an array, an entry that is no object or lacks Kind, a top-level
 * `__proto__` key zod drops, keys zod would reorder to put Kind first) is left to zod, so errors
 * and results stay zod's. Undefined: ask zod.
 */
export function liveEntryListAsIs(json: unknown): z.output<typeof LiveEntryListSchema> | undefined {
  if (!Array.isArray(json)) return undefined;
  for (const e of json as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined;
    const entry = e as Record<string, unknown>;
    if (typeof entry.Kind !== 'string' || entry.Kind.length === 0 || Object.hasOwn(entry, '__proto__')) return undefined;
    for (const first in entry) {
      if (first !== 'Kind') return undefined;
      break;
    }
  }
  return json as z.output<typeof LiveEntryListSchema>;
}

/** `GET /v1/kv/:key` — a one-element array; `Value` is base64 or null. */
export const KvPairListSchema = z.array(
  z.looseObject({
    Key: z.string(),
    Value: z.optional(z.nullable(z.string())),
    Flags: z.optional(z.number()),
    CreateIndex: z.number(),
    ModifyIndex: z.number(),
  }),
);

/** One element of `GET /v1/health/connect/:service` (api.ServiceEntry). */
export const ServiceEntrySchema = z.looseObject({
  Node: z.looseObject({ Node: z.string(), Address: z.string(), Datacenter: z.optional(z.string()) }),
  Service: z.looseObject({
    ID: z.string(),
    Service: z.string(),
    Kind: z.optional(z.string()),
    Address: z.optional(z.string()),
    Port: z.number(),
    Meta: z.optional(z.nullable(z.record(z.string(), z.string()))),
    Proxy: z.optional(
      z.nullable(
        z.looseObject({
          DestinationServiceName: z.optional(z.string()),
          DestinationServiceID: z.optional(z.string()),
          LocalServiceAddress: z.optional(z.string()),
          LocalServicePort: z.optional(z.number()),
          /** Opaque proxy config; consul-k8s puts `envoy_prometheus_bind_addr` here. */
          Config: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
        }),
      ),
    ),
  }),
  Checks: z.optional(z.nullable(z.array(z.looseObject({ Status: z.string() })))),
});
export const ServiceEntryListSchema = z.array(ServiceEntrySchema);

/** A Connect-capable instance (sidecar proxy or native) as the reconciler needs it. */
export interface ConnectInstance {
  node: string;
  nodeAddress: string;
  datacenter: string | undefined;
  /** The proxy's service ID (e.g. `web-sidecar-proxy`), or the native service's ID. */
  serviceId: string;
  serviceName: string;
  /** `connect-proxy` for sidecars, '' for Connect-native services. */
  serviceKind: string;
  /** Service address, falling back to the node address as Consul's DNS does. */
  address: string;
  /** The port the proxy (or native service) accepts mTLS traffic on. */
  port: number;
  meta: Record<string, string>;
  /** The service this proxy fronts; for native services, the service itself. */
  destinationServiceName: string;
  destinationServiceId: string;
  /**
   * `Proxy.Config.envoy_prometheus_bind_addr` (`0.0.0.0:20200` from consul-k8s's endpoints
   * controller): where the sidecar serves Prometheus metrics, when registered.
   */
  metricsBindAddress?: string;
  /** Aggregate of the instance's checks: `passing` / `warning` / `critical` (worst wins). */
  health: 'passing' | 'warning' | 'critical';
}

export function toConnectInstance(e: z.infer<typeof ServiceEntrySchema>): ConnectInstance {
  const svc = e.Service;
  const statuses = (e.Checks ?? []).map((c) => c.Status);
  const health = statuses.includes('critical') ? 'critical' : statuses.includes('warning') ? 'warning' : 'passing';
  return {
    node: e.Node.Node,
    nodeAddress: e.Node.Address,
    datacenter: e.Node.Datacenter,
    serviceId: svc.ID,
    serviceName: svc.Service,
    serviceKind: svc.Kind ?? '',
    address: svc.Address || e.Node.Address,
    port: svc.Port,
    meta: { ...(svc.Meta ?? {}) },
    destinationServiceName: svc.Proxy?.DestinationServiceName || svc.Service,
    destinationServiceId: svc.Proxy?.DestinationServiceID || svc.ID,
    health,
    ...(typeof svc.Proxy?.Config?.envoy_prometheus_bind_addr === 'string' ? { metricsBindAddress: svc.Proxy.Config.envoy_prometheus_bind_addr } : {}),
  };
}

/** `GET /v1/catalog/services` (structs.Services): service name → tags (`null` tags read as none). */
export const ServiceTagsSchema = z.pipe(
  z.record(z.string(), z.nullable(z.array(z.string()))),
  z.transform((m: Record<string, string[] | null>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v ?? []])) as Record<string, string[]>),
);

/** `POST /v1/internal/acl/authorize` (structs.ACLAuthorizationResponse[]). */
export const AuthorizeResponseSchema = z.array(z.looseObject({ Allow: z.boolean() }));

/** `GET /v1/catalog/services`: service name → tags (structs.Services). */
/** `GET /v1/namespaces` (Enterprise): one object per namespace; only the name is read. */
export const NamespaceListSchema = z.array(z.looseObject({ Name: z.string() }));

/** `GET /v1/catalog/datacenters`: datacenter names, nearest first. */
export const DatacenterListSchema = z.array(z.string());

export const CatalogServicesSchema = z.record(z.string(), z.nullable(z.array(z.string())));

/** One element of `GET /v1/catalog/service/:service` (api.CatalogService), only what the advisor reads. */
export const CatalogServiceNodeListSchema = z.array(
  z.looseObject({
    ServiceName: z.string(),
    ServiceKind: z.optional(z.string()),
    ServiceProxy: z.optional(z.nullable(z.looseObject({ DestinationServiceName: z.optional(z.string()) }))),
  }),
);

/**
 * `GET /v1/agent/self`, only the security settings: `DebugConfig` is the sanitized RuntimeConfig
 * (agent/config/runtime.go; since Consul 1.12 `TLS` is a tlsutil.Config, tlsutil/config.go, whose
 * `InternalRPC` ProtocolConfig holds the verify flags; before 1.12 RuntimeConfig carried them flat:
 * `VerifyIncoming`, `VerifyIncomingRPC`, `VerifyOutgoing`, `VerifyServerHostname`),
 * `Stats.serf_lan.encrypted` is serf's "true"/"false" (serf.Stats()). The gossip verify flags
 * (`encrypt_verify_incoming`/`_outgoing`) are `StaticRuntimeConfig.EncryptVerifyIncoming`/`…Outgoing`
 * since the config auto-reload of 1.12 moved them there, and RuntimeConfig's own fields before.
 */
export const AgentSelfSchema = z.object({
  Config: z.optional(z.object({ NodeName: z.optional(z.string()) })),
  DebugConfig: z.optional(
    z.object({
      ConnectSidecarMinPort: z.optional(z.number()),
      ConnectSidecarMaxPort: z.optional(z.number()),
      VerifyIncoming: z.optional(z.boolean()),
      VerifyIncomingRPC: z.optional(z.boolean()),
      VerifyOutgoing: z.optional(z.boolean()),
      VerifyServerHostname: z.optional(z.boolean()),
      EncryptVerifyIncoming: z.optional(z.boolean()),
      EncryptVerifyOutgoing: z.optional(z.boolean()),
      StaticRuntimeConfig: z.optional(z.object({ EncryptVerifyIncoming: z.optional(z.boolean()), EncryptVerifyOutgoing: z.optional(z.boolean()) })),
      TLS: z.optional(
        z.object({
          InternalRPC: z.optional(
            z.object({ VerifyIncoming: z.optional(z.boolean()), VerifyOutgoing: z.optional(z.boolean()), VerifyServerHostname: z.optional(z.boolean()) }),
          ),
        }),
      ),
    }),
  ),
  Stats: z.optional(z.record(z.string(), z.optional(z.record(z.string(), z.string())))),
});

/** `GET /v1/agent/self`, only `Config.Version` (agent/agent_endpoint.go AgentSelf: version.GetHumanVersion(), e.g. `1.21.4` or `1.22.0+ent`). */
export const AgentVersionSchema = z.object({ Config: z.optional(z.object({ Version: z.optional(z.string()) })) });

/** `GET /v1/acl/token/self` (structs.ACLToken). `z.object` drops every other field: the SecretID is never kept. */
export const AclTokenSelfSchema = z.object({
  AccessorID: z.string(),
  Policies: z.optional(z.nullable(z.array(z.object({ ID: z.string(), Name: z.optional(z.string()) })))),
});

/** `GET /v1/connect/ca/configuration` (structs.CAConfiguration): only the provider; its Config may hold secrets. */
export const CaConfigurationSchema = z.object({ Provider: z.string() });
