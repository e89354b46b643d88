// The discovery-chain checks Consul's state store makes when a router, splitter, resolver or the
// protocol behind them is written: each chain is compiled as agent/consul/discoverychain/compile.go
// compiles it (assembleChain, getSplitterNode, getResolverNode, recordProtocol,
// detectCircularReferences) and its first error is Consul's answer. One datacenter ("dc1"); each
// target carries its namespace and partition (CE: "default"), as Enterprise resolves a reference
// (a redirect, failover target, split or route destination without them takes its referrer's), and
// the lookup is given them: a CE lookup may ignore them. Pure; lookups go through an index by kind
// and name, so checking every chain of a tree costs the sum of the chains' sizes.
import type { ApiEntry } from '../model/kind-definition.ts';
import { DISCOVERY_CHAIN_KINDS } from '../model/registry.ts';
import { proxyDefaultsProtocol } from '../model/kinds/proxy-defaults.ts';
import { ConsulGitopsError } from '../errors.ts';
import type { ProblemCode } from '../model/errors.ts';
import { fieldText } from '../model/field-text.ts';
import { DEFAULT_AT, entryServiceKey, refTenancy, serviceKey, tenancyOfEntry, type ChainTenancy } from './tenancy-key.ts';

/** Case-insensitive lookup of one entry by kind and name (Consul's memdb id index), in `tenancy` (Enterprise). */
export interface EntryLookup {
  get(kind: string, name: string, tenancy?: ChainTenancy): ApiEntry | undefined;
}

/** Where a chain's problem comes from: the entry holding the reference, and the field. */
export interface ChainBlame {
  entry: ApiEntry;
  field: string;
}

export interface ChainProblem {
  message: string;
  blame: ChainBlame;
  /** Set on the L7-protocol problem, which routingProblems leaves to graph-rules. */
  code?: ProblemCode;
}

export interface CompileOptions {
  /**
   * The lookup holds one tree, not the whole mesh: a fact it lacks (a resolver, a protocol) may be
   * in Consul, so nothing that depends on a missing entry is judged.
   */
  treeOnly?: boolean;
  /** The chain's namespace and partition (CompileRequest EvaluateInNamespace/EvaluateInPartition); "default" when omitted. */
  tenancy?: ChainTenancy;
}

/** The datacenter the dev server and the plan evaluate chains in (newTarget's evaluateInDatacenter). */
const LOCAL_DC = 'dc1';

interface Target extends ChainTenancy {
  service: string;
  subset: string;
  datacenter: string;
  peer: string;
  id: string;
}

interface TargetOpts {
  Service?: string;
  ServiceSubset?: string;
  Namespace?: string;
  Partition?: string;
  Datacenter?: string;
  Peer?: string;
}

/**
 * structs.ChainID (agent/structs/discovery_chain.go) of compiler.newTarget: namespace and partition
 * in `at` (the chain's when the reference names none); a peer target is in the chain's partition.
 */
function makeTarget(service: string, subset: string, datacenter: string, peer: string, at: ChainTenancy): Target {
  const dc = peer ? '' : datacenter || LOCAL_DC;
  const { namespace, partition } = at;
  const id = peer
    ? `${service}.${namespace}.${partition}.external.${peer}`
    : subset
      ? `${subset}.${service}.${namespace}.${partition}.${dc}`
      : `${service}.${namespace}.${partition}.${dc}`;
  return { service, subset, namespace, partition, datacenter: dc, peer, id };
}

/** compiler.rewriteTarget: a redirect or failover applied to a target (an omitted Namespace/Partition keeps the target's). */
function rewriteTarget(t: Target, opts: TargetOpts, chain: ChainTenancy): Target {
  let { service, subset, datacenter } = t;
  if (opts.Service && opts.Service !== service) {
    service = opts.Service;
    subset = '';
  }
  if (opts.ServiceSubset) subset = opts.ServiceSubset;
  if (opts.Datacenter) datacenter = opts.Datacenter;
  // A peer target: its namespace as given, else "default"; the chain's partition (newTarget).
  const at = opts.Peer
    ? { namespace: opts.Namespace || 'default', partition: chain.partition }
    : { namespace: opts.Namespace || t.namespace, partition: opts.Partition || t.partition };
  return makeTarget(service, subset, datacenter, opts.Peer ?? '', at);
}

/** serviceIDString: the name routers and splitters carry in node keys. */
const nodeName = (service: string, at: ChainTenancy) => `${service}.${at.namespace}.${at.partition}`;

/** The L7 routing message of compile(); graph-rules reports it from the service's own protocol. */
export const advancedRoutingMessage = (chain: string, protocol: string) =>
  `discovery chain "${chain}" uses a protocol "${protocol}" that does not permit advanced routing or splitting behavior`;

const HTTP_LIKE = new Set(['http', 'http2', 'grpc']);

class ChainError extends ConsulGitopsError {
  constructor(readonly problem: ChainProblem | undefined) {
    super('internal', problem?.message ?? 'not judged');
  }
}

type Resolver = ApiEntry & {
  Subsets?: Record<string, unknown>;
  DefaultSubset?: string;
  Redirect?: TargetOpts;
  Failover?: Record<string, TargetOpts & { Datacenters?: string[]; Targets?: TargetOpts[] }>;
};

/** One compile of the chain named `service`; returns its first problem, as Consul returns its first error. */
export function compileChain(service: string, lookup: EntryLookup, options: CompileOptions = {}): ChainProblem | undefined {
  const treeOnly = options.treeOnly === true;
  const chainAt: ChainTenancy = options.tenancy
    ? refTenancy({ Namespace: options.tenancy.namespace, Partition: options.tenancy.partition }, DEFAULT_AT)
    : DEFAULT_AT;
  const nodes = new Map<string, string[]>(); // node key → next node keys
  const splitterNodes = new Set<string>();
  const resolveNodes = new Set<string>();
  let protocol: string | undefined;
  let advanced = false;
  const start =
    lookup.get('service-router', service, chainAt) ?? lookup.get('service-splitter', service, chainAt) ?? lookup.get('service-resolver', service, chainAt);
  const chainBlame: ChainBlame = { entry: start ?? { Kind: 'service-defaults', Name: service }, field: 'Name' };

  const fail = (message: string, blame: ChainBlame): never => {
    throw new ChainError({ message, blame });
  };

  /** recordServiceProtocol: service-defaults Protocol, else proxy-defaults Config.protocol, else tcp. */
  const recordServiceProtocol = (svc: string, at: ChainTenancy, blame: ChainBlame) => {
    const sd = lookup.get('service-defaults', svc, at);
    // proxy-defaults belongs to the partition (GetProxyDefaults(sid.PartitionOrDefault())).
    const pd = lookup.get('proxy-defaults', 'global', { namespace: 'default', partition: at.partition });
    if (treeOnly && !sd && !pd) return; // Consul may hold either: not judged
    const raw = sd ? (typeof sd.Protocol === 'string' ? sd.Protocol : '') : (proxyDefaultsProtocol(pd) ?? '');
    const p = raw === '' ? 'tcp' : raw.toLowerCase();
    if (protocol === undefined) protocol = p;
    else if (protocol !== p) fail(`discovery chain "${service}" uses inconsistent protocols; service "${svc}" has "${p}" which is not "${protocol}"`, blame);
  };

  const resolverOf = (t: Target): Resolver | undefined => lookup.get('service-resolver', t.service, t);

  const getResolverNode = (first: Target, recursedForFailover: boolean, blame: ChainBlame): string => {
    const history = new Set<string>();
    const order: string[] = [];
    let target = first;
    let resolver: Resolver | undefined;
    for (;;) {
      const key = `resolver:${target.id}`;
      if (resolveNodes.has(key)) return key;
      if (!target.peer) recordServiceProtocol(target.service, target, blame);
      resolver = resolverOf(target);
      if (history.has(target.id)) {
        order.push(target.id);
        fail(`detected circular resolver redirect: [${order.join(' -> ')}]`, resolver ? { entry: resolver, field: 'Redirect' } : blame);
      }
      history.add(target.id);
      order.push(target.id);
      if (resolver?.Redirect) {
        const redirected = rewriteTarget(target, resolver.Redirect, chainAt);
        if (redirected.id !== target.id) {
          blame = { entry: resolver, field: 'Redirect' };
          target = redirected;
          continue;
        }
      }
      if (!target.subset && resolver?.DefaultSubset) {
        blame = { entry: resolver, field: 'DefaultSubset' };
        target = makeTarget(target.service, resolver.DefaultSubset, target.datacenter, target.peer, target);
        continue;
      }
      break;
    }
    if (target.subset && !Object.prototype.hasOwnProperty.call(resolver?.Subsets ?? {}, target.subset)) {
      if (treeOnly && !resolver) throw new ChainError(undefined); // the resolver may be in Consul
      fail(`service "${target.service}" does not have a subset named "${target.subset}"`, blame);
    }
    const sd = lookup.get('service-defaults', target.service, target);
    if (sd && typeof sd.ExternalSNI === 'string' && sd.ExternalSNI !== '' && resolver) {
      const external = (what: string, field: string) =>
        fail(`service "${target.service}" has an external SNI set; cannot define ${what} for external services`, { entry: resolver, field });
      if (resolver.Redirect) external('redirects', 'Redirect');
      if (Object.keys(resolver.Subsets ?? {}).length > 0) external('subsets', 'Subsets');
      if (Object.keys(resolver.Failover ?? {}).length > 0) external('failover', 'Failover');
    }
    const key = `resolver:${target.id}`;
    if (recursedForFailover) return key;
    resolveNodes.add(key);
    nodes.set(key, []);
    const failovers = resolver?.Failover ?? {};
    const failover = failovers[target.subset] ?? failovers['*'];
    if (!resolver || !failover) return key;
    const field = `Failover.${Object.prototype.hasOwnProperty.call(failovers, target.subset) ? target.subset : '*'}`;
    const failoverTargets: Target[] = [];
    const add = (t: Target) => {
      if (t.id !== target.id) failoverTargets.push(t); // don't failover to yourself
    };
    const base: TargetOpts = { Service: failover.Service, ServiceSubset: failover.ServiceSubset, Namespace: failover.Namespace, Partition: failover.Partition };
    if (failover.Datacenters?.length) for (const dc of failover.Datacenters) add(rewriteTarget(target, { ...base, Datacenter: dc }, chainAt));
    else if (failover.Targets?.length) for (const t of failover.Targets) add(rewriteTarget(target, t, chainAt));
    else add(rewriteTarget(target, base, chainAt));
    for (const t of failoverTargets) getResolverNode(t, true, { entry: resolver, field });
    return key;
  };

  const getSplitterNode = (svc: string, at: ChainTenancy): string | undefined => {
    const key = `splitter:${nodeName(svc, at)}`;
    if (splitterNodes.has(key)) return key;
    const splitter = lookup.get('service-splitter', svc, at);
    if (!splitter) return undefined;
    const next: string[] = [];
    splitterNodes.add(key);
    nodes.set(key, next);
    const splits = (splitter.Splits as (TargetOpts & { Service?: string; ServiceSubset?: string })[] | undefined) ?? [];
    splits.forEach((split, i) => {
      const to = split.Service || svc;
      const toAt = refTenancy(split, at);
      const blame = { entry: splitter, field: `Splits[${i}]${split.ServiceSubset ? '.ServiceSubset' : ''}` };
      if (!sameService(to, toAt, svc, at) && !split.ServiceSubset) {
        const nested = getSplitterNode(to, toAt);
        if (nested) {
          next.push(nested);
          return;
        }
      }
      next.push(getResolverNode(makeTarget(to, split.ServiceSubset ?? '', '', '', toAt), false, blame));
    });
    advanced = true;
    return key;
  };

  const getSplitterOrResolverNode = (target: Target, blame: ChainBlame): string =>
    getSplitterNode(target.service, target) ?? getResolverNode(target, false, blame);

  let startNode: string;
  try {
    const router = lookup.get('service-router', service, chainAt);
    if (!router) {
      startNode = getSplitterOrResolverNode(makeTarget(service, '', '', '', chainAt), chainBlame);
    } else {
      startNode = `router:${nodeName(service, chainAt)}`;
      advanced = true;
      recordServiceProtocol(service, chainAt, { entry: router, field: 'Name' });
      const next: string[] = [];
      const routes = (router.Routes as { Destination?: TargetOpts & { Service?: string; ServiceSubset?: string } }[] | undefined) ?? [];
      routes.forEach((route, i) => {
        const dest = route.Destination ?? {};
        const svc = dest.Service || service;
        const at = refTenancy(dest, chainAt);
        const blame = { entry: router, field: `Routes[${i}].Destination${dest.ServiceSubset ? '.ServiceSubset' : ''}` };
        if (!dest.ServiceSubset) next.push(getSplitterOrResolverNode(makeTarget(svc, '', '', '', at), blame));
        else next.push(getResolverNode(makeTarget(svc, dest.ServiceSubset, '', '', at), false, blame));
      });
      next.push(getSplitterOrResolverNode(makeTarget(service, '', '', '', chainAt), { entry: router, field: 'Name' }));
      nodes.set(startNode, next);
    }
    detectCircularReferences(startNode, nodes, chainBlame);
  } catch (e) {
    if (e instanceof ChainError) return e.problem;
    throw e;
  }
  if (advanced && protocol !== undefined && !HTTP_LIKE.has(protocol))
    return { message: advancedRoutingMessage(service, protocol), blame: chainBlame, code: 'advanced-routing-protocol' };
  return undefined;
}

/** ServiceID.Matches: the same name (case-insensitive, as the state store keys it) in the same namespace and partition. */
function sameService(a: string, at: ChainTenancy, b: string, bt: ChainTenancy): boolean {
  return (
    a.toLowerCase() === b.toLowerCase() &&
    at.namespace.toLowerCase() === bt.namespace.toLowerCase() &&
    at.partition.toLowerCase() === bt.partition.toLowerCase()
  );
}

/** compiler.detectCircularReferences: a depth-first walk with the same stack order as Consul's. */
function detectCircularReferences(start: string, nodes: ReadonlyMap<string, readonly string[]>, blame: ChainBlame): void {
  const POP = '_popvisit';
  const todo = [start];
  const visited = new Set<string>();
  const chain: string[] = [];
  for (let current = todo.pop(); current !== undefined; current = todo.pop()) {
    if (current === POP) {
      const v = chain.pop();
      if (v !== undefined) visited.delete(v);
      continue;
    }
    chain.push(current);
    if (visited.has(current)) throw new ChainError({ message: `detected circular reference: [${chain.join(' -> ')}]`, blame });
    visited.add(current);
    todo.push(POP);
    for (const n of nodes.get(current) ?? []) todo.push(n);
  }
}

/**
 * An index of entries by kind, then lower-cased name: the lookup compileChain needs, built once. A
 * map per kind, not one map keyed by `kind + name`: a chain asks about a dozen times, and building
 * and hashing a fresh key string each time was most of routingProblems at 50,000 entries (a name
 * already in lower case is its own lower-case form, whose hash the string keeps).
 */
export function indexEntries(entries: readonly ApiEntry[]): EntryLookup & { indexOf(entry: ApiEntry): number } {
  const byKind = new Map<string, Map<string, ApiEntry>>();
  for (const e of entries) {
    const name = e.Kind === 'proxy-defaults' ? 'global' : fieldText(e.Name);
    let byName = byKind.get(e.Kind);
    if (!byName) byKind.set(e.Kind, (byName = new Map<string, ApiEntry>()));
    // Enterprise: keyed in its namespace and partition too (a CE entry's key is its name alone).
    byName.set(entryServiceKey(name, e), e);
  }
  // Positions are asked only for a problem's entry: built then, not for every entry of every plan.
  let positions: Map<ApiEntry, number> | undefined;
  return {
    get: (kind, name, tenancy) => byKind.get(kind)?.get(tenancy ? serviceKey(name, tenancy) : name.toLowerCase()),
    indexOf: (entry) => (positions ??= new Map(entries.map((e, i) => [e, i]))).get(entry) ?? -1,
  };
}

export interface RoutingProblem {
  entryIndex: number;
  field: string;
  message: string;
}

const DISCOVERY_KINDS = new Set(DISCOVERY_CHAIN_KINDS);

/**
 * Every chain with a router, splitter or resolver, compiled once each. The L7-protocol message is
 * left to graph-rules, which judges it from the service's own protocol; every other first error
 * of a chain is reported once, on the entry holding the reference.
 */
export function routingProblems(entries: readonly ApiEntry[], options: CompileOptions = {}): RoutingProblem[] {
  const index = indexEntries(entries);
  const chains = new Map<string, { service: string; entry: ApiEntry }>();
  for (const e of entries) if (DISCOVERY_KINDS.has(e.Kind)) chains.set(entryServiceKey(fieldText(e.Name), e), { service: fieldText(e.Name), entry: e });
  const problems: RoutingProblem[] = [];
  const seen = new Set<string>();
  for (const { service, entry } of chains.values()) {
    // Enterprise: the chain in its entry's namespace and partition.
    const p = compileChain(
      service,
      index,
      entry.Namespace === undefined && entry.Partition === undefined ? options : { ...options, tenancy: tenancyOfEntry(entry) },
    );
    if (!p || p.code === 'advanced-routing-protocol') continue;
    const entryIndex = index.indexOf(p.blame.entry);
    const key = `${entryIndex}\u0000${p.blame.field}\u0000${p.message}`;
    if (entryIndex < 0 || seen.has(key)) continue;
    seen.add(key);
    problems.push({ entryIndex, field: p.blame.field, message: p.message });
  }
  return problems;
}
