// POST /v1/internal/acl/authorize (agent/acl_endpoint.go ACLAuthorize): "would this token be allowed
// to …?" for up to 64 checks at once. The client asks it where Consul filters without telling: an
// empty /v1/health/connect/:service when the token may not read the service.
import type { AclPolicy, Permission } from './acl.ts';
import { HttpError, sendJson, type RequestContext } from './http-util.ts';
import { fieldText } from '../model/field-text.ts';

const MAX_REQUESTS = 64;
const NAMED = new Set(['service', 'intention', 'key', 'node']);
// acl/enforce.go Enforce: `acl` takes read or write and no segment, like mesh and operator.
const UNNAMED = new Set(['mesh', 'operator', 'acl']);

export function aclAuthorize(ctx: RequestContext, acl: AclPolicy): void {
  // checkACLDisabled → aclDisabled.
  if (!acl.enabled) throw new HttpError(401, 'ACL support disabled');
  acl.resolve(ctx);
  let requests: unknown;
  try {
    requests = JSON.parse(ctx.body);
  } catch (e) {
    throw new HttpError(400, `Failed to decode request body: ${(e as Error).message}`);
  }
  if (!Array.isArray(requests))
    throw new HttpError(400, 'Failed to decode request body: json: cannot unmarshal object into Go value of type []structs.ACLAuthorizationRequest');
  if (requests.length > MAX_REQUESTS) throw new HttpError(400, `Refusing to process more than ${MAX_REQUESTS} authorizations at once`);
  const out = requests.map((r: Record<string, unknown>) => {
    const resource = fieldText(r?.Resource);
    const segment = fieldText(r?.Segment);
    const access = fieldText(r?.Access);
    if (!NAMED.has(resource) && !UNNAMED.has(resource)) throw new HttpError(400, `Invalid ACL resource type "${resource}"`);
    if (access !== 'read' && access !== 'write') throw new HttpError(400, `Invalid access level for ${resource} resource: ${access}`);
    const perm: Permission = { resource: resource as Permission['resource'], access, ...(NAMED.has(resource) ? { name: segment } : {}) };
    return { Resource: resource, Segment: segment, Access: access, Allow: acl.can(ctx, perm) };
  });
  sendJson(ctx, 200, out);
}
