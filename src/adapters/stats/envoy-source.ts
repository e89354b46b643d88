// TrafficSampleSource without Prometheus: each run finds a service's sidecars in Consul's catalog
// (`/v1/health/connect/:service`), reads each one's stats once, and appends them to the history
// kept in Consul KV under `<stateKeyPrefix>/<target>/advisor/history/…` (check-and-set writes,
// pruned to the window, bounded per instance), so the window spans many scheduled runs.
import type { Dispatcher } from 'undici';
import type { EvidenceWindow, InstanceSamples, ServiceRef, ServiceSamples, TrafficSampleSource } from '../../core/advisor/model.ts';
import type { StateStore } from '../../app/ports/config-entry-store.ts';
import { isConsulError } from '../consul/errors.ts';
import type { ConnectInstance } from '../consul/schemas.ts';
import { toMs, type EnvoyStatsConfig } from './config.ts';
import { boundedHistory, decodeHistory, toMetrics, type Scrape } from './history.ts';
import { scrapeSidecar, statsUrl, type ScrapeOutcome } from './sidecar-stats.ts';
import { sidecarAddressPolicy, type SidecarAddressPolicy } from './sidecar-address.ts';
import { StatsSourceUnavailableError } from './errors.ts';
import { ConsulGitopsError } from '../../errors.ts';
import { datacentersJudged } from '../../core/advisor/human.ts';
import {
  datacenterCounts,
  elsewhereUnread,
  federationUnread,
  readFederation,
  sidecarsElsewhere,
  type Federation,
  type FederationDirectory,
} from '../consul/federation.ts';

/**
 * Where sidecars are listed: ConsulClient.connectServiceInstances, in the service's own namespace and
 * partition (and `dc`: another WAN-federated datacenter), and the datacenters Consul knows.
 */
export interface SidecarDirectory extends FederationDirectory {
  connectServiceInstances(service: string, opts?: { passing?: boolean; namespace?: string; partition?: string; dc?: string }): Promise<ConnectInstance[]>;
}

export interface EnvoySourceDeps {
  consul: SidecarDirectory;
  state: StateStore;
  stateKeyPrefix: string;
  target: string;
  dispatcher?: Dispatcher;
  /** Tests: host name resolution for the address check (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** Loopback among the default networks (default true: the CLI's); serve and Lambda say false (sidecar-address.ts). */
  loopbackByDefault?: boolean;
}

const CAS_ATTEMPTS = 4;

class HistoryConflictError extends ConsulGitopsError {
  constructor(message: string) {
    super('state-conflict', message);
  }
}

export class EnvoyTrafficSource implements TrafficSampleSource {
  readonly description = 'envoy (sidecars, history in Consul KV)';
  readonly #config: EnvoyStatsConfig;
  readonly #deps: EnvoySourceDeps;
  readonly #addresses: SidecarAddressPolicy;

  constructor(config: EnvoyStatsConfig, deps: EnvoySourceDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#addresses = sidecarAddressPolicy(config.allowedNetworks, deps.resolve, { loopbackByDefault: deps.loopbackByDefault ?? true });
  }

  async samples(services: readonly ServiceRef[], window: EvidenceWindow): Promise<ServiceSamples[]> {
    const out: ServiceSamples[] = [];
    let unreadable = 0;
    let lastFailure = '';
    // Read once a run: the other WAN-federated datacenters, whose sidecars of a service are evidence too.
    const federation = services.length ? await readFederation(this.#deps.consul) : undefined;
    for (const service of services) {
      const result = await this.#service(service, window, federation);
      if (result.unreadable) {
        unreadable++;
        lastFailure = result.samples.problems.join('; ');
      }
      out.push(result.samples);
    }
    if (services.length > 0 && unreadable === services.length) {
      throw new StatsSourceUnavailableError(`${this.description}: nothing could be read (${lastFailure})`);
    }
    return out;
  }

  /** The history key prefix of one service. */
  historyPrefix(s: ServiceRef): string {
    const seg = (x: string) => encodeURIComponent((x || 'default').toLowerCase());
    return `${this.#deps.stateKeyPrefix.replace(/\/+$/, '')}/${this.#deps.target}/advisor/history/${seg(s.partition)}/${seg(s.namespace)}/${seg(s.name)}`;
  }

  async #service(service: ServiceRef, window: EvidenceWindow, federation?: Federation): Promise<{ samples: ServiceSamples; unreadable: boolean }> {
    const problems: string[] = [];
    const sources: string[] = [];
    // This run's read is stamped with the window's end: the run's own clock (the advisor's `now`),
    // never a second one. The window ends when the run starts and the sidecars are read a moment
    // later; a later stamp would leave the freshest read outside the window it is evidence for
    // (plaintext since the previous run seen a run late), and a stamp from another clock (the
    // machine's, when the runtime's is not it) files every read outside every window. Traffic of
    // that moment counts as inside the window, which only errs towards "still plaintext".
    const now = window.end;
    const prefix = this.historyPrefix(service);

    // 1. This run's scrape of every sidecar Consul knows.
    let listed = true;
    const fresh = new Map<string, Scrape>();
    let proxies: ConnectInstance[] = [];
    try {
      // The service's own namespace and partition, never the client's: a same-named service in
      // another namespace has other sidecars, and their traffic is no evidence for this one.
      const { namespace, partition } = service;
      proxies = (await this.#deps.consul.connectServiceInstances(service.name, { namespace, partition })).filter((i) => i.serviceKind === 'connect-proxy');
      sources.push(`consul /v1/health/connect/${service.name}${tenancyQuery(service)}`);
    } catch (e) {
      // ACLs hid sidecars: a partial view is never evidence, so the whole run stops (never a verdict).
      if (isConsulError(e) && e.kind === 'incomplete-read') throw e;
      listed = false;
      problems.push(`cannot list the sidecars of ${service.name}${tenancyWords(service)} from Consul: ${(e as Error).message}`);
    }
    // Config entries replicate to every WAN-federated datacenter: the service's sidecars there take
    // the same mode, so they are scraped too (the address policy decides, as for ours), each filed
    // under `<dc>/<id>`. A datacenter that cannot be listed leaves the service unjudged, naming it.
    const targets: { p: ConnectInstance; dc?: string }[] = proxies.map((p) => ({ p }));
    const elsewhere = federation?.others.length ? await sidecarsElsewhere(this.#deps.consul, service, federation.others) : [];
    for (const there of elsewhere) {
      if ('unreadable' in there) {
        problems.push(elsewhereUnread(`${service.name}${tenancyWords(service)}`, there));
        continue;
      }
      sources.push(`consul /v1/health/connect/${service.name}${tenancyQuery(service, there.dc)}`);
      if (there.sidecars.length === 0) sources.push(`no sidecar of ${service.name} registered in datacenter ${there.dc}: nothing there to judge`);
      for (const p of there.sidecars) targets.push({ p, dc: there.dc });
    }
    const outcomes = await pool(
      targets,
      this.#config.concurrency,
      async ({ p, dc }): Promise<{ p: ConnectInstance; dc?: string; url?: URL; outcome: ScrapeOutcome }> => {
        let url: URL;
        try {
          url = statsUrl(p, this.#config);
        } catch {
          // A registration's address is whatever was registered: one that makes no URL is that sidecar's problem, not the run's.
          return { p, dc, outcome: { ok: false, problem: `its address ${JSON.stringify(p.address)} is not a host name or IP address` } };
        }
        // Checked before anything is sent: the catalog, not the user, chose this address.
        const allowed = await this.#addresses.check(url);
        if (!allowed.ok) return { p, dc, url, outcome: { ok: false, problem: allowed.problem } };
        return { p, dc, url, outcome: await scrapeSidecar(allowed.url, p, this.#config, this.#deps.dispatcher) };
      },
    );
    for (const { p, dc, url, outcome } of outcomes) {
      // Another datacenter's pod may share a name with ours (a StatefulSet's `orders-0` in each).
      const id = dc ? `${dc.toLowerCase()}/${instanceId(p)}` : instanceId(p);
      if (url) sources.push(`${id}: GET ${url.origin}${url.pathname}${url.search ? '?…' : ''}`);
      if (outcome.ok) fresh.set(id, { t: now, values: outcome.values });
      else
        problems.push(
          `sidecar ${id} of ${service.name}${dc ? ` in datacenter ${dc}` : ''}${url ? ` (${url.host})` : ''} could not be read: ${outcome.problem}`,
        );
    }
    // After this run's reads, so each sidecar's read keeps its place in the evidence.
    const datacenters = federation?.others.length ? datacenterCounts(federation, listed ? proxies.length : undefined, elsewhere) : undefined;
    if (datacenters) sources.push(datacentersJudged(datacenters));
    if (federation?.note) sources.push(`warning: ${federation.note}`);
    if (federation?.unreadable) problems.push(federationUnread(service.name, federation.unreadable));

    // 2. Fold it into the history in Consul KV and read the whole window back.
    const instances: InstanceSamples[] = [];
    let historyRead = true;
    const keepFrom = Math.min(window.start, now - toMs(this.#config.retention));
    try {
      const known = await this.#updateIndex(prefix, [...fresh.keys()], []);
      const emptied: string[] = [];
      for (const id of [...new Set([...known, ...fresh.keys()])].sort()) {
        const scrapes = await this.#updateInstance(`${prefix}/i/${encodeURIComponent(id)}`, fresh.get(id), keepFrom);
        if (scrapes.length === 0) {
          emptied.push(id);
          continue;
        }
        const metrics = toMetrics(scrapes, window.start, window.end);
        if (Object.keys(metrics).length > 0) instances.push({ instance: id, metrics });
      }
      if (emptied.length > 0) await this.#updateIndex(prefix, [], emptied);
      sources.push(`consul kv ${prefix}/`);
    } catch (e) {
      historyRead = false;
      const what = e instanceof HistoryConflictError ? e.message : `Consul KV: ${(e as Error).message}`;
      problems.push(`sample history of ${service.name} not saved: ${what}`);
      // This run's scrape still counts for this answer.
      for (const [id, s] of fresh) {
        const metrics = toMetrics([s], window.start, window.end);
        if (Object.keys(metrics).length > 0) instances.push({ instance: id, metrics });
      }
    }

    const samples: ServiceSamples = { service, instances, sources, problems, ...(datacenters ? { datacenters } : {}) };
    if (this.#config.interval) samples.scrapeIntervalMs = toMs(this.#config.interval);
    return { samples, unreadable: !listed && !historyRead };
  }

  /** Adds and removes instance ids in the service's index (CAS); returns the index as written. */
  async #updateIndex(prefix: string, add: string[], remove: string[]): Promise<string[]> {
    let result: string[] = [];
    await this.#casUpdate(`${prefix}/index`, (old) => {
      let ids: string[] = [];
      try {
        const parsed = JSON.parse(old ?? '{}') as { instances?: unknown };
        if (Array.isArray(parsed.instances)) ids = parsed.instances.filter((x): x is string => typeof x === 'string');
      } catch {
        // an unreadable index is rebuilt from this run's sidecars
      }
      const set = new Set([...ids, ...add]);
      for (const r of remove) set.delete(r);
      result = [...set].sort();
      return JSON.stringify({ v: 1, instances: result });
    });
    return result;
  }

  async #updateInstance(key: string, added: Scrape | undefined, keepFrom: number): Promise<Scrape[]> {
    let scrapes: Scrape[] = [];
    await this.#casUpdate(key, (old) => {
      const previous = old === undefined ? [] : (decodeHistory(old) ?? []);
      const next = boundedHistory(previous, added ? [added] : [], keepFrom, this.#config.maxHistoryBytes);
      scrapes = next.scrapes;
      return next.text;
    });
    return scrapes;
  }

  /** Read, change, write with check-and-set; a concurrent writer makes it read again. */
  async #casUpdate(key: string, change: (old: string | undefined) => string): Promise<void> {
    for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      const current = await this.#deps.state.read(key);
      const next = change(current?.value);
      if (current && current.value === next) return;
      if (await this.#deps.state.write(key, next, current?.modifyIndex ?? 0)) return;
    }
    throw new HistoryConflictError(`${key} kept changing under concurrent writers (${CAS_ATTEMPTS} attempts)`);
  }
}

/** `?ns=…&partition=…` for the evidence, when the service is outside the default namespace or partition. */
function tenancyQuery({ namespace, partition }: ServiceRef, dc?: string): string {
  const q = new URLSearchParams();
  if (dc) q.set('dc', dc);
  if (namespace && namespace.toLowerCase() !== 'default') q.set('ns', namespace);
  if (partition && partition.toLowerCase() !== 'default') q.set('partition', partition);
  return q.size > 0 ? `?${q.toString()}` : '';
}

/** ` in namespace team-a, partition eu` for the user, when outside the defaults. */
function tenancyWords({ namespace, partition }: ServiceRef): string {
  const parts = [
    namespace && namespace.toLowerCase() !== 'default' ? `namespace ${namespace}` : '',
    partition && partition.toLowerCase() !== 'default' ? `partition ${partition}` : '',
  ];
  const said = parts.filter(Boolean).join(', ');
  return said ? ` in ${said}` : '';
}

/** The pod name when consul-k8s registered it (meta `pod-name`), else the proxy's service ID. */
export function instanceId(p: ConnectInstance): string {
  return p.meta['pod-name'] || `${p.node}/${p.serviceId}`;
}

async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}
