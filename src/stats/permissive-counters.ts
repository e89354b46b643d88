// permissive-counters: reduce one sidecar's Envoy stats (admin text/JSON or Prometheus form) to the
// few numbers the strict-mode advisor judges: plaintext (permissive chain) vs mTLS traffic, and uptime.
import type { EnvoyStat } from './envoy-text.ts';
import type { PromSample } from './prometheus-text.ts';

/**
 * What one sidecar (one Envoy process) says about its inbound traffic. Every number is the raw
 * counter/gauge at scrape time (counters restart at 0 with Envoy); `undefined` means "not in the
 * input" or "ambiguous in the input", never zero — the advisor must treat it as unknown.
 */
export interface SidecarTrafficSnapshot {
  permissive: {
    /**
     * Any `tcp.permissive_public_listener.*` stat exists. Consul only builds the permissive chain
     * in tproxy mode with a service port, and removes it in strict mode, so `false` means "no
     * plaintext path" (or stats filtered away, e.g. with `usedonly`).
     */
    listenerPresent: boolean;
    connectionsTotal?: number;
    rxBytes?: number;
    txBytes?: number;
    /**
     * Envoy's TCP proxy has no per-prefix active-connections gauge. Filled from one if it ever
     * appears; otherwise set to 0 only when the whole inbound listener (both chains) has 0 active
     * connections — an exact bound — and left unknown when it has some, as they may be mTLS.
     */
    activeConnections?: number;
  };
  mtls: {
    /**
     * `tcp.public_listener.downstream_cx_total` (TCP services) or the HTTP connection manager's
     * `http.public_listener.downstream_cx_total` (http/http2/grpc). Inflated by the kubelet TCP
     * readiness probe on port 20000 (zero-byte, no-handshake connections): not proof of mTLS use.
     */
    connectionsTotal?: number;
    /** `listener.<ip>_20000.ssl.handshake`: successful TLS handshakes, the honest mTLS signal. */
    tlsHandshakes?: number;
    /** `http.public_listener.downstream_rq_total`; only HTTP-like services have it. */
    httpRequestsTotal?: number;
    /** Bytes read from mTLS downstreams (`tcp.` or `http.public_listener.downstream_cx_rx_bytes_total`). */
    rxBytes?: number;
  };
  /** `server.uptime` (a gauge): lets the advisor spot Envoy restarts, which reset every counter. */
  uptimeSeconds?: number;
}

export interface SnapshotOptions {
  /**
   * Port of the inbound (public) listener, used to pick `listener.<ip>_<port>.*` among the other
   * listeners (outbound 15001, metrics 20200, …). Default 20000; multi-port pods use 20000+index.
   */
  publicListenerPort?: number;
  /** Exact listener address as Envoy names it (`10.42.0.17_20000`); overrides the port lookup. */
  publicListenerAddress?: string;
}

export interface PromSnapshotOptions extends SnapshotOptions {
  /**
   * Only samples carrying all these labels are used, to pick one sidecar out of a multi-pod
   * input (e.g. `{ kubernetes_pod_name: 'web-7c9d…' }`). Without it the input must be one sidecar.
   */
  match?: Record<string, string>;
}

/** Consul's stat_prefix for the permissive chain: "permissive_" + "public_listener" (agent/xds/listeners.go). */
export const PERMISSIVE_STAT_PREFIX = 'permissive_public_listener';
/** Consul's stat_prefix for the mTLS chain, for the TCP proxy and the HTTP connection manager alike. */
export const PUBLIC_STAT_PREFIX = 'public_listener';
export const DEFAULT_PUBLIC_LISTENER_PORT = 20000;

/** The same stat, addressed independently of the exposition form. */
type StatRef = { kind: 'tcp' | 'http'; prefix: string; stat: string } | { kind: 'listener'; address: string; stat: string } | { kind: 'server'; stat: string };

interface StatSource {
  /** The value, or undefined when absent, non-numeric or given twice with different values. */
  value(ref: StatRef): number | undefined;
  hasTcpPrefix(prefix: string): boolean;
  listenerAddresses(): string[];
}

// ---------- Envoy admin form (`/stats`, `/stats?format=json`) ----------

export function snapshotFromEnvoyStats(stats: readonly EnvoyStat[], options: SnapshotOptions = {}): SidecarTrafficSnapshot {
  const byName = new Map<string, Array<number | string>>();
  for (const s of stats) {
    const list = byName.get(s.name);
    if (list) list.push(s.value);
    else byName.set(s.name, [s.value]);
  }
  const nameOf = (ref: StatRef): string =>
    ref.kind === 'listener' ? `listener.${ref.address}.${ref.stat}` : ref.kind === 'server' ? `server.${ref.stat}` : `${ref.kind}.${ref.prefix}.${ref.stat}`;

  const source: StatSource = {
    value: (ref) => uniqueNumber(byName.get(nameOf(ref)) ?? []),
    // Exact segment match: an upstream's prefix (`tcp.upstream.<name>…`) can never be mistaken for it.
    hasTcpPrefix: (prefix) => stats.some((s) => s.name.startsWith(`tcp.${prefix}.`)),
    listenerAddresses: () => {
      const found = new Set<string>();
      for (const name of byName.keys()) {
        // Addresses contain dots (`listener.10.42.0.17_20000.ssl.handshake`), so anchor on the
        // known stat suffixes instead of splitting on dots.
        const m = /^listener\.(.+)\.(?:ssl\.handshake|downstream_cx_active|downstream_cx_total)$/.exec(name);
        if (m && !m[1].includes('.worker_')) found.add(m[1]);
      }
      return [...found];
    },
  };
  return buildSnapshot(source, options);
}

// ---------- Prometheus form (`/stats/prometheus`, consul-dataplane merged metrics) ----------

/** Envoy's tag-extracted label that carries each kind of stat prefix (well_known_names.cc). */
const PREFIX_LABEL = { tcp: 'envoy_tcp_prefix', http: 'envoy_http_conn_manager_prefix' } as const;
const LISTENER_LABEL = 'envoy_listener_address';

/** The HTTP connection manager stats buildSnapshot reads (with or without the prefix label). */
const HTTP_STATS = ['downstream_cx_total', 'downstream_rq_total', 'downstream_cx_rx_bytes_total'];
const HTTP_NAMES: ReadonlySet<string> = new Set(HTTP_STATS.flatMap((stat) => [`envoy_http_${stat}`, `envoy_http_${PUBLIC_STAT_PREFIX}_${stat}`]));

/**
 * Whether snapshotFromPrometheus can read a sample of this name: the others never change a
 * snapshot, so a scrape parsed with this as `keep` gives the very same snapshot, much faster
 * (four fifths of a consul-dataplane scrape are cluster, HTTP and server stats it never reads).
 * Whole `envoy_tcp_` and `envoy_listener_` families stay: any stat of them can reveal the
 * permissive chain or a listener address.
 */
export function readsPromStat(name: string): boolean {
  return name.startsWith('envoy_tcp_') || name.startsWith('envoy_listener_') || name === 'envoy_server_uptime' || HTTP_NAMES.has(name);
}

export function snapshotFromPrometheus(samples: readonly PromSample[], options: PromSnapshotOptions = {}): SidecarTrafficSnapshot {
  const match = Object.entries(options.match ?? {});
  const used = samples.filter((s) => match.every(([k, v]) => Object.hasOwn(s.labels, k) && s.labels[k] === v));
  const byName = new Map<string, PromSample[]>();
  for (const s of used) {
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  const label = (s: PromSample, k: string): string | undefined => (Object.hasOwn(s.labels, k) ? s.labels[k] : undefined);

  const source: StatSource = {
    value: (ref) => {
      const stat = sanitize(ref.stat);
      if (ref.kind === 'server') return uniqueNumber((byName.get(`envoy_server_${stat}`) ?? []).map((s) => s.value));
      if (ref.kind === 'listener') {
        const hits = (byName.get(`envoy_listener_${stat}`) ?? []).filter((s) => label(s, LISTENER_LABEL) === ref.address);
        return uniqueNumber(hits.map((s) => s.value));
      }
      const key = PREFIX_LABEL[ref.kind];
      const tagged = (byName.get(`envoy_${ref.kind}_${stat}`) ?? []).filter((s) => label(s, key) === ref.prefix);
      if (tagged.length > 0) return uniqueNumber(tagged.map((s) => s.value));
      // Without Envoy's default tag extractors (custom envoy_stats_config_json) the prefix stays
      // in the name. Require the label to be absent: with extraction on, an upstream whose stat
      // prefix is `upstream.permissive_public_listener` renders as that very name with
      // envoy_tcp_prefix="upstream" (dotted prefixes only lose their first segment).
      const untagged = (byName.get(`envoy_${ref.kind}_${sanitize(ref.prefix)}_${stat}`) ?? []).filter((s) => label(s, key) === undefined);
      return uniqueNumber(untagged.map((s) => s.value));
    },
    hasTcpPrefix: (prefix) =>
      used.some((s) =>
        s.name.startsWith('envoy_tcp_')
          ? label(s, PREFIX_LABEL.tcp) === prefix || (label(s, PREFIX_LABEL.tcp) === undefined && s.name.startsWith(`envoy_tcp_${sanitize(prefix)}_`))
          : false,
      ),
    listenerAddresses: () => {
      const found = new Set<string>();
      for (const s of used) {
        const a = s.name.startsWith('envoy_listener_') ? label(s, LISTENER_LABEL) : undefined;
        if (a !== undefined) found.add(a);
      }
      return [...found];
    },
  };
  return buildSnapshot(source, options);
}

// ---------- shared extraction ----------

function buildSnapshot(src: StatSource, options: SnapshotOptions): SidecarTrafficSnapshot {
  const tcp = (prefix: string, stat: string): StatRef => ({ kind: 'tcp', prefix, stat });
  const http = (prefix: string, stat: string): StatRef => ({ kind: 'http', prefix, stat });
  const listenerAddress = pickListenerAddress(src.listenerAddresses(), options);
  const listener = (stat: string): number | undefined =>
    listenerAddress === undefined ? undefined : src.value({ kind: 'listener', address: listenerAddress, stat });

  const listenerPresent = src.hasTcpPrefix(PERMISSIVE_STAT_PREFIX);
  const permissive: SidecarTrafficSnapshot['permissive'] = { listenerPresent };
  if (listenerPresent) {
    // Always TCP proxy stats, whatever the service protocol: Consul builds the permissive chain with
    // makeTCPProxyFilter, so there is no http.permissive_public_listener.* to look at.
    assign(permissive, 'connectionsTotal', src.value(tcp(PERMISSIVE_STAT_PREFIX, 'downstream_cx_total')));
    assign(permissive, 'rxBytes', src.value(tcp(PERMISSIVE_STAT_PREFIX, 'downstream_cx_rx_bytes_total')));
    assign(permissive, 'txBytes', src.value(tcp(PERMISSIVE_STAT_PREFIX, 'downstream_cx_tx_bytes_total')));
    const own = src.value(tcp(PERMISSIVE_STAT_PREFIX, 'downstream_cx_active'));
    assign(permissive, 'activeConnections', own ?? (listener('downstream_cx_active') === 0 ? 0 : undefined));
  }

  // A TCP service has tcp.public_listener.*, an HTTP-like one http.public_listener.* — never both.
  const mtls: SidecarTrafficSnapshot['mtls'] = {};
  assign(mtls, 'connectionsTotal', src.value(tcp(PUBLIC_STAT_PREFIX, 'downstream_cx_total')) ?? src.value(http(PUBLIC_STAT_PREFIX, 'downstream_cx_total')));
  assign(mtls, 'tlsHandshakes', listener('ssl.handshake'));
  assign(mtls, 'httpRequestsTotal', src.value(http(PUBLIC_STAT_PREFIX, 'downstream_rq_total')));
  assign(
    mtls,
    'rxBytes',
    src.value(tcp(PUBLIC_STAT_PREFIX, 'downstream_cx_rx_bytes_total')) ?? src.value(http(PUBLIC_STAT_PREFIX, 'downstream_cx_rx_bytes_total')),
  );

  const snapshot: SidecarTrafficSnapshot = { permissive, mtls };
  assign(snapshot, 'uptimeSeconds', src.value({ kind: 'server', stat: 'uptime' }));
  return snapshot;
}

/** The inbound listener's address, or undefined if none or several match (guessing would mislead). */
function pickListenerAddress(addresses: string[], options: SnapshotOptions): string | undefined {
  if (options.publicListenerAddress !== undefined) {
    return addresses.includes(options.publicListenerAddress) ? options.publicListenerAddress : undefined;
  }
  const port = String(options.publicListenerPort ?? DEFAULT_PUBLIC_LISTENER_PORT);
  // The `_` before the port makes `_20000` unable to match `_120000`.
  const hits = addresses.filter((a) => a.endsWith(`_${port}`));
  return hits.length === 1 ? hits[0] : undefined;
}

/** One finite number; duplicates are fine if they agree, a conflict means the input is not one sidecar. */
function uniqueNumber(values: ReadonlyArray<number | string>): number | undefined {
  let found: number | undefined;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    if (found !== undefined && found !== v) return undefined;
    found = v;
  }
  return found;
}

/** Prometheus names: every character outside [a-zA-Z0-9_] becomes `_` (prometheus_stats.cc). */
function sanitize(s: string): string {
  return s.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Leave absent values out entirely, so `toEqual` and JSON output show only what was measured. */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
