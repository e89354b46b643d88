// The state store's cross-entry validation (validateProposedConfigEntryInGraph), run inside the
// write on every upsert and delete: the mesh gate on permissive mTLS (upsert only, §3.2) and the
// HTTP-protocol requirement of routers, splitters and L7 intentions (§4.2), which also refuses
// deleting or downgrading the service-defaults/proxy-defaults they depend on.
import {
  PERMISSIVE_NOT_ALLOWED,
  isHttpLike,
  l7IntentionMessage,
  meshAllowsPermissive,
  routingProtocolMessage,
  serviceProtocol,
} from '../core/graph-rules.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import { hasL7Permissions } from '../model/kinds/service-intentions.ts';

/**
 * Returns Consul's error text, or undefined when the change is allowed.
 * `current`: all stored entries; `existing`: the stored entry with the same identity (if any);
 * `proposed`: the new entry (upsert) or undefined (delete of `existing`).
 */
export function graphError(current: readonly ApiEntry[], existing: ApiEntry | undefined, proposed: ApiEntry | undefined): string | undefined {
  const after = current.filter((e) => e !== existing);
  if (proposed) after.push(proposed);

  if (proposed && (proposed.Kind === 'service-defaults' || proposed.Kind === 'proxy-defaults')) {
    const newMode = proposed.MutualTLSMode ?? '';
    const oldMode = existing?.MutualTLSMode ?? '';
    if (newMode === 'permissive' && oldMode !== newMode && !meshAllowsPermissive(current)) return PERMISSIVE_NOT_ALLOWED;
  }

  const changed = proposed ?? existing;
  if (!changed || changed.Kind === 'mesh') return undefined;

  // Which discovery chains / intentions the change can affect.
  const global = changed.Kind === 'proxy-defaults';
  const name = String(changed.Name ?? '').toLowerCase();
  const affects = (e: ApiEntry) => global || String(e.Name ?? '').toLowerCase() === name;

  for (const e of after) {
    if ((e.Kind === 'service-router' || e.Kind === 'service-splitter') && affects(e)) {
      const svc = String(e.Name ?? '');
      const protocol = serviceProtocol(svc, after);
      if (!isHttpLike(protocol)) return routingProtocolMessage(svc, protocol);
    }
  }
  // Intentions are checked on their own upsert, and on changes of what gives them a protocol.
  const intentionCheck = proposed?.Kind === 'service-intentions' || changed.Kind === 'service-defaults' || global;
  if (intentionCheck) {
    for (const e of after) {
      if (e.Kind !== 'service-intentions' || !affects(e)) continue;
      const svc = String(e.Name ?? '');
      if (svc === '*' || !hasL7Permissions(e)) continue;
      const protocol = serviceProtocol(svc, after);
      if (!isHttpLike(protocol)) return l7IntentionMessage(svc, protocol);
    }
  }
  return undefined;
}
