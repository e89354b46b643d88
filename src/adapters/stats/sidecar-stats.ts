// Reads one sidecar's Envoy stats over HTTP — its Prometheus endpoint (consul-k8s merged metrics,
// `envoy_prometheus_bind_addr`) or Envoy's admin `/stats?format=json` — and reduces them to the
// advisor's TrafficMetric figures with the parsers of src/stats.
import { request, type Dispatcher } from 'undici';
import type { TrafficMetric } from '../../core/advisor/model.ts';
import type { ConnectInstance } from '../consul/schemas.ts';
import {
  parseEnvoyStatsJson,
  parsePrometheusText,
  readsPromStat,
  snapshotFromEnvoyStats,
  snapshotFromPrometheus,
  type SidecarTrafficSnapshot,
} from '../../stats/index.ts';
import { BodyTooLargeError, readBounded } from './bounded-body.ts';
import type { EnvoyStatsConfig } from './config.ts';
import { toMs } from './config.ts';

/**
 * The admin stats the advisor needs and nothing else (tcp.permissive_public_listener.*, server.uptime, server.hot_restart_epoch: Envoy admin /stats?filter=); never
 * `usedonly`, which would hide a permissive counter that stayed at 0.
 */
export const ADMIN_STATS_FILTER =
  '^(tcp\\.permissive_public_listener\\.downstream_cx_(total|rx_bytes_total|tx_bytes_total)|' +
  '(tcp|http)\\.public_listener\\.(downstream_cx_total|downstream_cx_rx_bytes_total|downstream_rq_total)|' +
  'listener\\..*\\.(ssl\\.handshake|downstream_cx_active|downstream_cx_total)|server\\.uptime|' +
  'tcp\\.upstream\\.original-destination\\.downstream_cx_total)$';

const MAX_STATS_BYTES = 32 * 1024 * 1024;
const UNSPECIFIED = new Set(['', '0.0.0.0', '::', '[::]']);

/** `http://host:port/path` for one sidecar; a bind address on all interfaces means "the pod's IP". */
export function statsUrl(instance: ConnectInstance, config: EnvoyStatsConfig): URL {
  let host = instance.address;
  let port = config.port;
  if (config.format === 'prometheus' && config.useRegisteredMetricsAddress && instance.metricsBindAddress) {
    const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(instance.metricsBindAddress.trim());
    if (m) {
      const bindHost = m[1] ?? m[2] ?? '';
      if (!UNSPECIFIED.has(bindHost)) host = bindHost;
      port = Number(m[3]);
    }
  }
  const u = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  u.pathname = config.path;
  if (config.format === 'json') {
    u.searchParams.set('format', 'json');
    u.searchParams.set('filter', ADMIN_STATS_FILTER);
  }
  return u;
}

export type ScrapeOutcome = { ok: true; values: Partial<Record<TrafficMetric, number>> } | { ok: false; problem: string };

export async function scrapeSidecar(url: URL, instance: ConnectInstance, config: EnvoyStatsConfig, dispatcher?: Dispatcher): Promise<ScrapeOutcome> {
  let text: string;
  try {
    const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(toMs(config.timeout)), ...(dispatcher ? { dispatcher } : {}) });
    text = await readBounded(res.body, MAX_STATS_BYTES);
    // The address comes from the catalog, not from us: never echo what it answered into a report.
    if (res.statusCode !== 200) return { ok: false, problem: `HTTP ${res.statusCode}` };
  } catch (e) {
    if (e instanceof BodyTooLargeError) return { ok: false, problem: e.message };
    const err = e as Error & { code?: string };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { ok: false, problem: `no answer within ${config.timeout}` };
    return { ok: false, problem: `unreachable (${err.code ?? err.message})` };
  }
  const listener = { publicListenerPort: instance.port };
  let snapshot: SidecarTrafficSnapshot;
  let passthrough: number | undefined;
  if (config.format === 'json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return { ok: false, problem: 'the /stats answer is not JSON' };
    }
    const parsed = parseEnvoyStatsJson(doc);
    if (parsed.stats.length === 0) return { ok: false, problem: 'no Envoy stats in the answer' };
    snapshot = snapshotFromEnvoyStats(parsed.stats, listener);
    const p = parsed.stats.find((s) => s.name === 'tcp.upstream.original-destination.downstream_cx_total');
    passthrough = typeof p?.value === 'number' ? p.value : undefined;
  } else {
    // Only the stats the snapshot reads are parsed (all envoy_*; the passthrough counter is an
    // envoy_tcp_ one): the rest of a scrape is skipped line by line, unsplit.
    const parsed = parsePrometheusText(text, { keep: readsPromStat });
    let samples = parsed.samples;
    if (samples.length === 0) return { ok: false, problem: 'none of the Envoy stats the advisor reads in the answer' };
    // Merged metrics carry one sidecar; if they carry several (multi-port pods: one Envoy per
    // port), keep the one that fronts this service.
    const service = instance.destinationServiceName;
    if (samples.some((s) => s.labels.consul_source_service !== undefined)) samples = samples.filter((s) => s.labels.consul_source_service === service);
    snapshot = snapshotFromPrometheus(samples, listener);
    const p = samples.filter((s) => s.name === 'envoy_tcp_original_destination_downstream_cx_total' && s.labels.envoy_tcp_prefix === 'upstream');
    passthrough = p.length === 1 ? p[0].value : undefined;
  }
  return { ok: true, values: toValues(snapshot, passthrough) };
}

function toValues(s: SidecarTrafficSnapshot, passthrough: number | undefined): Partial<Record<TrafficMetric, number>> {
  const v: Partial<Record<TrafficMetric, number | undefined>> = {
    permissiveConnections: s.permissive.connectionsTotal,
    permissiveRxBytes: s.permissive.rxBytes,
    permissiveTxBytes: s.permissive.txBytes,
    mtlsHandshakes: s.mtls.tlsHandshakes,
    mtlsHttpRequests: s.mtls.httpRequestsTotal,
    mtlsRxBytes: s.mtls.rxBytes,
    uptime: s.uptimeSeconds,
    passthroughConnections: passthrough,
  };
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
}
