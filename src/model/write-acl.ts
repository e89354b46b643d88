// The permission a config-entry write needs beyond its kind's own (src/model/kind-acl.ts): the
// newest Consul's ServiceConfigEntry.CanWrite asks mesh:write as well for code-executing Envoy
// extensions and upstream escape hatches, and wraps the denial in its own words.
import type { ApiEntry } from './kind-definition.ts';
import { atLeast, SUPPORTED_CONSUL, type ConsulVersion } from './consul-versions.ts';
import type { AclPermission } from './kind-acl.ts';

/**
 * agent/structs `codeExecutingExtensions`, read by EnvoyExtensions.HasCodeExecutingExtension (api.BuiltinLuaExtension,
 * api.BuiltinWasmExtension): extensions whose code Envoy runs on every proxied request.
 */
const CODE_EXECUTING_EXTENSIONS: ReadonlySet<string> = new Set(['builtin/lua', 'builtin/wasm']);

/** ServiceConfigEntry.CanWrite's wrapping of the mesh:write denial (agent/structs/config_entry.go at hashicorp/consul 03658a0). */
export const MESH_WRITE_FOR_CODE =
  'mesh:write required to attach code-executing EnvoyExtensions or upstream escape-hatch overrides (envoy_listener_json, envoy_cluster_json): ';

type Upstream = { EnvoyListenerJSON?: unknown; EnvoyClusterJSON?: unknown } | null | undefined;

/** UpstreamConfiguration.HasEscapeHatchOverride: a listener or cluster JSON override on Defaults or any override. */
function hasEscapeHatchOverride(entry: ApiEntry): boolean {
  const up = entry.UpstreamConfig as { Defaults?: Upstream; Overrides?: Upstream[] } | undefined;
  if (!up) return false;
  const set = (u: Upstream) => !!u && (!!u.EnvoyListenerJSON || !!u.EnvoyClusterJSON);
  return set(up.Defaults) || (up.Overrides ?? []).some(set);
}

/** EnvoyExtensions.HasCodeExecutingExtension: any extension named builtin/lua or builtin/wasm. */
function hasCodeExecutingExtension(entry: ApiEntry): boolean {
  const exts = entry.EnvoyExtensions as { Name?: unknown }[] | undefined;
  return (exts ?? []).some((e) => typeof e?.Name === 'string' && CODE_EXECUTING_EXTENSIONS.has(e.Name));
}

/**
 * The further permission a write of `entry` needs, and the text Consul puts before the denial; undefined
 * when none. Only service-defaults asks it: ProxyConfigEntry.CanWrite already needs mesh:write for every
 * write. The check is in the newest source read (03658a0), whose release is not known, so a dev server
 * emulating an older Consul than the newest modelled does not make it.
 */
export function furtherWritePermission(entry: ApiEntry, version?: ConsulVersion): { perm: AclPermission; prefix: string } | undefined {
  if (entry.Kind !== 'service-defaults') return undefined;
  if (version && !atLeast(version, SUPPORTED_CONSUL.newest)) return undefined;
  if (!hasCodeExecutingExtension(entry) && !hasEscapeHatchOverride(entry)) return undefined;
  return { perm: { resource: 'mesh', access: 'write' }, prefix: MESH_WRITE_FOR_CODE };
}
