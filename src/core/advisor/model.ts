// The strict-mode advisor's vocabulary: which services are judged, the raw traffic samples a stats
// source returns for them, and the verdict with its evidence. Plain data only; the decision
// (decide-strict.ts), the sources (src/adapters/stats/) and the proposals all speak it.

/** A service in Consul's terms. CE: namespace and partition are "default". */
export interface ServiceRef {
  name: string;
  namespace: string;
  partition: string;
}

export function serviceKey(s: ServiceRef): string {
  return `${s.partition.toLowerCase() || 'default'}/${s.namespace.toLowerCase() || 'default'}/${s.name.toLowerCase()}`;
}

/** Where a permissive mode comes from, as Git says it will be. */
export type ModeOrigin =
  /** The service's own service-defaults says `MutualTLSMode = "permissive"`. */
  | { kind: 'service-defaults'; file?: string }
  /** No service-defaults (or one without a mode): `proxy-defaults global` says permissive. */
  | { kind: 'proxy-defaults'; file?: string };

/** One service the advisor judges: effective mode permissive in Git. */
export interface JudgedService {
  service: ServiceRef;
  origin: ModeOrigin;
  /** The user marked it as not expecting inbound traffic: skip the mTLS-use rule. */
  expectsNoInboundTraffic?: boolean;
  /**
   * Set when the change cannot be proposed safely whatever the traffic says (the entry belongs
   * to consul-k8s, the file cannot be located, …): the verdict is then `blocked` when the evidence
   * would otherwise allow strict.
   */
  blockedBecause?: string;
  /**
   * The Git file of the service's own service-defaults when it has one without a mode (origin
   * `proxy-defaults`): the proposal edits that file rather than creating a new one.
   */
  serviceDefaultsFile?: string;
}

/** A raw sample: time in milliseconds since the epoch, value as Envoy/Prometheus gave it. */
export interface Sample {
  t: number;
  v: number;
}

/**
 * The counters and gauges the decision reads, each a raw time series (never rate()/increase()).
 * permissive*: `tcp.permissive_public_listener.downstream_cx_total|_rx_bytes_total|_tx_bytes_total`.
 * mtls*: TLS handshakes on the public listener, `http.public_listener.downstream_rq_total`, and
 * bytes read on the mTLS chain. `uptime`: `server.uptime` (a gauge, seconds), which confirms restarts.
 * `passthroughConnections`: `tcp.upstream.original-destination.downstream_cx_total`, outbound to
 * non-mesh destinations (for the mesh lockdown's MeshDestinationsOnly).
 */
export type TrafficMetric =
  | 'permissiveConnections'
  | 'permissiveRxBytes'
  | 'permissiveTxBytes'
  | 'mtlsHandshakes'
  | 'mtlsHttpRequests'
  | 'mtlsRxBytes'
  | 'uptime'
  | 'passthroughConnections';

export const TRAFFIC_METRICS: readonly TrafficMetric[] = [
  'permissiveConnections',
  'permissiveRxBytes',
  'permissiveTxBytes',
  'mtlsHandshakes',
  'mtlsHttpRequests',
  'mtlsRxBytes',
  'uptime',
  'passthroughConnections',
];

/**
 * A series in columns: `t[i]` and `v[i]` are one sample (ms since the epoch, raw value). The
 * compact form for sources holding many long series (7 days of 1-minute samples is 10,081 per
 * series); the metrics of one scrape may share one `t` array. The decision reads both forms.
 */
export interface SampleColumns {
  t: Float64Array;
  v: Float64Array;
}

/**
 * One sidecar instance (a pod, or a VM's sidecar), identified the way the source identifies it
 * (`instance` label, pod name, or the proxy's address:port). Samples are sorted by time. Several
 * Envoy processes over time live in one series: a counter drop is a restart.
 */
export interface InstanceSamples {
  instance: string;
  /** Absent metric = the source had no series for it (unknown, never zero). */
  metrics: Partial<Record<TrafficMetric, Sample[]>>;
  /** The same in columns (optional); a metric given here is read from here, not from `metrics`. */
  columns?: Partial<Record<TrafficMetric, SampleColumns>>;
}

/** What a stats source returns for one service over one window. */
export interface ServiceSamples {
  service: ServiceRef;
  instances: InstanceSamples[];
  /** The PromQL queries or endpoints the samples came from, for the evidence. */
  sources: string[];
  /**
   * Anything that makes the data possibly incomplete: a Prometheus warning, an error, a timeout,
   * a sample limit hit, a sidecar that could not be scraped, history not yet covering the window.
   * Any entry here makes `ready-for-strict` impossible.
   */
  problems: string[];
  /** The scrape (or polling) interval the samples were taken at, ms, when known. */
  scrapeIntervalMs?: number;
  /** Under WAN federation: the sidecars Consul lists in each datacenter, ours first. Absent: one datacenter. */
  datacenters?: DatacenterSidecarCount[];
}

/** How many sidecars of a service Consul lists in one datacenter (each one's traffic was judged); null: they could not be listed. */
export interface DatacenterSidecarCount {
  datacenter: string;
  sidecars: number | null;
}

export interface EvidenceWindow {
  /** ms since the epoch. */
  start: number;
  end: number;
}

/** A stats source: Prometheus, or the sidecars' own endpoints with history in Consul KV. */
export interface TrafficSampleSource {
  /** Human label for reports: `prometheus http://…`, `envoy (sidecars, history in Consul KV)`. */
  readonly description: string;
  /**
   * Raw samples for each service over the window. Must not throw for one service's failure:
   * that service gets a `problems` entry. Throws only when nothing can be read at all.
   */
  samples(services: readonly ServiceRef[], window: EvidenceWindow): Promise<ServiceSamples[]>;
}

export interface AdvisorThresholds {
  /** Window length in ms (default 7 days). */
  windowMs: number;
  /** Longest tolerated gap between two samples of an instance (default 10 minutes). */
  maxGapMs: number;
  /** Scrape interval assumed when the source does not say (default 60 s); coverage tolerance is 2x. */
  defaultScrapeIntervalMs: number;
  /**
   * Also require one single instance to report from the window's start to its end. Off by
   * default: instances replaced by rollouts hand over (each new instance's counters count from its
   * first sample), and a service deployed more often than the window would otherwise never qualify.
   */
  requireOneInstanceSpanning?: boolean;
}

export const DEFAULT_THRESHOLDS: AdvisorThresholds = {
  windowMs: 7 * 24 * 3600_000,
  maxGapMs: 10 * 60_000,
  defaultScrapeIntervalMs: 60_000,
};

export type Verdict = 'ready-for-strict' | 'still-receiving-plaintext' | 'no-mtls-traffic-yet' | 'insufficient-data' | 'blocked';

export const VERDICTS: readonly Verdict[] = ['ready-for-strict', 'still-receiving-plaintext', 'no-mtls-traffic-yet', 'insufficient-data', 'blocked'];

/** Counter growth inside the window, restarts accounted for. */
export interface CounterGrowth {
  /** Value of the first and last sample inside the window (undefined: no sample). */
  first?: number;
  last?: number;
  /** Reset-aware increase inside the window (new process's counts included). */
  increase: number;
  /** Time of the last sample whose value rose, ms. */
  lastRiseAt?: number;
}

export interface InstanceEvidence {
  instance: string;
  firstSampleAt?: number;
  lastSampleAt?: number;
  /** Envoy restarts seen inside the window (counter drops, confirmed by uptime when present). */
  restarts: number;
  /** Longest gap between two consecutive samples inside the window, ms. */
  longestGapMs: number;
  permissive: { connections?: CounterGrowth; rxBytes?: CounterGrowth; txBytes?: CounterGrowth };
  mtls: { handshakes?: CounterGrowth; httpRequests?: CounterGrowth; rxBytes?: CounterGrowth };
}

/** Why the advisor said what it said, with everything a reviewer needs to check it. */
export interface PermissiveTrafficEvidence {
  window: EvidenceWindow;
  instances: InstanceEvidence[];
  /** Totals across instances. */
  permissive: { connections: number; rxBytes: number; txBytes: number; lastSeenAt?: number };
  mtls: { handshakes: number; httpRequests: number; rxBytes: number };
  restarts: number;
  sources: string[];
  problems: string[];
  /** Under WAN federation: the sidecars judged in each datacenter (ServiceSamples'). */
  datacenters?: DatacenterSidecarCount[];
  /**
   * Permissive vs mTLS activity over the window in equal buckets (at most 60), summed across
   * instances, restarts accounted for: what the PR body's chart draws. mTLS is handshakes, or HTTP
   * requests when the service has no handshake series.
   */
  timeline: Array<{ start: number; permissiveConnections: number; mtlsConnections: number }>;
  /**
   * The accepted blind spot: traffic in the last scrape interval before a process died is never
   * seen (its counters are gone with it).
   */
  blindSpot: string;
}

export interface ServiceVerdict {
  service: ServiceRef;
  verdict: Verdict;
  /** The deciding reason first; every reason in the user's words. */
  reasons: string[];
  evidence: PermissiveTrafficEvidence;
  origin: ModeOrigin;
  /**
   * What keeps the change from being proposed whatever the traffic says (JudgedService's), kept
   * apart so a report showing only the deciding reason can still say it (consul-k8s owns the entry).
   */
  blockedBecause?: string;
}

export interface AdviceReport {
  window: EvidenceWindow;
  /** The stats source's description. */
  source: string;
  services: ServiceVerdict[];
  /** Services strict in Git but permissive in Consul: drift, not judged. */
  drift: DriftedService[];
  /**
   * Sidecars registered with their own `Proxy.MutualTLSMode = "permissive"`, which wins over every
   * config entry: outside Git, so no proposal fixes them. Absent: not read.
   */
  permissiveSidecars?: string[];
  /**
   * Namespaces of the partition the target does not manage (Enterprise): services permissive in
   * Consul there, or why they could not be read and the permission that would read them. The mesh
   * lockdown speaks for them too. Absent: not read.
   */
  outsideTarget?: { permissive: ServiceRef[]; sidecars?: ServiceRef[]; unreadable?: string; permission?: string };
  /** `advisor.expectNoInboundTraffic` items naming no service Git or Consul knows (a typo marks nothing). */
  unknownQuietItems?: string[];
  /**
   * The other WAN-federated datacenters (config entries, the mesh entry with them, replicate there):
   * sidecars registered permissive in each, or why it could not be read. Absent: not read, or none.
   */
  otherDatacenters?: DatacenterSidecars[];
  /**
   * WAN-federated datacenters whose connect-enabled services could not be listed: a service there
   * permissive through `proxy-defaults` alone got no verdict, so the mesh-wide decisions (the
   * lockdown, proxy-defaults going strict) cannot be made. Absent: every datacenter was listed.
   */
  unlistedDatacenters?: CatalogUnlisted[];
}

/**
 * A WAN-federated datacenter whose catalog of connect-enabled services could not be read, with
 * Consul's answer; `datacenter` absent: the datacenters list itself could not be read.
 */
export interface CatalogUnlisted {
  datacenter?: string;
  unreadable: string;
}

/** The connect-enabled services of every WAN-federated datacenter, and the datacenters that could not be listed. */
export interface ConnectListing {
  services: ServiceRef[];
  unlisted: CatalogUnlisted[];
}

/** Another WAN-federated datacenter's sidecars registered with their own permissive mode, or why it could not be read. */
export type DatacenterSidecars = { datacenter: string; permissiveSidecars: string[] } | { datacenter: string; unreadable: string };

/** A service strict in Git but permissive in Consul, with what puts Consul right. */
export interface DriftedService extends ServiceRef {
  /**
   * What makes Consul strict, in the user's words: `apply repairs it`, or the flag apply needs
   * (`--adopt` for an entry consul-gitops does not manage, `--prune` for one whose file is gone)
   * naming the entry.
   */
  repair: string;
  /**
   * The apply flags the repair needs (absent: a plain apply repairs it); the reconcile's own apply
   * passes neither `--adopt` nor `--allow-mass-delete` nor, unless the target prunes, `--prune`.
   */
  repairNeeds?: ('adopt' | 'prune' | 'allow-mass-delete')[];
}
