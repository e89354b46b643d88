// Warnings a user needs before applying: onboarding steps that are easy to forget.
import { sendsWrite } from './writes.ts';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { entryIdOf, entryKey, formatEntryId } from '../../model/entry-id.ts';
import { normalizeEntry } from '../normalize.ts';
import type { LiveEntry } from '../../model/live-entry.ts';
import { canonicalLive } from './canonical.ts';
import type { Change } from './plan.ts';
import { setsMutualTlsMode } from '../../model/registry.ts';
import type { ConsulVersion } from '../../model/consul-versions.ts';
import { consulOfLive, isEnterprise } from '../../model/tenancy.ts';
import { fieldText } from '../../model/field-text.ts';
import { configEntryPermission } from '../../model/kind-acl.ts';
import { furtherWritePermission } from '../../model/write-acl.ts';

export interface PlanWarning {
  code:
    | 'permissive-without-intentions'
    | 'mesh-destinations-only-off'
    | 'permissive-allowed-unused'
    | 'field-unknown-to-target-version'
    | 'target-version'
    | 'unsupported-consul-version'
    | 'gateway-tls-unbuildable'
    | 'newest-consul-source-refuses'
    | 'token-lacks-mesh-write'
    | 'token-mesh-write-unknown';
  message: string;
  entry?: string;
}

/**
 * The mesh as it will be once the plan is applied: desired writes over what stays live. `consul`:
 * the plan's target version, so a CE live entry's canonical form is the one the diff computed (one
 * per entry and version, canonical.ts); Consul stored it normalised already, so the version changes
 * nothing but the cache hit. Enterprise entries keep the form graph rules have always been given.
 */
export function finalState(changes: readonly Change[], live: readonly LiveEntry[], consul?: ConsulVersion): Map<string, ApiEntry> {
  return finalStateKeyed(
    changes,
    live,
    live.map((l) => entryKey(entryIdOf(l.entry))),
    consul,
  );
}

/**
 * finalState with each live entry's key already made (`liveKeys[i]` is `live[i]`'s), as the planner
 * has them; `canonicalAt(i, version)`: the planner's own canonical forms (canonicalLive's answer).
 */
export function finalStateKeyed(
  changes: readonly Change[],
  live: readonly LiveEntry[],
  liveKeys: readonly string[],
  consul?: ConsulVersion,
  canonicalAt: (i: number, consul: ConsulVersion | undefined) => ApiEntry = (i, version) => canonicalLive(live[i].entry, version),
): Map<string, ApiEntry> {
  const byKey = new Map<string, ApiEntry>();
  live.forEach((l, i) => {
    const here = consulOfLive(l.entry, consul);
    byKey.set(liveKeys[i], canonicalAt(i, isEnterprise(here) ? undefined : here));
  });
  for (const c of changes) {
    if (c.action === 'delete') byKey.delete(c.key);
    // A change apply does not send (an entry that needs --adopt, an update that would lose fields): the live one stays.
    else if (c.after && sendsWrite(c)) byKey.set(c.key, normalizedWrite(c.after));
  }
  return byKey;
}

/** A plan's written entries, normalised once: the warnings and the cross-entry checks both need them (read-only). */
const normalizedWrites = new WeakMap<ApiEntry, ApiEntry>();

function normalizedWrite(after: ApiEntry): ApiEntry {
  let normalized = normalizedWrites.get(after);
  if (!normalized) normalizedWrites.set(after, (normalized = normalizeEntry(after)));
  return normalized;
}

export function planWarnings(changes: readonly Change[], live: readonly LiveEntry[], consul?: ConsulVersion): PlanWarning[] {
  return stateWarnings(finalState(changes, live, consul));
}

/** planWarnings of a final state already built (finalState). */
export function stateWarnings(finalState: ReadonlyMap<string, ApiEntry>): PlanWarning[] {
  const state = [...finalState.values()];
  const warnings: PlanWarning[] = [];
  const permissive = state.filter((e) => setsMutualTlsMode(e.Kind) && e.MutualTLSMode === 'permissive');
  // Destinations named by an intention, indexed once: one lookup per permissive service, not a scan.
  const destinations = new Set<string>();
  for (const e of state) if (e.Kind === 'service-intentions') destinations.add(String(e.Name).toLowerCase());
  for (const svc of permissive) {
    if (svc.Kind !== 'service-defaults') continue;
    const name = fieldText(svc.Name);
    if (!destinations.has(name.toLowerCase()))
      warnings.push({
        code: 'permissive-without-intentions',
        entry: `service-defaults/${name}`,
        message: `service "${name}" is permissive but no service-intentions entry names it as destination: Consul cannot infer which downstreams may call it once it is strict. Add intentions for its downstreams.`,
      });
  }
  const mesh = state.find((e) => e.Kind === 'mesh');
  if (mesh && permissive.length === 0) {
    if (mesh.AllowEnablingPermissiveMutualTLS === true)
      warnings.push({
        code: 'permissive-allowed-unused',
        entry: 'mesh/mesh',
        message: 'no service is permissive any more, but the mesh still allows it: set AllowEnablingPermissiveMutualTLS = false.',
      });
    if ((mesh.TransparentProxy as { MeshDestinationsOnly?: boolean } | undefined)?.MeshDestinationsOnly !== true)
      warnings.push({
        code: 'mesh-destinations-only-off',
        entry: 'mesh/mesh',
        message:
          'MeshDestinationsOnly = false is still on with no permissive service remaining: set TransparentProxy.MeshDestinationsOnly = true to lock the mesh down.',
      });
  }
  return warnings;
}

/**
 * The writes of a plan that Consul authorises only with mesh:write: every kind whose CanWrite is
 * MeshWriteAllowed (kind-acl.ts: proxy-defaults, mesh, gateways, routes, …) and service-defaults
 * with code-executing extensions or upstream escape hatches (ServiceConfigEntry.CanWrite at
 * hashicorp/consul 03658a0, model/write-acl.ts). Deletes are judged as writes (DeleteConfigEntry asks CanWrite).
 */
export function meshWriteChanges(changes: readonly Change[], consul?: ConsulVersion): Change[] {
  return changes.filter((c) => {
    if (c.action !== 'create' && c.action !== 'update' && c.action !== 'delete') return false;
    const entry = c.action === 'delete' ? c.before : c.after;
    const kind = c.id.kind;
    if (configEntryPermission(kind, c.id.name, 'write')?.resource === 'mesh') return true;
    return !!entry && c.action !== 'delete' && furtherWritePermission(entry, consul)?.perm.resource === 'mesh';
  });
}

/**
 * Warnings for the writes Consul would refuse with 403 because the token lacks mesh:write, said in
 * the plan (and the PR comment) before the apply fails. `allowed`: the answer of
 * `POST /v1/internal/acl/authorize` (undefined: ACLs off, nothing to say); `unknown`: Consul would not say.
 */
export function meshWriteWarnings(changes: readonly Change[], allowed: boolean | undefined | { unknown: string }, consul?: ConsulVersion): PlanWarning[] {
  if (allowed === undefined || allowed === true) return [];
  const needing = meshWriteChanges(changes, consul);
  if (!needing.length) return [];
  if (typeof allowed === 'object')
    return needing.map((c) => ({
      code: 'token-mesh-write-unknown',
      entry: formatEntryId(c.id),
      message: `this write needs mesh:write, and the plan cannot tell whether the token has it (${allowed.unknown}): if not, Consul refuses it with 403 Permission denied`,
    }));
  return needing.map((c) => ({
    code: 'token-lacks-mesh-write',
    entry: formatEntryId(c.id),
    message:
      'the token lacks mesh:write, which this write needs: Consul will refuse it with 403 Permission denied. Give the token\'s policy `mesh = "write"`, or leave this entry to a token that has it',
  }));
}
