// ACLs as Consul enforces them, reduced to what a dev server needs: a default policy, a management
// token (`--acl-token`), tokens with rules in Consul's own vocabulary (`--acl-policy-file`), and the
// anonymous token for requests without one. A rule is looked up as Consul's policyAuthorizer does
// (acl/policy_authorizer.go): an exact rule wins, else the longest matching prefix rule, else the
// default policy; `mesh` falls back to `operator` when unset. Denials carry Consul's exact texts
// (acl/errors.go).
import { createHash } from 'node:crypto';
import type { AclAccess, AclPermission, AclResource } from '../model/kind-acl.ts';
import type { RequestContext } from './http-util.ts';
import { HttpError, goQuote } from './http-util.ts';

export { configEntryPermission } from '../model/kind-acl.ts';
export type Access = AclAccess;
export type Resource = AclResource;
export type Permission = AclPermission;

export type RuleLevel = 'read' | 'write' | 'deny';

/** A policy's rules, as Consul's JSON policy syntax spells them (`service_prefix "" { policy = "read" }`). */
export interface AclRules {
  service?: Record<string, RuleLevel>;
  service_prefix?: Record<string, RuleLevel>;
  intention?: Record<string, RuleLevel>;
  intention_prefix?: Record<string, RuleLevel>;
  key?: Record<string, RuleLevel>;
  key_prefix?: Record<string, RuleLevel>;
  node?: Record<string, RuleLevel>;
  node_prefix?: Record<string, RuleLevel>;
  /** agent:read guards /v1/agent/self (agent/agent_endpoint.go AgentSelf: AgentReadAllowed on the node name). */
  agent?: Record<string, RuleLevel>;
  agent_prefix?: Record<string, RuleLevel>;
  mesh?: RuleLevel;
  operator?: RuleLevel;
  /** acl:read/write: token and policy management (acl/policy_authorizer.go ACLRead/ACLWrite, no fallback). */
  acl?: RuleLevel;
}

export interface AclTokenConfig {
  secret: string;
  /** Shown in denials (`token with AccessorID '…'`); derived from the secret when absent, never the secret itself. */
  accessorId?: string;
  /** A management token may do everything (the bootstrap token). */
  management?: boolean;
  rules?: AclRules;
}

export interface AclConfig {
  /** acl.default_policy: what applies when no rule matches. */
  defaultPolicy: 'allow' | 'deny';
  tokens: AclTokenConfig[];
  /** The anonymous token's policy (requests without a token). */
  anonymous?: AclRules;
}

/** Consul's default when ACLs are not configured: `acl.default_policy = "allow"`. */
const ACLS_DISABLED_POLICY = 'allow';

interface Token {
  accessorId: string;
  management: boolean;
  rules: AclRules;
}

export class AclPolicy {
  readonly #config: AclConfig | undefined;
  readonly #tokens = new Map<string, Token>();

  /** undefined = ACLs disabled: everything is allowed, every token accepted. */
  constructor(config: AclConfig | undefined) {
    this.#config = config;
    for (const t of config?.tokens ?? []) {
      this.#tokens.set(t.secret, { accessorId: t.accessorId ?? accessorIdOf(t.secret), management: t.management === true, rules: t.rules ?? {} });
    }
  }

  /** `--acl-token T` alone: default deny, T is a management token. */
  static managementOnly(token: string | undefined): AclPolicy {
    return new AclPolicy(token === undefined ? undefined : { defaultPolicy: 'deny', tokens: [{ secret: token, management: true }] });
  }

  get enabled(): boolean {
    return this.#config !== undefined;
  }

  /** X-Consul-Default-ACL-Policy, which agent/http.go's wrap sets on every API response (`allow` when ACLs are off). */
  get defaultPolicyHeader(): string {
    return this.#config?.defaultPolicy ?? ACLS_DISABLED_POLICY;
  }

  /** parseTokenInternal: ?token=, then X-Consul-Token, then Authorization: Bearer. */
  static requestToken(ctx: RequestContext): string {
    const q = ctx.query.get('token');
    if (q) return q;
    const h = ctx.req.headers['x-consul-token'];
    if (typeof h === 'string' && h) return h;
    const auth = ctx.req.headers.authorization;
    if (typeof auth === 'string') {
      const m = /^Bearer\s+(.*)$/i.exec(auth.trim());
      if (m && m[1]) return m[1].trim();
    }
    return '';
  }

  /** Resolves the request's token: throws 403 `ACL not found` for an unknown secret. */
  resolve(ctx: RequestContext): void {
    if (!this.enabled) return;
    const t = AclPolicy.requestToken(ctx);
    if (t === '') {
      ctx.token = undefined;
      return;
    }
    if (!this.#tokens.has(t)) throw new HttpError(403, 'ACL not found');
    ctx.token = t;
  }

  /** May the request's (resolved) token do `perm`? */
  can(ctx: RequestContext, perm: Permission): boolean {
    const config = this.#config;
    if (!config) return true;
    const token = ctx.token === undefined ? undefined : this.#tokens.get(ctx.token);
    if (token?.management) return true;
    const rules = token ? token.rules : (config.anonymous ?? {});
    const level = ruleFor(rules, perm);
    if (level === undefined) return config.defaultPolicy === 'allow';
    if (level === 'deny') return false;
    return perm.access === 'read' || level === 'write';
  }

  /** The request's token as `/v1/acl/token/self` shows it; undefined for the anonymous token. */
  tokenOf(ctx: RequestContext): { accessorId: string; management: boolean } | undefined {
    const token = ctx.token === undefined ? undefined : this.#tokens.get(ctx.token);
    return token && { accessorId: token.accessorId, management: token.management };
  }

  /**
   * Throws Consul's Permission denied error unless the request may do `perm`; `prefix` is the text a
   * CanWrite wraps it in (`fmt.Errorf("…: %w", err)`), which the HTTP layer still answers with 403
   * (agent/http.go: acl.IsErrPermissionDenied looks for "Permission denied" in the text).
   */
  require(ctx: RequestContext, perm: Permission, prefix = ''): void {
    if (this.can(ctx, perm)) return;
    const token = ctx.token === undefined ? undefined : this.#tokens.get(ctx.token);
    throw new HttpError(403, prefix + deniedText(perm, token?.accessorId));
  }

  /**
   * Sets `X-Consul-Results-Filtered-By-ACLs: true` when a list left something out, but only for an
   * authenticated token: Server.maskResultsFilteredByACLs (agent/consul/rpc.go) clears it for the
   * anonymous token so as not to tell it that something exists.
   */
  filteredHeader(ctx: RequestContext, filtered: boolean): Record<string, string> {
    return filtered && ctx.token !== undefined ? { 'X-Consul-Results-Filtered-By-ACLs': 'true' } : {};
  }
}

/** The rule a policy has for a permission: exact name, else longest prefix; mesh falls back to operator. */
function ruleFor(rules: AclRules, perm: Permission): RuleLevel | undefined {
  switch (perm.resource) {
    case 'mesh':
      return rules.mesh ?? rules.operator;
    case 'operator':
      return rules.operator;
    case 'acl':
      return rules.acl;
    default: {
      const name = perm.name ?? '';
      const exact = rules[perm.resource]?.[name];
      if (exact !== undefined) return exact;
      let best: string | undefined;
      for (const prefix of Object.keys(rules[`${perm.resource}_prefix`] ?? {}))
        if (name.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
      return best === undefined ? undefined : rules[`${perm.resource}_prefix`]![best];
    }
  }
}

/** A stable, UUID-shaped accessor id that does not reveal the secret. */
function accessorIdOf(secret: string): string {
  const h = createHash('sha256').update(`accessor:${secret}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** acl.PermissionDeniedError's text, for the anonymous token or a token with an accessor id. */
export function deniedText(perm: Permission, accessorId?: string): string {
  const on = perm.name !== undefined && perm.name !== '' ? ` on ${goQuote(perm.name)}` : '';
  const what = `'${perm.resource}:${perm.access}'${on}`;
  if (accessorId !== undefined) return `Permission denied: token with AccessorID '${accessorId}' lacks permission ${what}`;
  return `Permission denied: anonymous token lacks permission ${what}. The anonymous token is used implicitly when a request does not specify a token.`;
}
