// Every multi-word (or aliased) field's accepted snake_case spellings, per kind and field path,
// written by hand from the `alias:"..."` struct tags of Consul's api package, which is what
// `consul config write` decodes files into (command/helpers/helpers.go newDecodeConfigEntry, keys
// translated by lib/decode HookTranslateKeys). A field absent from its struct's tags has `[]`:
// only case variants of the Go name decode. Paths: `[]` marks a list element, `{}` a map value.
// test/unit/model/consul-aliases.test.ts holds the registry to this table in both directions.

export type AliasTable = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

type Spellings = Record<string, readonly string[]>;

/** A struct's spellings (paths relative to the struct) placed where a kind embeds it. */
function under(prefix: string, fields: Spellings): Spellings {
  return Object.fromEntries(Object.entries(fields).map(([path, spellings]) => [`${prefix}${path}`, spellings]));
}

/**
 * api/config_entry.go PassiveHealthCheck, one struct that service-defaults (upstream overrides and
 * defaults, and their Limits) and ingress-gateway (services, defaults) all embed: its spellings once,
 * under each place it appears.
 */
function passiveHealthCheck(prefix: string): Spellings {
  return under(prefix, {
    PassiveHealthCheck: ['passive_health_check'],
    'PassiveHealthCheck.MaxFailures': ['max_failures'],
    'PassiveHealthCheck.EnforcingConsecutive5xx': ['enforcing_consecutive_5xx'],
    'PassiveHealthCheck.MaxEjectionPercent': ['max_ejection_percent'],
    'PassiveHealthCheck.BaseEjectionTime': ['base_ejection_time'],
    'PassiveHealthCheck.EnforcingConsecutiveGatewayFailure': ['enforcing_consecutive_gateway_failure'],
    'PassiveHealthCheck.Consecutive5xx': ['consecutive_5xx'],
    'PassiveHealthCheck.ConsecutiveGatewayFailure': ['consecutive_gateway_failure'],
  });
}

/**
 * api/config_entry.go UpstreamLimits, which embeds PassiveHealthCheck too: service-defaults'
 * upstream `Limits`, api-gateway `Defaults` and route services' `Limits` (one Go type).
 */
function upstreamLimits(prefix: string): Spellings {
  return under(prefix, {
    MaxConnections: ['max_connections'],
    MaxPendingRequests: ['max_pending_requests'],
    MaxConcurrentRequests: ['max_concurrent_requests'],
    ...passiveHealthCheck(''),
  });
}

/** api/config_entry.go UpstreamConfig: service-defaults' UpstreamConfig.Overrides[] and .Defaults. */
function upstreamConfig(prefix: string): Spellings {
  return under(prefix, {
    EnvoyListenerJSON: ['envoy_listener_json'],
    EnvoyClusterJSON: ['envoy_cluster_json'],
    ConnectTimeoutMs: ['connect_timeout_ms'],
    ...upstreamLimits('Limits.'),
    ...passiveHealthCheck(''),
    MeshGateway: ['mesh_gateway'],
    BalanceOutboundConnections: ['balance_outbound_connections'],
  });
}

/**
 * The proxy settings ProxyConfigEntry and ServiceConfigEntry both carry (api/config_entry.go):
 * TransparentProxyConfig, MutualTLSMode, MeshGatewayConfig, ExposeConfig (ExposePath's
 * ParsedFromCheck has no tag) and EnvoyExtensions (EnvoyExtension's version fields have none).
 */
const PROXY_SETTINGS: Spellings = {
  TransparentProxy: ['transparent_proxy'],
  'TransparentProxy.OutboundListenerPort': ['outbound_listener_port'],
  'TransparentProxy.DialedDirectly': ['dialed_directly'],
  MutualTLSMode: ['mutual_tls_mode'],
  MeshGateway: ['mesh_gateway'],
  'Expose.Paths[].ListenerPort': ['listener_port'],
  'Expose.Paths[].LocalPathPort': ['local_path_port'],
  'Expose.Paths[].ParsedFromCheck': [],
  EnvoyExtensions: ['envoy_extensions'],
  'EnvoyExtensions[].ConsulVersion': [],
  'EnvoyExtensions[].EnvoyVersion': [],
};

/** api/config_entry_mesh.go MeshDirectionalTLSConfig: mesh TLS.Incoming and TLS.Outgoing. */
function meshDirectionalTLS(prefix: string): Spellings {
  return under(prefix, {
    TLSMinVersion: ['tls_min_version'],
    TLSMaxVersion: ['tls_max_version'],
    CipherSuites: ['cipher_suites'],
    // agent/structs/config_entry_mesh.go at hashicorp/consul 03658a0 (the api struct of that commit
    // was not readable; its tags are taken to match the server struct's, as for credential injection).
    ECDHCurves: ['ecdh_curves'],
  });
}

/** api/config_entry_gateways.go GatewayTLSSDSConfig, inside every ingress-gateway TLS block. */
function gatewaySDS(prefix: string): Spellings {
  return under(prefix, {
    'SDS.ClusterName': ['cluster_name'],
    'SDS.CertResource': ['cert_resource'],
  });
}

/** api/config_entry_gateways.go GatewayTLSConfig: ingress-gateway TLS and Listeners[].TLS. */
function gatewayTLS(prefix: string): Spellings {
  return {
    ...gatewaySDS(prefix),
    ...under(prefix, {
      TLSMinVersion: ['tls_min_version'],
      TLSMaxVersion: ['tls_max_version'],
      CipherSuites: ['cipher_suites'],
    }),
  };
}

export const CONSUL_ALIASES: AliasTable = {
  // api/config_entry_mesh.go MeshConfigEntry
  mesh: {
    TransparentProxy: ['transparent_proxy'],
    'TransparentProxy.MeshDestinationsOnly': ['mesh_destinations_only'],
    AllowEnablingPermissiveMutualTLS: ['allow_enabling_permissive_mutual_tls'],
    ValidateClusters: ['validate_clusters'],
    ...meshDirectionalTLS('TLS.Incoming.'),
    ...meshDirectionalTLS('TLS.Outgoing.'),
    'HTTP.SanitizeXForwardedClientCert': ['sanitize_x_forwarded_client_cert'],
    'HTTP.Incoming.RequestNormalization': ['request_normalization'],
    'HTTP.Incoming.RequestNormalization.InsecureDisablePathNormalization': ['insecure_disable_path_normalization'],
    'HTTP.Incoming.RequestNormalization.MergeSlashes': ['merge_slashes'],
    'HTTP.Incoming.RequestNormalization.PathWithEscapedSlashesAction': ['path_with_escaped_slashes_action'],
    'HTTP.Incoming.RequestNormalization.HeadersWithUnderscoresAction': ['headers_with_underscores_action'],
    'Peering.PeerThroughMeshGateways': ['peer_through_mesh_gateways'],
  },
  // api/config_entry_sameness_group.go SamenessGroupConfigEntry
  'sameness-group': {
    DefaultForFailover: ['default_for_failover'],
    IncludeLocal: ['include_local'],
  },
  // api/config_entry.go ProxyConfigEntry
  'proxy-defaults': {
    ...PROXY_SETTINGS,
    AccessLogs: ['access_logs'],
    'AccessLogs.DisableListenerLogs': ['disable_listener_logs'],
    'AccessLogs.JSONFormat': ['json_format'],
    'AccessLogs.TextFormat': ['text_format'],
    FailoverPolicy: ['failover_policy'],
    PrioritizeByLocality: ['prioritize_by_locality'],
  },
  // api/config_entry_rate_limit_ip.go RateLimitIPConfigEntry
  'control-plane-request-limit': {
    ReadRate: [],
    WriteRate: [],
    'ACL.ReadRate': [],
    'ACL.WriteRate': [],
    'Catalog.ReadRate': [],
    'Catalog.WriteRate': [],
    ConfigEntry: [],
    'ConfigEntry.ReadRate': [],
    'ConfigEntry.WriteRate': [],
    ConnectCA: [],
    'ConnectCA.ReadRate': [],
    'ConnectCA.WriteRate': [],
    'Coordinate.ReadRate': [],
    'Coordinate.WriteRate': [],
    DiscoveryChain: [],
    'DiscoveryChain.ReadRate': [],
    'DiscoveryChain.WriteRate': [],
    ServerDiscovery: [],
    'ServerDiscovery.ReadRate': [],
    'ServerDiscovery.WriteRate': [],
    'Health.ReadRate': [],
    'Health.WriteRate': [],
    'Intention.ReadRate': [],
    'Intention.WriteRate': [],
    'KV.ReadRate': [],
    'KV.WriteRate': [],
    'Tenancy.ReadRate': [],
    'Tenancy.WriteRate': [],
    PreparedQuery: [],
    'PreparedQuery.ReadRate': [],
    'PreparedQuery.WriteRate': [],
    'Session.ReadRate': [],
    'Session.WriteRate': [],
    'Txn.ReadRate': [],
    'Txn.WriteRate': [],
    AutoConfig: [],
    'AutoConfig.ReadRate': [],
    'AutoConfig.WriteRate': [],
    FederationState: [],
    'FederationState.ReadRate': [],
    'FederationState.WriteRate': [],
    'Internal.ReadRate': [],
    'Internal.WriteRate': [],
    PeerStream: [],
    'PeerStream.ReadRate': [],
    'PeerStream.WriteRate': [],
    'Peering.ReadRate': [],
    'Peering.WriteRate': [],
    DataPlane: [],
    'DataPlane.ReadRate': [],
    'DataPlane.WriteRate': [],
    'DNS.ReadRate': [],
    'DNS.WriteRate': [],
    'Subscribe.ReadRate': [],
    'Subscribe.WriteRate': [],
    'Resource.ReadRate': [],
    'Resource.WriteRate': [],
  },
  // api/config_entry.go ServiceConfigEntry
  'service-defaults': {
    ...PROXY_SETTINGS,
    ExternalSNI: ['external_sni'],
    UpstreamConfig: ['upstream_config'],
    ...upstreamConfig('UpstreamConfig.Overrides[].'),
    ...upstreamConfig('UpstreamConfig.Defaults.'),
    MaxInboundConnections: ['max_inbound_connections'],
    LocalConnectTimeoutMs: ['local_connect_timeout_ms'],
    LocalRequestTimeoutMs: ['local_request_timeout_ms'],
    BalanceInboundConnections: ['balance_inbound_connections'],
    RateLimits: ['rate_limits'],
    'RateLimits.InstanceLevel': ['instance_level'],
    'RateLimits.InstanceLevel.RequestsPerSecond': ['requests_per_second'],
    'RateLimits.InstanceLevel.RequestsMaxBurst': ['requests_max_burst'],
    'RateLimits.InstanceLevel.Routes[].PathExact': ['path_exact'],
    'RateLimits.InstanceLevel.Routes[].PathPrefix': ['path_prefix'],
    'RateLimits.InstanceLevel.Routes[].PathRegex': ['path_regex'],
    'RateLimits.InstanceLevel.Routes[].RequestsPerSecond': ['requests_per_second'],
    'RateLimits.InstanceLevel.Routes[].RequestsMaxBurst': ['requests_max_burst'],
    // No alias tag at hashicorp/consul 1fde583 (api/config_entry.go, `json:",omitempty"` only).
    MaxRequestHeadersKB: [],
  },
  // api/config_entry_jwt_provider.go JWTProviderConfigEntry
  'jwt-provider': {
    JSONWebKeySet: ['json_web_key_set'],
    'JSONWebKeySet.Remote.RequestTimeoutMs': ['request_timeout_ms'],
    'JSONWebKeySet.Remote.CacheDuration': ['cache_duration'],
    'JSONWebKeySet.Remote.FetchAsynchronously': ['fetch_asynchronously'],
    'JSONWebKeySet.Remote.UseSNI': ['use_sni'],
    'JSONWebKeySet.Remote.RetryPolicy': ['retry_policy'],
    'JSONWebKeySet.Remote.RetryPolicy.NumRetries': ['num_retries'],
    'JSONWebKeySet.Remote.RetryPolicy.RetryPolicyBackOff': ['retry_policy_back_off'],
    'JSONWebKeySet.Remote.RetryPolicy.RetryPolicyBackOff.BaseInterval': ['base_interval'],
    'JSONWebKeySet.Remote.RetryPolicy.RetryPolicyBackOff.MaxInterval': ['max_interval'],
    'JSONWebKeySet.Remote.JWKSCluster': ['jwks_cluster'],
    'JSONWebKeySet.Remote.JWKSCluster.DiscoveryType': ['discovery_type'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates': ['tls_certificates'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.CaCertificateProviderInstance': ['ca_certificate_provider_instance'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.CaCertificateProviderInstance.InstanceName': ['instance_name'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.CaCertificateProviderInstance.CertificateName': ['certificate_name'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.TrustedCA': ['trusted_ca'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.TrustedCA.EnvironmentVariable': ['environment_variable'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.TrustedCA.InlineString': ['inline_string'],
    'JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.TrustedCA.InlineBytes': ['inline_bytes'],
    'JSONWebKeySet.Remote.JWKSCluster.ConnectTimeout': ['connect_timeout'],
    'Locations[].Header.ValuePrefix': ['value_prefix'],
    'Locations[].QueryParam': ['query_param'],
    'Forwarding.HeaderName': ['header_name'],
    'Forwarding.PadForwardPayloadHeader': ['pad_forward_payload_header'],
    ClockSkewSeconds: ['clock_skew_seconds'],
    CacheConfig: ['cache_config'],
  },
  // api/config_entry_discoverychain.go ServiceResolverConfigEntry
  'service-resolver': {
    DefaultSubset: ['default_subset'],
    'Subsets{}.OnlyPassing': ['only_passing'],
    'Redirect.ServiceSubset': ['service_subset'],
    'Redirect.SamenessGroup': ['sameness_group'],
    'Failover{}.ServiceSubset': ['service_subset'],
    'Failover{}.Targets[].ServiceSubset': ['service_subset'],
    'Failover{}.SamenessGroup': ['sameness_group'],
    ConnectTimeout: ['connect_timeout'],
    RequestTimeout: ['request_timeout'],
    PrioritizeByLocality: ['prioritize_by_locality'],
    LoadBalancer: ['load_balancer'],
    'LoadBalancer.RingHashConfig': ['ring_hash_config'],
    'LoadBalancer.RingHashConfig.MinimumRingSize': ['minimum_ring_size'],
    'LoadBalancer.RingHashConfig.MaximumRingSize': ['maximum_ring_size'],
    'LoadBalancer.LeastRequestConfig': ['least_request_config'],
    'LoadBalancer.LeastRequestConfig.ChoiceCount': ['choice_count'],
    'LoadBalancer.HashPolicies': ['hash_policies'],
    'LoadBalancer.HashPolicies[].FieldValue': ['field_value'],
    'LoadBalancer.HashPolicies[].CookieConfig': ['cookie_config'],
    'LoadBalancer.HashPolicies[].SourceIP': ['source_ip'],
  },
  // api/config_entry_discoverychain.go ServiceSplitterConfigEntry
  'service-splitter': {
    'Splits[].ServiceSubset': ['service_subset'],
    'Splits[].RequestHeaders': ['request_headers'],
    'Splits[].ResponseHeaders': ['response_headers'],
  },
  // api/config_entry_discoverychain.go ServiceRouterConfigEntry
  'service-router': {
    'Routes[].Match.HTTP.PathExact': ['path_exact'],
    'Routes[].Match.HTTP.PathPrefix': ['path_prefix'],
    'Routes[].Match.HTTP.PathRegex': ['path_regex'],
    'Routes[].Match.HTTP.CaseInsensitive': ['case_insensitive'],
    'Routes[].Match.HTTP.QueryParam': ['query_param'],
    'Routes[].Destination.ServiceSubset': ['service_subset'],
    'Routes[].Destination.PrefixRewrite': ['prefix_rewrite'],
    'Routes[].Destination.RequestTimeout': ['request_timeout'],
    'Routes[].Destination.IdleTimeout': ['idle_timeout'],
    'Routes[].Destination.NumRetries': ['num_retries'],
    'Routes[].Destination.RetryOnConnectFailure': ['retry_on_connect_failure'],
    'Routes[].Destination.RetryOnStatusCodes': ['retry_on_status_codes'],
    'Routes[].Destination.RetryOn': ['retry_on'],
    'Routes[].Destination.RequestHeaders': ['request_headers'],
    'Routes[].Destination.ResponseHeaders': ['response_headers'],
  },
  // api/config_entry_gateways.go IngressGatewayConfigEntry
  'ingress-gateway': {
    ...gatewayTLS('TLS.'),
    ...gatewaySDS('Listeners[].Services[].TLS.'),
    'Listeners[].Services[].RequestHeaders': ['request_headers'],
    'Listeners[].Services[].ResponseHeaders': ['response_headers'],
    'Listeners[].Services[].MaxConnections': ['max_connections'],
    'Listeners[].Services[].MaxPendingRequests': ['max_pending_requests'],
    'Listeners[].Services[].MaxConcurrentRequests': ['max_concurrent_requests'],
    ...passiveHealthCheck('Listeners[].Services[].'),
    ...gatewayTLS('Listeners[].TLS.'),
    'Defaults.MaxConnections': [],
    'Defaults.MaxPendingRequests': [],
    'Defaults.MaxConcurrentRequests': [],
    ...passiveHealthCheck('Defaults.'),
  },
  // api/config_entry_gateways.go TerminatingGatewayConfigEntry
  'terminating-gateway': {
    // GatewayCredentialInjection / GatewayServiceCredential: the spellings
    // agent/structs/config_entry_credential_injection_test.go TestDecodeTerminatingGatewayCredential_SnakeCase
    // decodes (the structs tags; the api struct is not readable, its tags taken to match).
    CredentialInjection: ['credential_injection'],
    'CredentialInjection.UDSPath': ['uds_path'],
    'CredentialInjection.MessageTimeout': ['message_timeout'],
    'Services[].Credential.BindingID': ['binding_id'],
    'Services[].DisableAutoHostRewrite': [],
    'Services[].CAFile': ['ca_file'],
    'Services[].CertFile': ['cert_file'],
    'Services[].KeyFile': ['key_file'],
  },
  // api/config_entry_inline_certificate.go InlineCertificateConfigEntry
  'inline-certificate': {
    PrivateKey: ['private_key'],
  },
  // api/config_entry_file_system_certificate.go FileSystemCertificateConfigEntry
  'file-system-certificate': {
    PrivateKey: ['private_key'],
  },
  // api/config_entry_gateways.go APIGatewayConfigEntry
  'api-gateway': {
    // GatewayTLSConfig, the struct ingress-gateway's TLS uses: the same tags.
    'TLS.SDS.ClusterName': ['cluster_name'],
    'TLS.SDS.CertResource': ['cert_resource'],
    'TLS.TLSMinVersion': ['tls_min_version'],
    'TLS.TLSMaxVersion': ['tls_max_version'],
    'TLS.CipherSuites': ['cipher_suites'],
    'Listeners[].TLS.Certificates[].SectionName': [],
    'Listeners[].TLS.MaxVersion': ['tls_max_version'],
    'Listeners[].TLS.MinVersion': ['tls_min_version'],
    'Listeners[].TLS.CipherSuites': ['cipher_suites'],
    'Listeners[].TLS.SDS.ClusterName': ['cluster_name'],
    'Listeners[].TLS.SDS.CertResource': ['cert_resource'],
    // No alias tag at hashicorp/consul 95b1ec6 (api/config_entry_gateways.go APIGatewayListener).
    'Listeners[].MaxRequestHeadersKB': [],
    'Listeners[].Override.JWT.Providers[].VerifyClaims': ['verify_claims'],
    'Listeners[].Default.JWT.Providers[].VerifyClaims': ['verify_claims'],
    // Defaults *UpstreamLimits: hashicorp/consul#23783 writes `defaults.passive_health_check`.
    ...upstreamLimits('Defaults.'),
    // structs.APIGatewayConfigEntry.ExtAuthz at hashicorp/consul 5c48b0b: `json:",omitempty"`, no alias tag.
    ExtAuthz: [],
    'Status.Conditions[].Resource.SectionName': [],
    'Status.Conditions[].LastTransitionTime': [],
  },
  // api/config_entry_routes.go HTTPRouteConfigEntry
  'http-route': {
    'Parents[].SectionName': [],
    'Rules[].Filters.RetryFilter': [],
    'Rules[].Filters.RetryFilter.NumRetries': [],
    'Rules[].Filters.RetryFilter.RetryOn': [],
    'Rules[].Filters.RetryFilter.RetryOnStatusCodes': [],
    'Rules[].Filters.RetryFilter.RetryOnConnectFailure': [],
    'Rules[].Filters.TimeoutFilter': [],
    'Rules[].Filters.TimeoutFilter.RequestTimeout': [],
    'Rules[].Filters.TimeoutFilter.IdleTimeout': [],
    'Rules[].Filters.JWT.Providers[].VerifyClaims': ['verify_claims'],
    // HTTPFilters.ExtAuthz (api/config_entry_routes.go at 03658a0): no alias tag.
    'Rules[].Filters.ExtAuthz': [],
    'Rules[].ResponseFilters': [],
    'Rules[].Services[].Filters.RetryFilter': [],
    'Rules[].Services[].Filters.RetryFilter.NumRetries': [],
    'Rules[].Services[].Filters.RetryFilter.RetryOn': [],
    'Rules[].Services[].Filters.RetryFilter.RetryOnStatusCodes': [],
    'Rules[].Services[].Filters.RetryFilter.RetryOnConnectFailure': [],
    'Rules[].Services[].Filters.TimeoutFilter': [],
    'Rules[].Services[].Filters.TimeoutFilter.RequestTimeout': [],
    'Rules[].Services[].Filters.TimeoutFilter.IdleTimeout': [],
    'Rules[].Services[].Filters.JWT.Providers[].VerifyClaims': ['verify_claims'],
    'Rules[].Services[].Filters.ExtAuthz': [],
    'Rules[].Services[].ResponseFilters': [],
    'Rules[].Services[].TLS.SDS.ClusterName': ['cluster_name'],
    'Rules[].Services[].TLS.SDS.CertResource': ['cert_resource'],
    // HTTPService.Limits *UpstreamLimits: #23783 writes `rules[].services[].limits.passive_health_check`.
    ...upstreamLimits('Rules[].Services[].Limits.'),
    'Status.Conditions[].Resource.SectionName': [],
    'Status.Conditions[].LastTransitionTime': [],
  },
  // api/config_entry_routes.go TCPRouteConfigEntry
  'tcp-route': {
    'Parents[].SectionName': [],
    'Services[].TLS.SDS.ClusterName': ['cluster_name'],
    'Services[].TLS.SDS.CertResource': ['cert_resource'],
    ...upstreamLimits('Services[].Limits.'),
    'Status.Conditions[].Resource.SectionName': [],
    'Status.Conditions[].LastTransitionTime': [],
  },
  // api/config_entry_gateways.go BoundAPIGatewayConfigEntry
  'bound-api-gateway': {
    'Listeners[].Routes[].SectionName': [],
    'Listeners[].Certificates[].SectionName': [],
  },
  // api/config_entry_intentions.go ServiceIntentionsConfigEntry
  'service-intentions': {
    'Sources[].SamenessGroup': ['sameness_group'],
    'Sources[].Permissions[].HTTP.PathExact': ['path_exact'],
    'Sources[].Permissions[].HTTP.PathPrefix': ['path_prefix'],
    'Sources[].Permissions[].HTTP.PathRegex': ['path_regex'],
    'Sources[].Permissions[].HTTP.Header[].IgnoreCase': ['ignore_case'],
    'Sources[].Permissions[].JWT.Providers[].VerifyClaims': ['verify_claims'],
    'Sources[].LegacyID': ['legacy_id'],
    'Sources[].LegacyMeta': ['legacy_meta'],
    'Sources[].LegacyCreateTime': ['legacy_create_time'],
    'Sources[].LegacyUpdateTime': ['legacy_update_time'],
    'JWT.Providers[].VerifyClaims': ['verify_claims'],
  },
  // api/config_entry_exports.go ExportedServicesConfigEntry
  'exported-services': {
    'Services[].Consumers[].Peer': ['peer_name'],
    'Services[].Consumers[].SamenessGroup': ['sameness_group'],
  },
};

/**
 * Tags once not readable here, now settled (docs/fidelity.md "Stop 15"): api/config_entry.go at
 * hashicorp/consul 1fde583 (2026, the inference-gateway era) tags PassiveHealthCheck's
 * `enforcing_consecutive_gateway_failure`, `consecutive_5xx`, `consecutive_gateway_failure` and
 * UpstreamLimits' `passive_health_check`, as agent/structs/config_entry.go at 03658a0 does; and
 * neither ServiceConfigEntry.MaxRequestHeadersKB there nor APIGatewayListener.MaxRequestHeadersKB
 * (api/config_entry_gateways.go at 95b1ec6) has a tag, so their snake_case is refused. None is left.
 */
export const UNVERIFIED_ALIASES: readonly string[] = [];
