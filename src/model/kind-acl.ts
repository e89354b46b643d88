// Which ACL permission Consul asks for to read or write a config entry of each kind: each kind's
// `CanRead`/`CanWrite` in agent/structs (config_entry.go, config_entry_discoverychain.go,
// config_entry_intentions.go, config_entry_gateways.go, config_entry_exports.go, config_entry_mesh.go).
// Each kind declares its mapping (`acl` in src/model/kinds/*.ts); the dev server enforces these,
// and the Consul client names them when a list came back filtered.
import { kindDefinition } from './registry.ts';

export type AclAccess = 'read' | 'write';
export type AclResource = 'service' | 'intention' | 'mesh' | 'key' | 'node' | 'operator' | 'agent' | 'acl';

export interface AclPermission {
  resource: AclResource;
  access: AclAccess;
  /** Named resources (service, intention, key, node) are checked on a name; mesh and operator are not. */
  name?: string;
}

/**
 * What one kind's CanRead/CanWrite check. `service` and `intention` are checked on the entry's name;
 * `mesh` on nothing (mesh:read / mesh:write); `none`: Consul asks for nothing.
 */
export type KindAclCheck = 'service' | 'intention' | 'mesh' | 'none';

/** A kind's ACL mapping, declared by each kind definition. */
export interface KindAcl {
  read: KindAclCheck;
  write: Exclude<KindAclCheck, 'none'>;
}

/** Kinds Consul's switch does not name check mesh (its default branch). */
const UNKNOWN_KIND_ACL: KindAcl = { read: 'mesh', write: 'mesh' };

/** CanRead / CanWrite of one entry. undefined = Consul asks for nothing (proxy-defaults and mesh reads). */
export function configEntryPermission(kind: string, name: string, access: AclAccess): AclPermission | undefined {
  const check = (kindDefinition(kind)?.acl ?? UNKNOWN_KIND_ACL)[access];
  switch (check) {
    case 'none':
      return undefined;
    case 'mesh':
      return { resource: 'mesh', access };
    default:
      return { resource: check, access, name };
  }
}

/** What a token needs to list every entry of a kind, in the user's words and as a policy rule to grant it. */
export interface ListPermission {
  /** `service:read on every service` */
  permission: string;
  /** `service_prefix "" { policy = "read" }` */
  rule: string;
}

/** undefined = listing the kind needs no permission, so the list cannot have been filtered. */
export function listPermission(kind: string): ListPermission | undefined {
  const perm = configEntryPermission(kind, '', 'read');
  if (!perm) return undefined;
  return resourceListPermission(perm.resource);
}

/** The permission that makes every object of a resource readable. */
export function resourceListPermission(resource: AclResource): ListPermission {
  switch (resource) {
    case 'service':
      return { permission: 'service:read on every service', rule: 'service_prefix "" { policy = "read" }' };
    case 'intention':
      return { permission: 'intention:read on every intention', rule: 'intention_prefix "" { policy = "read" }' };
    case 'node':
      return { permission: 'node:read on every node', rule: 'node_prefix "" { policy = "read" }' };
    case 'key':
      return { permission: 'key:read on the keys', rule: 'key_prefix "" { policy = "read" }' };
    case 'mesh':
      return { permission: 'mesh:read', rule: 'mesh = "read"' };
    case 'operator':
      return { permission: 'operator:read', rule: 'operator = "read"' };
    case 'agent':
      return { permission: 'agent:read on every agent', rule: 'agent_prefix "" { policy = "read" }' };
    case 'acl':
      return { permission: 'acl:read', rule: 'acl = "read"' };
  }
}
