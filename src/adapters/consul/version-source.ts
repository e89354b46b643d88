// The target's Consul version as its server reports it (GET /v1/agent/self, needs agent:read): a
// read ACLs or a proxy refuse becomes "unknown, because …" so the plan goes on without it.
import type { ConsulClient } from './client.ts';
import { isConsulError } from './errors.ts';
import type { ServerVersion } from '../../core/target-version.ts';

export async function serverVersion(consul: Pick<ConsulClient, 'agentVersion'>): Promise<ServerVersion> {
  try {
    const version = await consul.agentVersion();
    return version ? { known: true, version } : { known: false, why: 'GET /v1/agent/self has no Config.Version' };
  } catch (e) {
    if (!isConsulError(e)) throw e;
    if (e.kind === 'permission') return { known: false, why: 'the token may not read GET /v1/agent/self, which needs agent:read' };
    // Consul unreachable: the plan's own reads fail with the same error, said once there.
    if (e.kind === 'unavailable' || e.kind === 'timeout') throw e;
    return { known: false, why: `GET /v1/agent/self: ${e.status ?? e.transportCode ?? 'no response'} ${e.kind}` };
  }
}
