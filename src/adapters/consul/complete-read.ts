// Is a 200 list answer the whole truth? Consul drops what the token may not read and still answers
// 200 (ConfigEntry.List, Health.ServiceNodes, Catalog.ListServices filter through filterACL). It says
// so with `X-Consul-Results-Filtered-By-ACLs: true` — but only to an authenticated token:
// Server.maskResultsFilteredByACLs (agent/consul/rpc.go) clears it for the anonymous token, so a
// request without a token under `X-Consul-Default-ACL-Policy: deny` (set on every response by
// agent/http.go wrap) may have been filtered without a word. Either case is an `incomplete-read`:
// an entry missing from such a list is not absent, and a mesh seen through it is not strict.
import { ConsulError } from './errors.ts';
import { header, type ExchangeResponse } from './transport.ts';

/** What the token needs to see the whole list, in the user's words and as a policy rule. */
export interface NeededPermission {
  permission: string;
  rule: string;
}

export interface ReadContext {
  method: string;
  /** Path and query of the request (never the token). */
  path: string;
  /** `listing service-defaults`, `the sidecar proxies of "web"`. */
  what: string;
  /** undefined: reading this needs no permission, so only the filtered header can make it incomplete. */
  needs: NeededPermission | undefined;
  /** Whether a token was sent with the request. */
  tokenSent: boolean;
}

export const FILTERED_HEADER = 'x-consul-results-filtered-by-acls';
export const DEFAULT_POLICY_HEADER = 'x-consul-default-acl-policy';

/** Throws `incomplete-read` when the answer may be missing what the token may not read. */
export function assertCompleteRead(res: ExchangeResponse, ctx: ReadContext): void {
  const filtered = header(res.headers, FILTERED_HEADER)?.toLowerCase() === 'true';
  const anonymousDeny = !ctx.tokenSent && ctx.needs !== undefined && header(res.headers, DEFAULT_POLICY_HEADER)?.toLowerCase() === 'deny';
  if (!filtered && !anonymousDeny) return;
  const needs = ctx.needs ?? { permission: 'read access to everything listed', rule: 'a policy that can read it' };
  const grant = `${needs.permission} (\`${needs.rule}\`)`;
  const request = `${ctx.what} (${ctx.method} ${ctx.path})`;
  const message = filtered
    ? `${request} is incomplete: Consul left out what this token may not read (X-Consul-Results-Filtered-By-ACLs: true), ` +
      `so a missing entry cannot be told from an absent one. The token needs ${grant}.`
    : `${request} may be incomplete: no token was sent and Consul's default ACL policy is deny, so Consul answers with ` +
      `only what the anonymous token may read, and never says what it left out. Set CONSUL_HTTP_TOKEN or ` +
      `CONSUL_HTTP_TOKEN_FILE (or tokenEnv/tokenFile in consul-gitops.yaml) to a token with ${grant}.`;
  throw new ConsulError({
    kind: 'incomplete-read',
    message: `${message} Nothing was planned, applied or judged from this answer.`,
    method: ctx.method,
    path: ctx.path,
    status: res.status,
    attempts: res.attempts,
    missingPermission: needs.permission,
  });
}
