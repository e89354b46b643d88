// The alias table spells each shared Consul struct once (passiveHealthCheck, upstreamConfig,
// PROXY_SETTINGS, gatewayTLS, meshDirectionalTLS in src/model/consul-aliases.ts). This literal is
// the table of the kinds that embed them as it was written out row by row before that sharing
// (commit a9acf3d): one line per field path, its accepted spellings after the space.
import { describe, expect, it } from 'vitest';
import { CONSUL_ALIASES } from '../../../src/model/consul-aliases.ts';

const WRITTEN_OUT: Record<string, readonly string[]> = {
  mesh: [
    'AllowEnablingPermissiveMutualTLS allow_enabling_permissive_mutual_tls',
    'HTTP.Incoming.RequestNormalization request_normalization',
    'HTTP.Incoming.RequestNormalization.HeadersWithUnderscoresAction headers_with_underscores_action',
    'HTTP.Incoming.RequestNormalization.InsecureDisablePathNormalization insecure_disable_path_normalization',
    'HTTP.Incoming.RequestNormalization.MergeSlashes merge_slashes',
    'HTTP.Incoming.RequestNormalization.PathWithEscapedSlashesAction path_with_escaped_slashes_action',
    'HTTP.SanitizeXForwardedClientCert sanitize_x_forwarded_client_cert',
    'Peering.PeerThroughMeshGateways peer_through_mesh_gateways',
    'TLS.Incoming.CipherSuites cipher_suites',
    'TLS.Incoming.ECDHCurves ecdh_curves',
    'TLS.Incoming.TLSMaxVersion tls_max_version',
    'TLS.Incoming.TLSMinVersion tls_min_version',
    'TLS.Outgoing.CipherSuites cipher_suites',
    'TLS.Outgoing.ECDHCurves ecdh_curves',
    'TLS.Outgoing.TLSMaxVersion tls_max_version',
    'TLS.Outgoing.TLSMinVersion tls_min_version',
    'TransparentProxy transparent_proxy',
    'TransparentProxy.MeshDestinationsOnly mesh_destinations_only',
    'ValidateClusters validate_clusters',
  ],
  'proxy-defaults': [
    'AccessLogs access_logs',
    'AccessLogs.DisableListenerLogs disable_listener_logs',
    'AccessLogs.JSONFormat json_format',
    'AccessLogs.TextFormat text_format',
    'EnvoyExtensions envoy_extensions',
    'EnvoyExtensions[].ConsulVersion ',
    'EnvoyExtensions[].EnvoyVersion ',
    'Expose.Paths[].ListenerPort listener_port',
    'Expose.Paths[].LocalPathPort local_path_port',
    'Expose.Paths[].ParsedFromCheck ',
    'FailoverPolicy failover_policy',
    'MeshGateway mesh_gateway',
    'MutualTLSMode mutual_tls_mode',
    'PrioritizeByLocality prioritize_by_locality',
    'TransparentProxy transparent_proxy',
    'TransparentProxy.DialedDirectly dialed_directly',
    'TransparentProxy.OutboundListenerPort outbound_listener_port',
  ],
  'service-defaults': [
    'BalanceInboundConnections balance_inbound_connections',
    'EnvoyExtensions envoy_extensions',
    'EnvoyExtensions[].ConsulVersion ',
    'EnvoyExtensions[].EnvoyVersion ',
    'Expose.Paths[].ListenerPort listener_port',
    'Expose.Paths[].LocalPathPort local_path_port',
    'Expose.Paths[].ParsedFromCheck ',
    'ExternalSNI external_sni',
    'LocalConnectTimeoutMs local_connect_timeout_ms',
    'LocalRequestTimeoutMs local_request_timeout_ms',
    'MaxInboundConnections max_inbound_connections',
    'MaxRequestHeadersKB ',
    'MeshGateway mesh_gateway',
    'MutualTLSMode mutual_tls_mode',
    'RateLimits rate_limits',
    'RateLimits.InstanceLevel instance_level',
    'RateLimits.InstanceLevel.RequestsMaxBurst requests_max_burst',
    'RateLimits.InstanceLevel.RequestsPerSecond requests_per_second',
    'RateLimits.InstanceLevel.Routes[].PathExact path_exact',
    'RateLimits.InstanceLevel.Routes[].PathPrefix path_prefix',
    'RateLimits.InstanceLevel.Routes[].PathRegex path_regex',
    'RateLimits.InstanceLevel.Routes[].RequestsMaxBurst requests_max_burst',
    'RateLimits.InstanceLevel.Routes[].RequestsPerSecond requests_per_second',
    'TransparentProxy transparent_proxy',
    'TransparentProxy.DialedDirectly dialed_directly',
    'TransparentProxy.OutboundListenerPort outbound_listener_port',
    'UpstreamConfig upstream_config',
    'UpstreamConfig.Defaults.BalanceOutboundConnections balance_outbound_connections',
    'UpstreamConfig.Defaults.ConnectTimeoutMs connect_timeout_ms',
    'UpstreamConfig.Defaults.EnvoyClusterJSON envoy_cluster_json',
    'UpstreamConfig.Defaults.EnvoyListenerJSON envoy_listener_json',
    'UpstreamConfig.Defaults.Limits.MaxConcurrentRequests max_concurrent_requests',
    'UpstreamConfig.Defaults.Limits.MaxConnections max_connections',
    'UpstreamConfig.Defaults.Limits.MaxPendingRequests max_pending_requests',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck passive_health_check',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.BaseEjectionTime base_ejection_time',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.Consecutive5xx consecutive_5xx',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.ConsecutiveGatewayFailure consecutive_gateway_failure',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.EnforcingConsecutive5xx enforcing_consecutive_5xx',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.EnforcingConsecutiveGatewayFailure enforcing_consecutive_gateway_failure',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.MaxEjectionPercent max_ejection_percent',
    'UpstreamConfig.Defaults.Limits.PassiveHealthCheck.MaxFailures max_failures',
    'UpstreamConfig.Defaults.MeshGateway mesh_gateway',
    'UpstreamConfig.Defaults.PassiveHealthCheck passive_health_check',
    'UpstreamConfig.Defaults.PassiveHealthCheck.BaseEjectionTime base_ejection_time',
    'UpstreamConfig.Defaults.PassiveHealthCheck.Consecutive5xx consecutive_5xx',
    'UpstreamConfig.Defaults.PassiveHealthCheck.ConsecutiveGatewayFailure consecutive_gateway_failure',
    'UpstreamConfig.Defaults.PassiveHealthCheck.EnforcingConsecutive5xx enforcing_consecutive_5xx',
    'UpstreamConfig.Defaults.PassiveHealthCheck.EnforcingConsecutiveGatewayFailure enforcing_consecutive_gateway_failure',
    'UpstreamConfig.Defaults.PassiveHealthCheck.MaxEjectionPercent max_ejection_percent',
    'UpstreamConfig.Defaults.PassiveHealthCheck.MaxFailures max_failures',
    'UpstreamConfig.Overrides[].BalanceOutboundConnections balance_outbound_connections',
    'UpstreamConfig.Overrides[].ConnectTimeoutMs connect_timeout_ms',
    'UpstreamConfig.Overrides[].EnvoyClusterJSON envoy_cluster_json',
    'UpstreamConfig.Overrides[].EnvoyListenerJSON envoy_listener_json',
    'UpstreamConfig.Overrides[].Limits.MaxConcurrentRequests max_concurrent_requests',
    'UpstreamConfig.Overrides[].Limits.MaxConnections max_connections',
    'UpstreamConfig.Overrides[].Limits.MaxPendingRequests max_pending_requests',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck passive_health_check',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.BaseEjectionTime base_ejection_time',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.Consecutive5xx consecutive_5xx',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.ConsecutiveGatewayFailure consecutive_gateway_failure',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.EnforcingConsecutive5xx enforcing_consecutive_5xx',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.EnforcingConsecutiveGatewayFailure enforcing_consecutive_gateway_failure',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.MaxEjectionPercent max_ejection_percent',
    'UpstreamConfig.Overrides[].Limits.PassiveHealthCheck.MaxFailures max_failures',
    'UpstreamConfig.Overrides[].MeshGateway mesh_gateway',
    'UpstreamConfig.Overrides[].PassiveHealthCheck passive_health_check',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.BaseEjectionTime base_ejection_time',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.Consecutive5xx consecutive_5xx',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.ConsecutiveGatewayFailure consecutive_gateway_failure',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.EnforcingConsecutive5xx enforcing_consecutive_5xx',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.EnforcingConsecutiveGatewayFailure enforcing_consecutive_gateway_failure',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.MaxEjectionPercent max_ejection_percent',
    'UpstreamConfig.Overrides[].PassiveHealthCheck.MaxFailures max_failures',
  ],
  'ingress-gateway': [
    'Defaults.MaxConcurrentRequests ',
    'Defaults.MaxConnections ',
    'Defaults.MaxPendingRequests ',
    'Defaults.PassiveHealthCheck passive_health_check',
    'Defaults.PassiveHealthCheck.BaseEjectionTime base_ejection_time',
    'Defaults.PassiveHealthCheck.Consecutive5xx consecutive_5xx',
    'Defaults.PassiveHealthCheck.ConsecutiveGatewayFailure consecutive_gateway_failure',
    'Defaults.PassiveHealthCheck.EnforcingConsecutive5xx enforcing_consecutive_5xx',
    'Defaults.PassiveHealthCheck.EnforcingConsecutiveGatewayFailure enforcing_consecutive_gateway_failure',
    'Defaults.PassiveHealthCheck.MaxEjectionPercent max_ejection_percent',
    'Defaults.PassiveHealthCheck.MaxFailures max_failures',
    'Listeners[].Services[].MaxConcurrentRequests max_concurrent_requests',
    'Listeners[].Services[].MaxConnections max_connections',
    'Listeners[].Services[].MaxPendingRequests max_pending_requests',
    'Listeners[].Services[].PassiveHealthCheck passive_health_check',
    'Listeners[].Services[].PassiveHealthCheck.BaseEjectionTime base_ejection_time',
    'Listeners[].Services[].PassiveHealthCheck.Consecutive5xx consecutive_5xx',
    'Listeners[].Services[].PassiveHealthCheck.ConsecutiveGatewayFailure consecutive_gateway_failure',
    'Listeners[].Services[].PassiveHealthCheck.EnforcingConsecutive5xx enforcing_consecutive_5xx',
    'Listeners[].Services[].PassiveHealthCheck.EnforcingConsecutiveGatewayFailure enforcing_consecutive_gateway_failure',
    'Listeners[].Services[].PassiveHealthCheck.MaxEjectionPercent max_ejection_percent',
    'Listeners[].Services[].PassiveHealthCheck.MaxFailures max_failures',
    'Listeners[].Services[].RequestHeaders request_headers',
    'Listeners[].Services[].ResponseHeaders response_headers',
    'Listeners[].Services[].TLS.SDS.CertResource cert_resource',
    'Listeners[].Services[].TLS.SDS.ClusterName cluster_name',
    'Listeners[].TLS.CipherSuites cipher_suites',
    'Listeners[].TLS.SDS.CertResource cert_resource',
    'Listeners[].TLS.SDS.ClusterName cluster_name',
    'Listeners[].TLS.TLSMaxVersion tls_max_version',
    'Listeners[].TLS.TLSMinVersion tls_min_version',
    'TLS.CipherSuites cipher_suites',
    'TLS.SDS.CertResource cert_resource',
    'TLS.SDS.ClusterName cluster_name',
    'TLS.TLSMaxVersion tls_max_version',
    'TLS.TLSMinVersion tls_min_version',
  ],
};

function rows(kind: string): string[] {
  return Object.entries(CONSUL_ALIASES[kind] ?? {})
    .map(([path, spellings]) => `${path} ${spellings.join(',')}`)
    .sort();
}

describe('shared alias definitions', () => {
  for (const [kind, expected] of Object.entries(WRITTEN_OUT))
    it(`${kind}: the same field paths and spellings as the table written out row by row`, () => {
      expect(rows(kind)).toEqual([...expected].sort());
    });

  it('proxy-defaults and service-defaults spell their common proxy settings alike', () => {
    const common = (kind: string) => rows(kind).filter((r) => /^(TransparentProxy|MutualTLSMode|MeshGateway |Expose|EnvoyExtensions)/.test(r));
    expect(common('proxy-defaults')).toEqual(common('service-defaults'));
    expect(common('service-defaults')).toHaveLength(11);
  });

  it('upstream overrides and defaults spell UpstreamConfig alike', () => {
    const at = (prefix: string) =>
      rows('service-defaults')
        .filter((r) => r.startsWith(prefix))
        .map((r) => r.slice(prefix.length));
    expect(at('UpstreamConfig.Overrides[].')).toEqual(at('UpstreamConfig.Defaults.'));
    expect(at('UpstreamConfig.Defaults.')).toHaveLength(24);
  });
});
