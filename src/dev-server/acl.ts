// ACLs, reduced to what a dev server needs: when started with a token, that token may do
// everything, any other non-empty token is `ACL not found`, and no token is the anonymous token
// under default-deny, whose denials carry Consul's exact texts (acl/errors.go).
import type { RequestContext } from './http-util.ts';
import { HttpError, goQuote } from './http-util.ts';

export type Access = 'read' | 'write';
export type Resource = 'service' | 'intention' | 'mesh' | 'key' | 'node' | 'operator';

export interface Permission {
  resource: Resource;
  access: Access;
  /** Named resources print ` on "<name>"`; unnamed ones (mesh, operator) have none. */
  name?: string;
}

export class AclPolicy {
  constructor(private readonly token: string | undefined) {}

  get enabled(): boolean {
    return this.token !== undefined;
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
    if (t !== this.token) throw new HttpError(403, 'ACL not found');
    ctx.token = t;
  }

  allowed(ctx: RequestContext): boolean {
    return !this.enabled || ctx.token === this.token;
  }

  /** Throws Consul's Permission denied error unless the request may do `perm`. */
  require(ctx: RequestContext, perm: Permission): void {
    if (this.allowed(ctx)) return;
    throw new HttpError(403, deniedText(perm));
  }
}

export function deniedText(perm: Permission): string {
  const on = perm.name !== undefined && perm.name !== '' ? ` on ${goQuote(perm.name)}` : '';
  return `Permission denied: anonymous token lacks permission '${perm.resource}:${perm.access}'${on}. The anonymous token is used implicitly when a request does not specify a token.`;
}

/** CanRead / CanWrite per config-entry kind (consul-config-api.md §7). undefined = no ACL needed. */
export function configEntryPermission(kind: string, name: string, access: Access): Permission | undefined {
  switch (kind) {
    case 'service-defaults':
    case 'service-router':
    case 'service-splitter':
    case 'service-resolver':
      return { resource: 'service', access, name };
    case 'service-intentions':
      return { resource: 'intention', access, name };
    case 'proxy-defaults':
    case 'mesh':
      return access === 'read' ? undefined : { resource: 'mesh', access: 'write' };
    case 'ingress-gateway':
    case 'terminating-gateway':
      return access === 'read' ? { resource: 'service', access, name } : { resource: 'mesh', access: 'write' };
    default:
      return { resource: 'mesh', access };
  }
}
