// Rules Consul's state store enforces across entries (agent/consul/state/config_entry.go, validateProposedConfigEntryInGraph and validatePermissiveMTLS): the mesh gate
// on permissive mTLS, and L7 features (routers, splitters, L7 intentions) needing an HTTP protocol.
// Pure functions over a set of normalised entries, shared by `validate`, the planner and the dev server.
import type { ApiEntry } from '../model/kind-definition.ts';
import { proxyDefaultsProtocol } from '../model/kinds/proxy-defaults.ts';
import { hasL7Permissions } from '../model/kinds/service-intentions.ts';
import { advancedRoutingMessage, routingProblems } from './routing-rules.ts';
import { setsMutualTlsMode } from '../model/registry.ts';
import { fieldText } from '../model/field-text.ts';
import { entryServiceKey } from './tenancy-key.ts';

export interface GraphProblem {
  entryIndex: number;
  field: string;
  message: string;
  hint?: string;
}

export const PERMISSIVE_NOT_ALLOWED = 'cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry';

const HTTP_LIKE = new Set(['http', 'http2', 'grpc']);

export function isHttpLike(protocol: string): boolean {
  return HTTP_LIKE.has(protocol);
}

/** The protocol Consul resolves for a service: its service-defaults, else proxy-defaults, else tcp. */
export function serviceProtocol(service: string, entries: readonly ApiEntry[]): string {
  return protocolOf(service, indexEntries(entries));
}

/**
 * What the cross-entry rules look up, built in one pass: service-defaults by lower-cased name (the
 * first wins, as a linear scan found it; on Enterprise in its namespace and partition too,
 * entryServiceKey) and the proxy-defaults entry. Every rule is then a map
 * lookup, so checking N entries is linear rather than one scan of the tree per router or intention.
 */
interface EntryIndex {
  serviceDefaults: Map<string, ApiEntry>;
  proxyDefaults?: ApiEntry;
  mesh?: ApiEntry;
  permissiveAllowed: boolean;
}

function indexEntries(entries: readonly ApiEntry[]): EntryIndex {
  const index: EntryIndex = { serviceDefaults: new Map(), permissiveAllowed: false };
  for (const e of entries) {
    if (e.Kind === 'service-defaults') {
      const name = entryServiceKey(fieldText(e.Name), e);
      if (!index.serviceDefaults.has(name)) index.serviceDefaults.set(name, e);
    } else if (e.Kind === 'proxy-defaults') index.proxyDefaults ??= e;
    else if (e.Kind === 'mesh') {
      index.mesh ??= e;
      if (e.AllowEnablingPermissiveMutualTLS === true) index.permissiveAllowed = true;
    }
  }
  return index;
}

function protocolOf(service: string, index: EntryIndex): string {
  const sd = index.serviceDefaults.get(service.toLowerCase());
  if (sd && typeof sd.Protocol === 'string' && sd.Protocol) return sd.Protocol.toLowerCase();
  return proxyDefaultsProtocol(index.proxyDefaults) ?? 'tcp';
}

export function meshAllowsPermissive(entries: readonly ApiEntry[]): boolean {
  return entries.some((e) => e.Kind === 'mesh' && e.AllowEnablingPermissiveMutualTLS === true);
}

export const l7IntentionMessage = (service: string, protocol: string) =>
  `service "${service}" has protocol "${protocol}", which is incompatible with L7 intentions permissions`;

export interface GraphOptions {
  /**
   * The entries are one tree, not the whole mesh: rules that need an entry the tree does not hold
   * (the mesh entry, a service's protocol) are not judged, since Consul may hold it.
   */
  treeOnly?: boolean;
}

/** Every cross-entry problem in a desired state (as if all entries were written). */
export function graphProblems(entries: readonly ApiEntry[], options: GraphOptions = {}): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const index = indexEntries(entries);
  const permissiveAllowed = index.permissiveAllowed || (options.treeOnly === true && !index.mesh);
  // A router's, splitter's or intention's service in the entry's own namespace and partition.
  const protocolKnown = (key: string) => !options.treeOnly || index.proxyDefaults !== undefined || index.serviceDefaults.has(key);
  const protocolFor = (key: string) => protocolOf(key, index);
  entries.forEach((e, entryIndex) => {
    const name = fieldText(e.Name);
    const key = entryServiceKey(name, e);
    if (setsMutualTlsMode(e.Kind) && e.MutualTLSMode === 'permissive' && !permissiveAllowed)
      problems.push({
        entryIndex,
        field: 'MutualTLSMode',
        message: PERMISSIVE_NOT_ALLOWED,
        hint: 'set AllowEnablingPermissiveMutualTLS = true in the mesh entry of this tree, or set this service back to strict',
      });
    if (e.Kind === 'service-router' || e.Kind === 'service-splitter') {
      const protocol = protocolFor(key);
      if (protocolKnown(key) && !isHttpLike(protocol))
        problems.push({
          entryIndex,
          field: 'Name',
          message: advancedRoutingMessage(name, protocol),
          hint: `set Protocol = "http" (or http2, grpc) in service-defaults "${name}" or in proxy-defaults`,
        });
    }
    if (e.Kind === 'service-intentions' && name !== '*' && hasL7Permissions(e)) {
      const protocol = protocolFor(key);
      if (protocolKnown(key) && !isHttpLike(protocol)) problems.push({ entryIndex, field: 'Sources', message: l7IntentionMessage(name, protocol) });
    }
  });
  // Discovery-chain compile checks (missing subsets, protocol consistency, loops): routing-rules.ts.
  problems.push(...routingProblems(entries, options));
  problems.push(...samenessMembershipProblems(entries));
  return problems;
}

/**
 * Consul Enterprise refuses a sameness-group whose member (a cluster peer, or a partition) is a
 * member of another group of the partition, or twice of this one: agent/consul/state/config_entry.go
 * validateProposedConfigEntryInGraph, `case structs.SamenessGroup` (public source, reached only on
 * Enterprise: CE's Validate refuses every sameness-group first). Consul walks the partition's groups
 * as listed (by name), the written one in its place, appended when new: the order of the entries
 * given here (the plan's final state keeps live entries in Consul's order and appends creates),
 * each group's AllMembers(); a
 * member with a Peer counts as that peer, any other as its Partition (even empty); the first member
 * seen twice is refused with the two groups' names. AllMembers is Enterprise code
 * (config_entry_sameness_group_ce.go has a placeholder): with IncludeLocal the local partition comes
 * first, as the sameness-group reference documents IncludeLocal ("the local partition as the first
 * member"). Judged for each group here: the first member it shares, with the text Consul gives.
 */
function samenessMembershipProblems(entries: readonly ApiEntry[]): GraphProblem[] {
  // Every member of every group, keyed per partition by `peer:` or `partition:` and its name, in
  // Consul's walk order (`seq`). The first occurrence of a key is the one Consul remembers; each later
  // one is a refusal naming the first occurrence's group. One pass, not one walk per group.
  interface Occurrence {
    group: number;
    field: string;
    seq: number;
    peer: boolean;
    name: string;
  }
  const occurrences = new Map<string, Occurrence[]>();
  let seq = 0;
  entries.forEach((e, i) => {
    if (e.Kind !== 'sameness-group') return;
    const partition = fieldText(e.Partition) || 'default';
    const add = (peer: string, member: string, field: string) => {
      const key = `${partition.toLowerCase()}\0${peer ? 'peer' : 'partition'}\0${peer || member}`;
      let list = occurrences.get(key);
      if (!list) occurrences.set(key, (list = []));
      list.push({ group: i, field, seq: seq++, peer: peer !== '', name: peer || member });
    };
    if (e.IncludeLocal === true) add('', partition, 'IncludeLocal');
    const listed = Array.isArray(e.Members) ? (e.Members as unknown[]) : [];
    listed.forEach((m, j) => {
      const member = (m ?? {}) as Record<string, unknown>;
      add(fieldText(member.Peer), fieldText(member.Partition), `Members[${j}]`);
    });
  });
  // Per group, the first refusal (in walk order) that involves it, as the group written or the one named first.
  const first = new Map<number, { at: Occurrence; prev: number }>();
  for (const list of occurrences.values()) {
    for (let j = 1; j < list.length; j++) {
      const at = list[j];
      for (const group of new Set([list[0].group, at.group])) {
        const found = first.get(group);
        if (!found || at.seq < found.at.seq) first.set(group, { at, prev: list[0].group });
      }
    }
  }
  const name = (i: number) => JSON.stringify(fieldText(entries[i].Name));
  return [...first].map(([group, { at, prev }]) => ({
    entryIndex: group,
    field: at.group === group ? at.field : 'Members',
    message: `members can only belong to a single sameness group, but ${at.peer ? 'cluster peer' : 'partition'} ${JSON.stringify(at.name)} is shared between groups ${name(prev)} and ${name(at.group)}`,
    hint: 'list each peer and partition in one sameness group only',
  }));
}
