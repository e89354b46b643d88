// TrafficSampleSource over Prometheus: raw samples per sidecar instance from instant queries of range
// selectors (`metric{…}[<window>]` at the window's end), one batch of services per query. Errors,
// timeouts, warnings and sample-limit hits become problems of the services concerned; an empty result
// is "no series" (unknown), never zero. See Prometheus docs/querying/api.md: an empty result vector means no series.
import type { Dispatcher } from 'undici';
import {
  DEFAULT_THRESHOLDS,
  serviceKey,
  TRAFFIC_METRICS,
  type EvidenceWindow,
  type InstanceSamples,
  type Sample,
  type ServiceRef,
  type ServiceSamples,
  type TrafficMetric,
  type TrafficSampleSource,
} from '../../core/advisor/model.ts';
import { metricSelectors, toMs, type PrometheusStatsConfig } from './config.ts';
import { createPrometheusAuth, type AuthDeps, type PrometheusAuth } from './prometheus-auth.ts';
import { instantQuery, type MatrixSeries, type QueryOptions } from './prometheus-query.ts';
import { batchMatchers, rangeSelector } from './promql.ts';
import { StatsSourceUnavailableError } from './errors.ts';
import { datacentersJudged, duration, instant } from '../../core/advisor/human.ts';
import { knownSecrets } from '../../known-secrets.ts';
import { isConsulError } from '../consul/errors.ts';
import type { SidecarDirectory } from './envoy-source.ts';
import {
  datacenterCounts,
  elsewhereUnread,
  federationUnread,
  ONE_DATACENTER,
  readFederation,
  sidecarsElsewhere,
  type SidecarsThere,
} from '../consul/federation.ts';

export interface PrometheusSourceDeps extends AuthDeps {
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Consul's sidecar listing: every sidecar registered now must have samples, since Prometheus
   * knows only what it scrapes, and a sidecar it never scraped may be the one taking plaintext.
   */
  sidecars?: SidecarDirectory;
}

export { StatsSourceUnavailableError };

/**
 * How far past the window's end the permissive counters are read again. Prometheus stamps samples
 * with its own clock: when it runs ahead of ours, the newest samples fall after our window's end,
 * so plaintext in them would go unseen while older quiet samples say "no plaintext". Samples there
 * are never counted as the window's evidence; plaintext in them refuses `ready-for-strict`.
 */
export const LOOK_AHEAD_MS = 3_600_000;
const PERMISSIVE_METRICS: readonly TrafficMetric[] = ['permissiveConnections', 'permissiveRxBytes', 'permissiveTxBytes'];

/** One series' samples and the datacenter it says it is from (lower-cased; undefined: no label). */
interface LabelledSeries {
  dc: string | undefined;
  samples: Sample[];
}

interface Accumulator {
  service: ServiceRef;
  /** instance → metric → series (several selectors may feed one metric), each with its datacenter label. */
  instances: Map<string, Map<TrafficMetric, LabelledSeries[]>>;
  /** instance → the datacenter labels its series carry. */
  datacenters: Map<string, Set<string>>;
  /** instance → the other WAN-federated datacenter it is filed under (`dc2/orders-0`); absent: ours (or unknown). */
  placed: Map<string, string>;
  sources: string[];
  problems: string[];
}

export class PrometheusTrafficSource implements TrafficSampleSource {
  readonly description: string;
  readonly #config: PrometheusStatsConfig;
  readonly #auth: PrometheusAuth;
  readonly #deps: PrometheusSourceDeps;

  constructor(config: PrometheusStatsConfig, deps: PrometheusSourceDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#auth = createPrometheusAuth(config, deps);
    const u = new URL(config.url);
    // The URL may carry credentials (user:pass@host): never print them, and mask them wherever they turn up.
    if (u.password) knownSecrets.add(decodeURIComponent(u.password), 'the password in advisor.stats.prometheus.url');
    knownSecrets.add(u.password, 'the password in advisor.stats.prometheus.url');
    this.description = `prometheus ${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  }

  async samples(services: readonly ServiceRef[], window: EvidenceWindow): Promise<ServiceSamples[]> {
    const cfg = this.#config;
    const acc = new Map<string, Accumulator>();
    for (const s of services) {
      if (!acc.has(serviceKey(s)))
        acc.set(serviceKey(s), { service: s, instances: new Map(), datacenters: new Map(), placed: new Map(), sources: [], problems: [] });
    }
    const opts: QueryOptions = {
      baseUrl: new URL(cfg.url),
      auth: this.#auth,
      timeoutMs: toMs(cfg.timeout),
      attempts: cfg.attempts,
      sampleLimit: cfg.sampleLimit,
      maxResponseBytes: cfg.maxResponseBytes,
      ...(this.#deps.dispatcher ? { dispatcher: this.#deps.dispatcher } : {}),
      ...(this.#deps.sleep ? { sleep: this.#deps.sleep } : {}),
    };
    const selectors = metricSelectors(cfg);
    // `default` also matches a series without the label (older CE sidecars): once services of other
    // namespaces (partitions) are judged too, such a series may be another namespace's same-named service.
    const isDefault = (v: string) => v === '' || v.toLowerCase() === 'default';
    const ambiguous = {
      namespace: services.some((s) => !isDefault(s.namespace)),
      partition: services.some((s) => !isDefault(s.partition)),
    };
    // The other WAN-federated datacenters: their series are evidence too (config entries replicate
    // there), filed under `<dc>/<instance>` so a pod name both use stays two instances.
    const federation = this.#deps.sidecars ? await readFederation(this.#deps.sidecars) : ONE_DATACENTER;
    const federated = new Set(federation.others.map((d) => d.toLowerCase()));
    let answered = 0;
    for (const batch of batches(
      [...acc.values()].map((a) => a.service),
      cfg.batchSize,
    )) {
      const matchers = batchMatchers(batch, cfg.labels);
      for (const metric of TRAFFIC_METRICS) {
        for (const selector of selectors[metric]) {
          const query = rangeSelector(selector, matchers, window.end - window.start);
          const outcome = await instantQuery(query, window.end, opts);
          const mine = batch.map((s) => acc.get(serviceKey(s))!);
          for (const a of mine) a.sources.push(`${query} @ ${new Date(window.end).toISOString()}`);
          if (!outcome.ok) {
            // The first query found nobody there after its retries (a mistyped URL, Prometheus down):
            // every other query would wait out the same retries for the same answer.
            if (outcome.unreachable && answered === 0) {
              throw new StatsSourceUnavailableError(`${this.description}: no query answered (${outcome.problem})`);
            }
            for (const a of mine) a.problems.push(`prometheus query for ${metric} failed: ${outcome.problem}`);
            continue;
          }
          answered++;
          for (const w of outcome.warnings) for (const a of mine) a.problems.push(`prometheus warning for ${metric}: ${w}`);
          this.#collect(outcome.series, metric, acc, ambiguous, federated);
        }
      }
      for (const metric of PERMISSIVE_METRICS)
        for (const selector of selectors[metric]) await this.#lookAhead(selector, metric, matchers, batch, acc, ambiguous, federated, window, opts);
    }
    for (const metric of PERMISSIVE_METRICS) for (const selector of selectors[metric]) await this.#unlabelled(selector, metric, acc, window, opts);
    const out: ServiceSamples[] = [];
    for (const a of acc.values()) {
      // Consul's sidecars first: the datacenter they are in says which series are this service's.
      const listed = this.#deps.sidecars ? await this.#listed(a, this.#deps.sidecars) : undefined;
      const elsewhere = this.#deps.sidecars && federation.others.length ? await sidecarsElsewhere(this.#deps.sidecars, a.service, federation.others) : [];
      // Federated, our datacenter is known even with no sidecar of the service here.
      const ours = listed ? (ourDatacenter(listed) ?? (federated.size ? federation.ours?.toLowerCase() : undefined)) : undefined;
      const s = this.#finish(a, window, ours, listed, federated);
      if (listed) {
        if (ours === undefined) this.#datacentersUntold(s, a);
        this.#unscraped(s, a, listed, window);
      }
      for (const there of elsewhere) this.#elsewhere(s, a, there, window);
      if (federated.size) {
        s.datacenters = datacenterCounts(federation, listed?.length, elsewhere);
        s.sources.push(datacentersJudged(s.datacenters));
      }
      if (federation.note) s.sources.push(`warning: ${federation.note}`);
      if (federation.unreadable) s.problems.push(federationUnread(a.service.name, federation.unreadable));
      out.push(s);
    }
    return out;
  }

  /** The sidecars Consul lists for the service now; undefined (with a problem) when they cannot be listed. */
  async #listed(a: Accumulator, directory: SidecarDirectory): Promise<ListedSidecar[] | undefined> {
    const { name, namespace, partition } = a.service;
    try {
      return (await directory.connectServiceInstances(name, { namespace, partition })).filter((i) => i.serviceKind === 'connect-proxy');
    } catch (e) {
      // ACLs hid sidecars: a partial view is never evidence, so the whole run stops (as the envoy source does).
      if (isConsulError(e) && e.kind === 'incomplete-read') throw e;
      a.problems.push(`cannot list the sidecars of ${name} from Consul to check that Prometheus sees each one: ${(e as Error).message}`);
      return undefined;
    }
  }

  /**
   * Adds a problem for every sidecar Consul lists now that has no sample in the window: matched by
   * consul-k8s's `pod-name` meta against the instance labels; where some sidecar has no pod name,
   * by count (sidecars listed now vs instances still reporting at the window's end: one taken out
   * inside the window must not stand in for one registered since). Never "no plaintext" for an unseen one.
   */
  #unscraped(s: ServiceSamples, a: Accumulator, listed: readonly ListedSidecar[], window: EvidenceWindow, dc?: string): void {
    const name = `${s.service.name}${dc ? ` in datacenter ${dc}` : ''}`;
    // Only the instances of that datacenter (ours: those not filed under another) stand for its sidecars.
    const there = s.instances.filter((i) => a.placed.get(i.instance) === dc?.toLowerCase());
    const key = (pod: string) => (dc ? `${dc.toLowerCase()}/${pod}` : pod);
    const seen = new Set(there.filter((i) => Object.values(i.metrics).some((m) => m && m.length > 0)).map((i) => i.instance));
    s.sources.push(`consul /v1/health/connect/${s.service.name}${dc ? `?dc=${dc}` : ''}: ${listed.length} sidecar${listed.length === 1 ? '' : 's'} registered`);
    // Within two scrape intervals of the end, as the coverage rule reads the window's edges.
    const since = window.end - 2 * (s.scrapeIntervalMs ?? DEFAULT_THRESHOLDS.defaultScrapeIntervalMs);
    if (listed.every((p) => p.meta['pod-name'])) {
      for (const p of listed) {
        const pod = p.meta['pod-name'];
        if (!seen.has(key(pod))) {
          s.problems.push(
            `sidecar ${pod} of ${name} is registered in Consul but Prometheus has no sample of it in the window: plaintext on it cannot be ruled out`,
          );
          continue;
        }
        // A sidecar still registered whose samples stop inside the window was not replaced by a
        // rollout: its scrape broke, and whatever plaintext it took since is in no sample.
        const last = lastPermissiveSample(there.find((i) => i.instance === key(pod))!);
        if (last !== undefined && last < since)
          s.problems.push(
            `sidecar ${pod} of ${name} is registered in Consul but Prometheus's last sample of it is at ${instant(last)}, ${duration(window.end - last)} before the window's end: plaintext on it since cannot be ruled out`,
          );
      }
    } else {
      const reporting = there.filter((i) => Object.values(i.metrics).some((m) => m && m.length > 0 && m[m.length - 1].t >= since)).length;
      if (reporting < listed.length)
        s.problems.push(
          `Consul lists ${listed.length} sidecars of ${name} but Prometheus has samples for ${reporting} at the window's end: plaintext on a sidecar it does not scrape cannot be ruled out`,
        );
    }
  }

  /**
   * Another WAN-federated datacenter's sidecars of the service, judged as ours are: each needs
   * series labelled with that datacenter. One that could not be listed leaves the service unjudged,
   * naming it; one with no sidecar of the service needs nothing.
   */
  #elsewhere(s: ServiceSamples, a: Accumulator, there: SidecarsThere, window: EvidenceWindow): void {
    const { name } = s.service;
    if ('unreadable' in there) {
      s.problems.push(elsewhereUnread(name, there));
      return;
    }
    if (there.sidecars.length === 0) {
      s.sources.push(`consul /v1/health/connect/${name}?dc=${there.dc}: no sidecar of ${name} registered in datacenter ${there.dc}: nothing there to judge`);
      return;
    }
    this.#unscraped(s, a, there.sidecars, window, there.dc);
  }

  /**
   * With no single datacenter Consul lists the service's sidecars in to say which is this one,
   * series of several datacenters cannot be told apart (#finish keeps only ours when it is known).
   */
  #datacentersUntold(s: ServiceSamples, a: Accumulator): void {
    const all = [...new Set([...a.datacenters.values()].flatMap((d) => [...d]))].sort();
    if (all.length > 1)
      s.problems.push(
        `the series of ${s.service.name} carry ${this.#config.labels.datacenter} ${all.map((d) => JSON.stringify(d)).join(', ')} and Consul lists no sidecar of it to say which datacenter is this one: they cannot be told apart`,
      );
  }

  /**
   * Reads one permissive selector over the hour after the window's end (at that hour's end) and
   * refuses the services whose counters rose there, naming the instance and how far after our clock
   * the samples are stamped; samples the whole hour ahead say Prometheus's clock is further ahead
   * than that, and the newest traffic cannot be read at all.
   */
  async #lookAhead(
    selector: string,
    metric: TrafficMetric,
    matchers: string[],
    batch: readonly ServiceRef[],
    acc: Map<string, Accumulator>,
    ambiguous: { namespace: boolean; partition: boolean },
    federated: ReadonlySet<string>,
    window: EvidenceWindow,
    opts: QueryOptions,
  ): Promise<void> {
    const at = window.end + LOOK_AHEAD_MS;
    const query = rangeSelector(selector, matchers, LOOK_AHEAD_MS);
    const outcome = await instantQuery(query, at, opts);
    const mine = batch.map((s) => acc.get(serviceKey(s))!);
    for (const a of mine) a.sources.push(`${query} @ ${new Date(at).toISOString()} (samples stamped after the window's end)`);
    if (!outcome.ok) {
      for (const a of mine)
        a.problems.push(
          `prometheus query for ${metric} after the window's end failed: ${outcome.problem}; plaintext stamped after this run's clock cannot be ruled out`,
        );
      return;
    }
    // A warning (a partial response) may mean plaintext stamped after our clock was not returned.
    for (const w of outcome.warnings)
      for (const a of mine)
        a.problems.push(`prometheus warning for ${metric} after the window's end: ${w}; plaintext stamped after this run's clock cannot be ruled out`);
    const end = new Date(window.end).toISOString();
    for (const s of outcome.series) {
      const owner = this.#attribute(s, acc, ambiguous, federated);
      if (!owner) continue;
      const after = s.values.map(([t, v]) => ({ t: Math.round(t * 1000), v: Number(v) })).filter((x) => x.t > window.end);
      if (after.length === 0) continue;
      const newest = after[after.length - 1].t;
      const ahead = `stamped up to ${new Date(newest).toISOString()}, ${Math.round((newest - window.end) / 1000)} s after this run's clock (${end})`;
      // The baseline is the instance's last sample inside the window, from its series of the same
      // datacenter (another datacenter's same-named pod may sit at any count); without one, any count is plaintext.
      const dc = s.metric[this.#config.labels.datacenter]?.toLowerCase() || undefined;
      const inside = owner.a.instances
        .get(owner.instance)
        ?.get(metric)
        ?.find((l) => l.dc === dc)
        ?.samples.filter((x) => x.t <= window.end);
      let prev = inside?.length ? inside.reduce((m, x) => (x.t > m.t ? x : m)).v : 0;
      let rise = 0;
      for (const x of after) {
        if (!Number.isFinite(x.v)) continue;
        rise += x.v >= prev ? x.v - prev : x.v; // a drop is a restart: the new process counted all of it
        prev = x.v;
      }
      if (rise > 0)
        owner.a.problems.push(
          `${owner.instance}: ${metric} rose by ${rise} in samples ${ahead}: Prometheus's clock is ahead of ours (or the traffic is newer than this run), so the newest plaintext lies outside the window; not ready until a window holds it`,
        );
      else if (newest >= at - 2 * DEFAULT_THRESHOLDS.defaultScrapeIntervalMs)
        owner.a.problems.push(
          `${owner.instance}: ${metric} has samples ${ahead}: Prometheus's clock is at least an hour ahead of ours, so its newest samples cannot be read; set the clocks right`,
        );
    }
  }

  /**
   * Permissive series without the service label (relabelled away, a scrape job without
   * consul-k8s's labels) never match a service's query, so they would vanish silently. One whose
   * counter rose inside the window is plaintext on a sidecar that cannot be named: the evidence is
   * incomplete for every judged service it could belong to (the one whose instance it carries,
   * else each one of its namespace and partition, else each one), never ready on a guess. A flat
   * one shows no plaintext whichever service it is, so it is only noted, by its labels.
   */
  async #unlabelled(selector: string, metric: TrafficMetric, acc: Map<string, Accumulator>, window: EvidenceWindow, opts: QueryOptions): Promise<void> {
    const { labels } = this.#config;
    const query = rangeSelector(selector, [`${labels.service}=""`], window.end - window.start);
    const outcome = await instantQuery(query, window.end, opts);
    const all = [...acc.values()];
    if (!outcome.ok) {
      for (const a of all)
        a.problems.push(
          `prometheus query for ${metric} series without ${labels.service} failed: ${outcome.problem}; plaintext on an unlabelled sidecar cannot be ruled out`,
        );
      return;
    }
    // A warning (a partial response) may mean an unlabelled series with plaintext was not returned.
    for (const w of outcome.warnings)
      for (const a of all)
        a.problems.push(`prometheus warning for ${metric} series without ${labels.service}: ${w}; plaintext on an unlabelled sidecar cannot be ruled out`);
    for (const s of outcome.series) {
      const samples = s.values
        .map(([t, v]) => ({ t: Math.round(t * 1000), v: Number(v) }))
        .filter((x) => x.t >= window.start && x.t <= window.end && Number.isFinite(x.v));
      let rise = 0;
      for (let i = 1; i < samples.length; i++) rise += samples[i].v >= samples[i - 1].v ? samples[i].v - samples[i - 1].v : samples[i].v;
      const series = describeSeries(s.metric);
      const instance = labels.instance.map((l) => s.metric[l]).find((v) => v);
      const byInstance = instance ? all.filter((a) => a.instances.has(instance)) : [];
      const ns = s.metric[labels.namespace];
      const ap = s.metric[labels.partition];
      const candidates = byInstance.length
        ? byInstance
        : all.filter((a) => (!ns || ns.toLowerCase() === a.service.namespace.toLowerCase()) && (!ap || ap.toLowerCase() === a.service.partition.toLowerCase()));
      const whose = byInstance.length ? `its instance ${instance} is this service's` : `it may be any judged service's${ns || ap ? ' in its namespace' : ''}`;
      for (const a of candidates) {
        if (rise > 0)
          a.problems.push(
            `a ${metric} series without the ${labels.service} label rose by ${rise} inside the window (${whose}): plaintext on it cannot be attributed, so the evidence is incomplete: ${series}`,
          );
        else
          a.sources.push(
            `warning: a ${metric} series without the ${labels.service} label is not used (flat inside the window, so no plaintext on it): ${series}`,
          );
      }
    }
  }

  /** The service (and instance) a series belongs to, or undefined for one that cannot be placed (reported by #collect). */
  #attribute(
    s: MatrixSeries,
    acc: Map<string, Accumulator>,
    ambiguous: { namespace: boolean; partition: boolean },
    federated: ReadonlySet<string>,
  ): { a: Accumulator; instance: string } | undefined {
    const { labels } = this.#config;
    const a = acc.get(
      serviceKey({
        name: s.metric[labels.service] ?? '',
        namespace: s.metric[labels.namespace] || 'default',
        partition: s.metric[labels.partition] || 'default',
      }),
    );
    if (!a) return undefined;
    if ((['namespace', 'partition'] as const).some((k) => ambiguous[k] && !s.metric[labels[k]])) return undefined;
    const instanceLabel = labels.instance.find((l) => (s.metric[l] ?? '') !== '');
    return instanceLabel ? { a, instance: filedUnder(s.metric[instanceLabel], s.metric[labels.datacenter], federated) } : undefined;
  }

  /** File each series under its service and instance. */
  #collect(
    series: readonly MatrixSeries[],
    metric: TrafficMetric,
    acc: Map<string, Accumulator>,
    ambiguous: { namespace: boolean; partition: boolean },
    federated: ReadonlySet<string>,
  ): void {
    const { labels } = this.#config;
    for (const s of series) {
      const ref: ServiceRef = {
        name: s.metric[labels.service] ?? '',
        namespace: s.metric[labels.namespace] || 'default',
        partition: s.metric[labels.partition] || 'default',
      };
      const a = acc.get(serviceKey(ref));
      if (!a) continue; // a regex batch never matches another service, but a relabelled one might
      const unlabelled = (['namespace', 'partition'] as const).filter((k) => ambiguous[k] && !s.metric[labels[k]]);
      if (unlabelled.length > 0) {
        a.problems.push(
          `a ${metric} series has no ${unlabelled.map((k) => labels[k]).join(' or ')} label while services of several ${unlabelled.map((k) => `${k}s`).join(' and ')} are judged: it may be a same-named service elsewhere, so it is not used: ${describeSeries(s.metric)}`,
        );
        continue;
      }
      const instanceLabel = labels.instance.find((l) => (s.metric[l] ?? '') !== '');
      if (!instanceLabel) {
        a.problems.push(`a ${metric} series has none of the instance labels ${labels.instance.join(', ')}: ${describeSeries(s.metric)}`);
        continue;
      }
      const dc = s.metric[labels.datacenter]?.toLowerCase() || undefined;
      const instance = filedUnder(s.metric[instanceLabel], dc, federated);
      if (dc && federated.has(dc)) a.placed.set(instance, dc);
      if (dc) {
        const dcs = a.datacenters.get(instance) ?? new Set<string>();
        a.datacenters.set(instance, dcs.add(dc));
      }
      const samples: Sample[] = [];
      let bad = 0;
      for (const [t, v] of s.values) {
        const n = Number(v);
        if (Number.isFinite(n)) samples.push({ t: Math.round(t * 1000), v: n });
        else bad++;
      }
      if (bad > 0) a.problems.push(`${instance}: ${bad} ${metric} samples are not finite numbers (${describeSeries(s.metric)})`);
      let perMetric = a.instances.get(instance);
      if (!perMetric) a.instances.set(instance, (perMetric = new Map<TrafficMetric, LabelledSeries[]>()));
      const list = perMetric.get(metric) ?? [];
      list.push({ dc, samples });
      perMetric.set(metric, list);
    }
  }

  /**
   * The service's samples per instance. `ours`: the datacenter Consul lists its sidecars in. One
   * Prometheus may hold several Consul datacenters (a shared workspace, a federation), whose
   * same-named services share every other label, and a StatefulSet's pods share their names too
   * (`orders-0` in each): only series of ours (or without the label) are evidence; another's are set
   * aside and noted in the sources, so their traffic is no traffic of ours, their presence stands in
   * for none of our sidecars, and a pod name both use is not two series of one instance.
   * A series without the label is ours only while no series of the service carries one: once some
   * do, the unlabelled ones may be a datacenter whose scrape drops it, so they are evidence only
   * under a pod name of a sidecar Consul lists for us, and otherwise make the evidence incomplete.
   */
  #finish(
    a: Accumulator,
    window: EvidenceWindow,
    ours?: string,
    listed?: readonly ListedSidecar[],
    federated: ReadonlySet<string> = new Set(),
  ): ServiceSamples {
    const label = this.#config.labels.datacenter;
    const instances: InstanceSamples[] = [];
    const spacings: number[] = [];
    const labelled = ours !== undefined && [...a.datacenters.values()].some((d) => d.size > 0);
    // Matched by name only where every sidecar has one (as #unscraped does); else by count, where any series would stand in.
    const pods = listed?.every((p) => p.meta['pod-name']) ? new Set(listed.map((p) => p.meta['pod-name'])) : new Set<string>();
    const unplaced: string[] = [];
    for (const [instance, perMetric] of [...a.instances].sort(([x], [y]) => x.localeCompare(y))) {
      const others = new Set<string>();
      const kept = new Map<TrafficMetric, LabelledSeries[]>();
      let dropped = false;
      for (const [metric, list] of perMetric) {
        const mine = list.filter(
          (l) =>
            ours === undefined || l.dc === ours || (l.dc !== undefined && federated.has(l.dc)) || (l.dc === undefined && (!labelled || pods.has(instance))),
        );
        for (const l of list) {
          if (mine.includes(l)) continue;
          if (l.dc === undefined) dropped = true;
          else others.add(l.dc);
        }
        if (mine.length) kept.set(metric, mine);
      }
      if (dropped) unplaced.push(instance);
      if (kept.size === 0 && others.size === 0) continue;
      const elsewhere = [...others]
        .sort()
        .map((d) => JSON.stringify(d))
        .join(', ');
      const where = [ours, ...[...federated].sort()].join(', ');
      if (kept.size === 0) {
        a.sources.push(
          `warning: instance ${instance} is not used: its series carry ${label}=${elsewhere}, and Consul lists the sidecars of ${a.service.name} in ${where}`,
        );
        continue;
      }
      if (others.size)
        a.sources.push(
          `warning: ${instance}: its series carrying ${label}=${elsewhere} are not used: Consul lists the sidecars of ${a.service.name} in ${where}`,
        );
      const metrics: InstanceSamples['metrics'] = {};
      for (const [metric, list] of kept) {
        if (list.length > 1) {
          // Two series for one instance and metric (two scrape jobs, two listeners on the port, a
          // relabelling that merged pods): joining them would fake restarts, picking one may hide
          // traffic. Keep none; the service cannot be judged until the selector is made precise.
          a.problems.push(`${instance}: ${list.length} series for ${metric}; make the selector or instance labels unique`);
          continue;
        }
        const samples = list[0].samples.filter((s) => s.t >= window.start && s.t <= window.end).sort((x, y) => x.t - y.t);
        metrics[metric] = samples;
        for (let i = 1; i < samples.length; i++) spacings.push(samples[i].t - samples[i - 1].t);
      }
      instances.push({ instance, metrics });
    }
    if (unplaced.length)
      a.problems.push(
        `the series of ${unplaced.join(', ')} carry no ${label} while other series of ${a.service.name} carry one: they may be another datacenter's whose scrape drops the label, so they stand in for no sidecar of ours in ${ours} and their traffic is not used; add ${label} to every scrape job (or consul-k8s's pod-name to the sidecars)`,
      );
    const out: ServiceSamples = { service: a.service, instances, sources: a.sources, problems: a.problems };
    const interval = median(spacings);
    if (interval !== undefined) out.scrapeIntervalMs = interval;
    return out;
  }
}

/** The earliest of the last samples of an instance's permissive counters (undefined without any): where what it shows ends. */
function lastPermissiveSample(i: InstanceSamples): number | undefined {
  const lasts = PERMISSIVE_METRICS.map((m) => i.metrics[m]).flatMap((m) => (m && m.length > 0 ? [m[m.length - 1].t] : []));
  return lasts.length > 0 ? Math.min(...lasts) : undefined;
}

type ListedSidecar = Awaited<ReturnType<SidecarDirectory['connectServiceInstances']>>[number];

/** The one datacenter Consul lists the sidecars in (lower-cased), or undefined when none or several. */
function ourDatacenter(listed: readonly ListedSidecar[]): string | undefined {
  const dcs = [...new Set(listed.flatMap((p) => (p.datacenter ? [p.datacenter.toLowerCase()] : [])))];
  return dcs.length === 1 ? dcs[0] : undefined;
}

/** The instance a series is filed under: `<dc>/<instance>` for another WAN-federated datacenter's, else its own label. */
function filedUnder(instance: string, dc: string | undefined, federated: ReadonlySet<string>): string {
  const d = dc?.toLowerCase();
  return d && federated.has(d) ? `${d}/${instance}` : instance;
}

function* batches(services: readonly ServiceRef[], size: number): Generator<ServiceRef[]> {
  // A batch shares one namespace and partition, so the label matchers stay exact.
  const groups = new Map<string, ServiceRef[]>();
  for (const s of services) {
    const k = `${s.partition.toLowerCase()}/${s.namespace.toLowerCase()}`;
    const g = groups.get(k) ?? [];
    g.push(s);
    groups.set(k, g);
  }
  for (const g of groups.values()) for (let i = 0; i < g.length; i += size) yield g.slice(i, i + size);
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function describeSeries(metric: Record<string, string>): string {
  return `{${Object.entries(metric)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}
