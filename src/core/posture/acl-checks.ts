// ACL checks: default deny, the anonymous token, and the reconciler's own token.
import type { PostureCheck } from './check.ts';
import type { PostureFacts } from './facts.ts';
import { fail, pass, unknownFor, warn } from './finding.ts';
import { defaultDenyIntention } from './intention-checks.ts';

const ENABLE_ACLS = 'enable ACLs on every agent: acl { enabled = true, default_policy = "deny" }';

/** structs.ACLPolicyGlobalManagementID (agent/structs/acl.go): the management token's policy. */
export const GLOBAL_MANAGEMENT_POLICY_ID = '00000000-0000-0000-0000-000000000001';

export const aclDefaultDeny: PostureCheck = {
  id: 'acl-default-deny',
  title: 'ACLs enabled, default deny',
  checklistLine: 'Production checklist, ACLs: enable ACLs with default_policy "deny" and grant each token only what it needs',
  evaluate(f) {
    if (!f.acl.enabled) return fail('ACLs are disabled (GET /v1/acl/token/self: "ACL support disabled"): any request may do anything', ENABLE_ACLS);
    if (f.acl.defaultPolicy === 'deny') return pass('X-Consul-Default-ACL-Policy: deny');
    // Default allow can be compensated: anonymous may not write services and intentions deny by default.
    const anon = f.anonymousServiceWrite;
    const deny = defaultDenyIntention(f);
    if (!anon.known) return unknownFor(anon);
    if (!deny.known) return unknownFor(deny);
    const missing = [anon.value ? 'the anonymous token may write services' : '', deny.value ? '' : 'no "*" → "*" deny intention'].filter(Boolean);
    if (missing.length === 0)
      return warn(
        'X-Consul-Default-ACL-Policy: allow, compensated: anonymous service:write is denied and a "*" → "*" deny intention exists',
        'set acl.default_policy = "deny"',
      );
    return fail(
      `X-Consul-Default-ACL-Policy: allow, and ${missing.join(', ')}`,
      'set acl.default_policy = "deny" (or deny anonymous service:write and add a "*" → "*" deny intention)',
    );
  },
};

export const anonymousServiceWrite: PostureCheck = {
  id: 'acl-anonymous-service-write',
  title: 'anonymous token may not write services',
  checklistLine: 'Production checklist, ACLs: a service identity is only as strong as the ACLs guarding service:write; the anonymous token must not hold it',
  evaluate(f) {
    if (!f.acl.enabled) return fail('ACLs are disabled: a request without a token may register any service and obtain its identity', ENABLE_ACLS);
    const anon = f.anonymousServiceWrite;
    if (!anon.known) return unknownFor(anon);
    return anon.value
      ? fail(
          'POST /v1/internal/acl/authorize without a token: service:write allowed',
          'deny it in the anonymous token\'s policy: service_prefix "" { policy = "read" } (or "deny")',
        )
      : pass('POST /v1/internal/acl/authorize without a token: service:write denied');
  },
};

export const reconcilerTokenScope: PostureCheck = {
  id: 'acl-reconciler-token',
  title: "reconciler's token is least-privilege",
  checklistLine:
    'README, Consul ACL token: mesh:write, service:write on managed services, intention:write on their destinations, key_prefix "consul-gitops/" write; never a management token',
  evaluate(f: PostureFacts) {
    if (!f.acl.enabled) return fail('ACLs are disabled: the token is not checked at all', ENABLE_ACLS);
    const t = f.token;
    if (!t.known) return unknownFor(t);
    const fix = "create a token with only the README's policy and set CONSUL_HTTP_TOKEN (or tokenEnv) to it";
    if (t.value === undefined) return fail('no token, or one Consul does not know (GET /v1/acl/token/self: 403): requests run as the anonymous token', fix);
    const mgmt = t.value.policies.find((p) => p.id === GLOBAL_MANAGEMENT_POLICY_ID || p.name === 'global-management');
    if (mgmt) return fail(`token ${t.value.accessorId} is a management token (policy global-management)`, fix);
    if (t.value.excess.length) return fail(`token ${t.value.accessorId} also holds ${t.value.excess.join(', ')}`, fix);
    const names = t.value.policies.map((p) => p.name || p.id).join(', ') || 'none';
    return pass(`token ${t.value.accessorId} (policies: ${names}) holds none of acl:write, operator:write, key:write outside consul-gitops/, node:write`);
  },
};
