// Rules Consul's state store enforces across entries (consul-config-api.md §3.2, §4): the mesh gate
// on permissive mTLS, and L7 features (routers, splitters, L7 intentions) needing an HTTP protocol.
// Pure functions over a set of normalised entries, shared by `validate`, the planner and the dev server.
import type { ApiEntry } from '../model/kind-definition.ts';
import { proxyDefaultsProtocol } from '../model/kinds/proxy-defaults.ts';
import { hasL7Permissions } from '../model/kinds/service-intentions.ts';
import { routingProblems } from './routing-rules.ts';

export interface GraphProblem {
  entryIndex: number;
  field: string;
  message: string;
  hint?: string;
}

export const PERMISSIVE_NOT_ALLOWED =
  'cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry';

const HTTP_LIKE = new Set(['http', 'http2', 'grpc']);

export function isHttpLike(protocol: string): boolean {
  return HTTP_LIKE.has(protocol);
}

/** The protocol Consul resolves for a service: its service-defaults, else proxy-defaults, else tcp. */
export function serviceProtocol(service: string, entries: readonly ApiEntry[]): string {
  const lower = service.toLowerCase();
  const sd = entries.find((e) => e.Kind === 'service-defaults' && String(e.Name ?? '').toLowerCase() === lower);
  if (sd && typeof sd.Protocol === 'string' && sd.Protocol) return sd.Protocol.toLowerCase();
  const pd = entries.find((e) => e.Kind === 'proxy-defaults');
  return proxyDefaultsProtocol(pd) ?? 'tcp';
}

export function meshAllowsPermissive(entries: readonly ApiEntry[]): boolean {
  return entries.some((e) => e.Kind === 'mesh' && e.AllowEnablingPermissiveMutualTLS === true);
}

export const routingProtocolMessage = (service: string, protocol: string) =>
  `discovery chain "${service}" uses a protocol "${protocol}" that does not permit advanced routing or splitting behavior`;

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
  const hasMesh = entries.some((e) => e.Kind === 'mesh');
  const permissiveAllowed = meshAllowsPermissive(entries) || (options.treeOnly === true && !hasMesh);
  const protocolKnown = (service: string) =>
    !options.treeOnly ||
    entries.some((e) => e.Kind === 'proxy-defaults' || (e.Kind === 'service-defaults' && String(e.Name ?? '').toLowerCase() === service.toLowerCase()));
  entries.forEach((e, entryIndex) => {
    const name = String(e.Name ?? '');
    if ((e.Kind === 'service-defaults' || e.Kind === 'proxy-defaults') && e.MutualTLSMode === 'permissive' && !permissiveAllowed)
      problems.push({
        entryIndex,
        field: 'MutualTLSMode',
        message: PERMISSIVE_NOT_ALLOWED,
        hint: 'set AllowEnablingPermissiveMutualTLS = true in the mesh entry of this tree, or set this service back to strict',
      });
    if (e.Kind === 'service-router' || e.Kind === 'service-splitter') {
      const protocol = serviceProtocol(name, entries);
      if (protocolKnown(name) && !isHttpLike(protocol))
        problems.push({
          entryIndex,
          field: 'Name',
          message: routingProtocolMessage(name, protocol),
          hint: `set Protocol = "http" (or http2, grpc) in service-defaults "${name}" or in proxy-defaults`,
        });
    }
    if (e.Kind === 'service-intentions' && name !== '*' && hasL7Permissions(e)) {
      const protocol = serviceProtocol(name, entries);
      if (protocolKnown(name) && !isHttpLike(protocol)) problems.push({ entryIndex, field: 'Sources', message: l7IntentionMessage(name, protocol) });
    }
  });
  // Discovery-chain compile checks (missing subsets, protocol consistency, loops): routing-rules.ts.
  problems.push(...routingProblems(entries, options));
  return problems;
}
