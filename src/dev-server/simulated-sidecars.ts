// Simulated Envoy sidecars for tests and `npm start`: one loopback HTTP server per instance serving
// Envoy's stats the way a consul-dataplane sidecar does (`/metrics` and `/stats/prometheus` in
// Prometheus text, `/stats?format=json|text&filter=…` in admin form), with counters that advance
// by a per-instance script, and a helper that registers each one in a Consul catalog as
// consul-k8s's endpoints controller registers a sidecar (Proxy.Config.envoy_prometheus_bind_addr).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { ConsulGitopsError } from '../errors.ts';

/** What one sidecar's traffic looks like over time. Times are ms after the sidecars started. */
export interface SidecarScript {
  service: string;
  /** The pod name (Consul service meta `pod-name`). */
  instance: string;
  protocol?: 'tcp' | 'http';
  /** The permissive filter chain exists (tproxy + permissive). Default true. */
  permissive?: boolean;
  plaintext?: { connectionsPerSecond: number; bytesPerConnection?: number; stopsAfterMs?: number };
  /** Real mTLS use: TLS handshakes (and, for http, requests) per second. */
  mtls?: { handshakesPerSecond: number; requestsPerHandshake?: number; bytesPerHandshake?: number };
  /** Outbound connections to non-mesh destinations per second (the passthrough chain). */
  passthroughPerSecond?: number;
  /** Envoy restarts (every counter back to 0, uptime too): consul-dataplane never hot-restarts. */
  restartsAtMs?: number[];
  datacenter?: string;
}

export interface SimulatedSidecar {
  script: SidecarScript;
  host: '127.0.0.1';
  port: number;
  /** The public (mTLS) listener port Consul would register for the proxy. */
  proxyPort: number;
  /** Counters as the sidecar would report them right now. */
  counters(): SidecarCounters;
}

export interface SidecarCounters {
  permissiveConnections: number;
  permissiveRxBytes: number;
  permissiveTxBytes: number;
  mtlsConnections: number;
  mtlsHandshakes: number;
  mtlsHttpRequests: number;
  mtlsRxBytes: number;
  passthroughConnections: number;
  uptimeSeconds: number;
}

export interface SimulatedSidecars {
  sidecars: SimulatedSidecar[];
  /** Stop one sidecar's server (it becomes unreachable), as a pod that died. */
  stopInstance(instance: string): Promise<void>;
  close(): Promise<void>;
}

export interface SimulatedSidecarOptions {
  /** Clock in ms; tests drive it to advance counters deterministically. */
  now?: () => number;
  /** The proxy's public listener port (consul-k8s: 20000). */
  proxyPort?: number;
}

const PROBE_INTERVAL_MS = 10_000; // kubelet TCP readiness probe on 20000: zero-byte, no handshake

export function countersAt(script: SidecarScript, elapsedMs: number): SidecarCounters {
  const e = Math.max(0, elapsedMs);
  const processStart = Math.max(0, ...(script.restartsAtMs ?? []).filter((r) => r <= e));
  const alive = e - processStart;
  const count = (perSecond: number, from: number, to: number): number => Math.floor((perSecond * Math.max(0, to - from)) / 1000);
  const p = script.plaintext;
  const plainConns = p ? count(p.connectionsPerSecond, processStart, Math.min(e, p.stopsAfterMs ?? Infinity)) : 0;
  const handshakes = script.mtls ? count(script.mtls.handshakesPerSecond, processStart, e) : 0;
  return {
    permissiveConnections: plainConns,
    permissiveRxBytes: plainConns * (p?.bytesPerConnection ?? 300),
    permissiveTxBytes: plainConns * 2 * (p?.bytesPerConnection ?? 300),
    mtlsConnections: handshakes + Math.floor(alive / PROBE_INTERVAL_MS),
    mtlsHandshakes: handshakes,
    mtlsHttpRequests: script.protocol === 'http' ? handshakes * (script.mtls?.requestsPerHandshake ?? 3) : 0,
    mtlsRxBytes: handshakes * (script.mtls?.bytesPerHandshake ?? 900),
    passthroughConnections: count(script.passthroughPerSecond ?? 0, processStart, e),
    uptimeSeconds: Math.floor(alive / 1000),
  };
}

interface Stat {
  /** Envoy's admin name, e.g. `tcp.permissive_public_listener.downstream_cx_total`. */
  admin: string;
  /** Prometheus family and the tag-extracted label (well_known_names.cc). */
  prom: string;
  tag?: [string, string];
  type: 'counter' | 'gauge';
  value: number;
}

function statsOf(script: SidecarScript, c: SidecarCounters, listenerAddress: string): Stat[] {
  const http = script.protocol === 'http';
  const out: Stat[] = [];
  const tcp = (prefix: string, stat: string, value: number, type: Stat['type'] = 'counter') =>
    out.push({ admin: `tcp.${prefix}.${stat}`, prom: `envoy_tcp_${stat}`, tag: ['envoy_tcp_prefix', prefix], type, value });
  const hcm = (stat: string, value: number, type: Stat['type'] = 'counter') =>
    out.push({ admin: `http.public_listener.${stat}`, prom: `envoy_http_${stat}`, tag: ['envoy_http_conn_manager_prefix', 'public_listener'], type, value });
  if (script.permissive !== false) {
    tcp('permissive_public_listener', 'downstream_cx_total', c.permissiveConnections);
    tcp('permissive_public_listener', 'downstream_cx_rx_bytes_total', c.permissiveRxBytes);
    tcp('permissive_public_listener', 'downstream_cx_tx_bytes_total', c.permissiveTxBytes);
    tcp('permissive_public_listener', 'downstream_cx_rx_bytes_buffered', 0, 'gauge');
  }
  if (http) {
    hcm('downstream_cx_total', c.mtlsConnections);
    hcm('downstream_rq_total', c.mtlsHttpRequests);
    hcm('downstream_cx_rx_bytes_total', c.mtlsRxBytes);
  } else {
    tcp('public_listener', 'downstream_cx_total', c.mtlsConnections);
    tcp('public_listener', 'downstream_cx_rx_bytes_total', c.mtlsRxBytes);
  }
  out.push({
    admin: `listener.${listenerAddress}.ssl.handshake`,
    prom: 'envoy_listener_ssl_handshake',
    tag: ['envoy_listener_address', listenerAddress],
    type: 'counter',
    value: c.mtlsHandshakes,
  });
  out.push({
    admin: `listener.${listenerAddress}.downstream_cx_total`,
    prom: 'envoy_listener_downstream_cx_total',
    tag: ['envoy_listener_address', listenerAddress],
    type: 'counter',
    value: c.mtlsConnections + c.permissiveConnections,
  });
  // Dotted prefix: only "upstream" becomes the label, the rest stays in the name (Envoy's tag extraction in source/common/stats/tag_extractor_impl.cc, as consul-dataplane's Prometheus output shows).
  out.push({
    admin: 'tcp.upstream.original-destination.downstream_cx_total',
    prom: 'envoy_tcp_original_destination_downstream_cx_total',
    tag: ['envoy_tcp_prefix', 'upstream'],
    type: 'counter',
    value: c.passthroughConnections,
  });
  out.push({ admin: 'server.uptime', prom: 'envoy_server_uptime', type: 'gauge', value: c.uptimeSeconds });
  out.push({ admin: 'server.hot_restart_epoch', prom: 'envoy_server_hot_restart_epoch', type: 'gauge', value: 0 });
  return out;
}

/** Prometheus text with consul-dataplane's fixed tags first (bootstrap_config.go generateStatsTags). */
export function renderPrometheus(script: SidecarScript, stats: readonly Stat[]): string {
  const fixed = `local_cluster="${script.service}",consul_source_service="${script.service}",consul_source_namespace="default",consul_source_partition="default",consul_source_datacenter="${script.datacenter ?? 'dc1'}"`;
  const families = new Map<string, Stat[]>();
  for (const s of stats) families.set(s.prom, [...(families.get(s.prom) ?? []), s]);
  const ordered = [...families].sort(([a, x], [b, y]) => (x[0].type === y[0].type ? a.localeCompare(b) : x[0].type === 'counter' ? -1 : 1));
  const lines: string[] = ['# TYPE consul_dataplane_envoy_connected gauge', 'consul_dataplane_envoy_connected 1'];
  for (const [name, list] of ordered) {
    lines.push(`# TYPE ${name} ${list[0].type}`);
    for (const s of list) lines.push(`${name}{${fixed}${s.tag ? `,${s.tag[0]}="${s.tag[1]}"` : ''}} ${s.value}`);
    lines.push('');
  }
  return lines.join('\n');
}

export async function startSimulatedSidecars(scripts: readonly SidecarScript[], options: SimulatedSidecarOptions = {}): Promise<SimulatedSidecars> {
  const now = options.now ?? Date.now;
  const started = now();
  const proxyPort = options.proxyPort ?? 20000;
  const servers = new Map<string, Server>();
  const sidecars: SimulatedSidecar[] = [];
  for (const script of scripts) {
    const counters = (): SidecarCounters => countersAt(script, now() - started);
    const listenerAddress = `127.0.0.1_${proxyPort}`;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://sidecar');
      const stats = statsOf(script, counters(), listenerAddress);
      if (
        url.pathname === '/metrics' ||
        url.pathname === '/stats/prometheus' ||
        (url.pathname === '/stats' && url.searchParams.get('format') === 'prometheus')
      ) {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(renderPrometheus(script, stats));
        return;
      }
      if (url.pathname === '/stats') {
        let filter: RegExp | undefined;
        try {
          const f = url.searchParams.get('filter');
          filter = f ? new RegExp(f) : undefined;
        } catch {
          res.writeHead(400).end('Invalid re2 regex');
          return;
        }
        const picked = stats.filter((s) => !filter || filter.test(s.admin)).sort((a, b) => (a.admin < b.admin ? -1 : 1));
        if (url.searchParams.get('format') === 'json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ stats: picked.map((s) => ({ name: s.admin, value: s.value })) }));
        } else {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(picked.map((s) => `${s.admin}: ${s.value}\n`).join(''));
        }
        return;
      }
      res.writeHead(404).end('not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.set(script.instance, server);
    sidecars.push({ script, host: '127.0.0.1', port: (server.address() as AddressInfo).port, proxyPort, counters });
  }
  const closeOne = (s: Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  return {
    sidecars,
    async stopInstance(instance) {
      const s = servers.get(instance);
      servers.delete(instance);
      if (s) await closeOne(s);
    },
    async close() {
      await Promise.all([...servers.values()].map(closeOne));
      servers.clear();
    },
  };
}

/**
 * Registers each sidecar in a Consul catalog (`PUT /v1/catalog/register`) the way consul-k8s's
 * endpoints controller does (control-plane/connect-inject/controllers/endpoints/endpoints_controller.go):
 * the service and its `connect-proxy` with `pod-name` meta, transparent mode, the local service
 * port, and `Proxy.Config.envoy_prometheus_bind_addr = "0.0.0.0:<scrape port>"`.
 */
export async function registerSimulatedSidecars(consulUrl: string, sidecars: readonly SimulatedSidecar[], token?: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['x-consul-token'] = token;
  const put = async (body: unknown): Promise<void> => {
    const res = await request(new URL('/v1/catalog/register', consulUrl), { method: 'PUT', headers, body: JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new ConsulGitopsError('dev-server', `catalog register failed: HTTP ${res.statusCode} ${text}`);
  };
  for (const s of sidecars) {
    const { service, instance } = s.script;
    const meta = { 'pod-name': instance, 'k8s-namespace': 'default', 'managed-by': 'consul-k8s-endpoints-controller', 'synthetic-node': 'true' };
    const node = { Node: 'k8s-node-sim', Address: '127.0.0.1', NodeMeta: { 'synthetic-node': 'true' } };
    await put({ ...node, Service: { ID: `${instance}-${service}`, Service: service, Port: 8080, Address: s.host, Meta: meta } });
    await put({
      ...node,
      Service: {
        Kind: 'connect-proxy',
        ID: `${instance}-${service}-sidecar-proxy`,
        Service: `${service}-sidecar-proxy`,
        Port: s.proxyPort,
        Address: s.host,
        Meta: meta,
        Proxy: {
          DestinationServiceName: service,
          DestinationServiceID: `${instance}-${service}`,
          LocalServiceAddress: '127.0.0.1',
          LocalServicePort: 8080,
          Mode: 'transparent',
          Config: { envoy_prometheus_bind_addr: `0.0.0.0:${s.port}` },
        },
      },
    });
  }
}
