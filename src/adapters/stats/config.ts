// The `advisor.stats` section of consul-gitops.yaml: where traffic samples come from (Prometheus or
// the sidecars themselves) and every name a deployment may have relabelled; validated with zod.
import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { TRAFFIC_METRICS, type TrafficMetric } from '../../core/advisor/model.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3, y: 365 * 86400e3 };

/** A Prometheus duration (`30s`, `90m`, `1h30m`, `7d`) in ms; undefined when it is not one. */
export function parsePromDuration(text: string): number | undefined {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** A Prometheus duration, kept as text and read with toMs(). */
const Duration = z.string().check(z.refine((s) => (parsePromDuration(s) ?? 0) > 0, 'a duration such as "30s", "2m" or "7d"'));

/** An object section that may be left out: absent means all its own defaults. */
function withDefaults<T extends z.ZodMiniType<object>>(schema: T) {
  return z._default(schema, () => schema.parse({}) as never);
}

/** `name` or `name{matchers}` (a PromQL vector selector without the range). */
const Selector = z.string().check(z.regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/s, 'a PromQL selector such as metric{label="value"}'));
const LabelName = z.string().check(z.regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name'));
/** `10.0.0.0/8`, `fd00::/8`: an address and a prefix length that fits it. */
const Cidr = z.string().check(
  z.refine((s) => {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
    const family = m ? isIP(m[1]) : 0;
    return family !== 0 && Number(m![2]) <= (family === 4 ? 32 : 128);
  }, 'a network such as "10.0.0.0/8" or "fd00::/8"'),
);
const EnvName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable'));

/**
 * The series each TrafficMetric is read from, as consul-dataplane exposes them by default
 * (Envoy's tag extraction, source/common/config/well_known_names.cc; Consul's stat prefixes,
 * agent/xds/listeners.go makePermissiveFilterChain). Several selectors are read and merged: an
 * instance has either the TCP proxy's or the HTTP connection manager's public_listener, never both.
 */
export const DEFAULT_METRIC_SELECTORS: Record<TrafficMetric, string[]> = {
  permissiveConnections: ['envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener"}'],
  permissiveRxBytes: ['envoy_tcp_downstream_cx_rx_bytes_total{envoy_tcp_prefix="permissive_public_listener"}'],
  permissiveTxBytes: ['envoy_tcp_downstream_cx_tx_bytes_total{envoy_tcp_prefix="permissive_public_listener"}'],
  mtlsHandshakes: ['envoy_listener_ssl_handshake{envoy_listener_address=~".*_20000"}'],
  mtlsHttpRequests: ['envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix="public_listener"}'],
  mtlsRxBytes: [
    'envoy_tcp_downstream_cx_rx_bytes_total{envoy_tcp_prefix="public_listener"}',
    'envoy_http_downstream_cx_rx_bytes_total{envoy_http_conn_manager_prefix="public_listener"}',
  ],
  uptime: ['envoy_server_uptime'],
  // Dotted stat prefixes keep only their first segment as the label (Envoy's tag extraction in source/common/stats/tag_extractor_impl.cc, as consul-dataplane's Prometheus output shows).
  passthroughConnections: ['envoy_tcp_original_destination_downstream_cx_total{envoy_tcp_prefix="upstream"}'],
};

const MetricsSchema = z.partialRecord(
  z.enum(TRAFFIC_METRICS as [TrafficMetric, ...TrafficMetric[]]),
  z.union([Selector, z.array(Selector).check(z.minLength(1))]),
);

export const PrometheusStatsSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  auth: withDefaults(
    z.strictObject({
      /** Names of environment variables, never the secrets themselves. */
      bearerTokenEnv: z._default(EnvName, 'PROMETHEUS_BEARER_TOKEN'),
      bearerTokenFileEnv: z._default(EnvName, 'PROMETHEUS_BEARER_TOKEN_FILE'),
      usernameEnv: z._default(EnvName, 'PROMETHEUS_USERNAME'),
      passwordEnv: z._default(EnvName, 'PROMETHEUS_PASSWORD'),
      /** Amazon Managed Service for Prometheus: SigV4 with the AWS default credential chain. */
      sigv4: z.optional(z.strictObject({ region: z.optional(z.string()), service: z._default(z.string(), 'aps') })),
    }),
  ),
  labels: withDefaults(
    z.strictObject({
      service: z._default(LabelName, 'consul_source_service'),
      namespace: z._default(LabelName, 'consul_source_namespace'),
      partition: z._default(LabelName, 'consul_source_partition'),
      /** Only the datacenter Consul lists the service's sidecars in is evidence (one Prometheus may hold several). */
      datacenter: z._default(LabelName, 'consul_source_datacenter'),
      /** The first of these present on a series names the instance. */
      instance: z._default(z.array(LabelName).check(z.minLength(1)), ['pod', 'kubernetes_pod_name', 'instance']),
    }),
  ),
  metrics: z._default(MetricsSchema, {}),
  /** Services per query (`consul_source_service=~"a|b|c"`). */
  batchSize: z._default(z.int().check(z.gte(1), z.lte(200)), 20),
  /** Samples one query may return; past it the batch's data is refused and reported. */
  sampleLimit: z._default(z.int().check(z.gte(1)), 2_000_000),
  /** Response bytes one query may return (the body is not read past it). */
  maxResponseBytes: z._default(z.int().check(z.gte(1024)), 256 * 1024 * 1024),
  timeout: z._default(Duration, '60s'),
  /** Attempts per query for 5xx and connection failures. */
  attempts: z._default(z.int().check(z.gte(1), z.lte(5)), 3),
});

export const EnvoyStatsSchema = z.strictObject({
  /**
   * Where each sidecar's stats are read when its registration has no `envoy_prometheus_bind_addr`
   * (consul-k8s sets it to 0.0.0.0:<prometheus-scrape-port>, 20200 by default).
   */
  port: z._default(z.int().check(z.gte(1), z.lte(65535)), 20200),
  /** `/metrics` (merged metrics, Prometheus text) or `/stats` (Envoy admin via envoy_stats_bind_addr). */
  path: z._default(z.string().check(z.regex(/^\/[^?#]*$/, 'a path such as /metrics')), '/metrics'),
  format: z._default(z.enum(['prometheus', 'json']), 'prometheus'),
  /** Use the registration's envoy_prometheus_bind_addr port when present (format prometheus only). */
  useRegisteredMetricsAddress: z._default(z.boolean(), true),
  timeout: z._default(Duration, '5s'),
  /** How often the schedule polls: reported to the decision as the scrape interval. */
  interval: z.optional(Duration),
  /**
   * History older than this and older than the asked window is pruned. A one-off run with a short
   * `--window` must not throw away the evidence the schedule has been collecting for days.
   */
  retention: z._default(Duration, '7d'),
  /** Encoded history per instance kept in Consul KV (Consul's limit is 512 KiB per value). */
  maxHistoryBytes: z._default(z.int().check(z.gte(1024), z.lte(400 * 1024)), 200 * 1024),
  /**
   * The networks a sidecar's stats address may be in (the catalog names it, and whoever may
   * register a service in Consul may name any address). Unset: the private networks
   * (sidecar-address.ts DEFAULT_SIDECAR_NETWORKS) minus the cloud metadata addresses, and loopback
   * for the CLI only (not under serve or Lambda); a pod network on public addresses, or loopback on a
   * server, is listed here.
   */
  allowedNetworks: z.optional(z.array(Cidr).check(z.minLength(1))),
  /** Sidecars scraped at once. */
  concurrency: z._default(z.int().check(z.gte(1), z.lte(64)), 8),
});

/** A target's `advisor.stats` section: exactly one source. */
export const StatsConfigSchema = z.union([z.strictObject({ prometheus: PrometheusStatsSchema }), z.strictObject({ envoy: EnvoyStatsSchema })]);

export type PrometheusStatsConfig = z.infer<typeof PrometheusStatsSchema>;
export type EnvoyStatsConfig = z.infer<typeof EnvoyStatsSchema>;
export type StatsConfig = z.infer<typeof StatsConfigSchema>;

/** Duration text (already validated) to milliseconds. */
export function toMs(duration: string): number {
  return parsePromDuration(duration) ?? 0;
}

/** The selectors for each metric: configured ones replace the defaults metric by metric. */
export function metricSelectors(config: PrometheusStatsConfig): Record<TrafficMetric, string[]> {
  const out = { ...DEFAULT_METRIC_SELECTORS };
  for (const [metric, sel] of Object.entries(config.metrics) as [TrafficMetric, string | string[] | undefined][]) {
    if (sel !== undefined) out[metric] = Array.isArray(sel) ? sel : [sel];
  }
  return out;
}
