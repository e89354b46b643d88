// /v1/agent/self in Consul's shape (agent/agent_endpoint.go AgentSelf, RuntimeConfig.Sanitized(),
// tlsutil.Config, serf.Stats()): what a real agent answers, insecure or secure, so the posture
// checks are tested against the fields Consul really sends and not against the dev server's guess.
import { afterEach, describe, expect, it } from 'vitest';
import { INSECURE_AGENT, SECURE_AGENT } from '../../src/dev-server/agent-routes.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function self(agent = INSECURE_AGENT): Promise<any> {
  server = await startDevServer({ port: 0, agent });
  return (await fetch(`${server.url}/v1/agent/self`)).json();
}

describe('GET /v1/agent/self', () => {
  it('hides every secret-named string, set or not, as Sanitized() does: EncryptKey never tells whether gossip is encrypted', async () => {
    for (const agent of [INSECURE_AGENT, SECURE_AGENT]) {
      const j = await self(agent);
      expect(j.DebugConfig.EncryptKey).toBe('hidden');
      for (const p of ['InternalRPC', 'GRPC', 'HTTPS']) expect(j.DebugConfig.TLS[p].KeyFile).toBe('hidden');
      expect(j.Stats.serf_lan.encrypted).toBe(String(agent.gossipEncrypted));
      await server!.close();
      server = undefined;
    }
  });

  it('has the Self struct of current Consul: Config.BuildDate, a whole serf.Member, xDS ports, tlsutil.Config.ServerMode', async () => {
    const j = await self();
    expect(Object.keys(j).sort()).toEqual(['Config', 'Coord', 'DebugConfig', 'Member', 'Meta', 'Stats', 'xDS']);
    expect(Object.keys(j.Config).sort()).toEqual(['BuildDate', 'Datacenter', 'NodeID', 'NodeName', 'PrimaryDatacenter', 'Revision', 'Server', 'Version']);
    expect(Object.keys(j.Member).sort()).toEqual([
      'Addr',
      'DelegateCur',
      'DelegateMax',
      'DelegateMin',
      'Name',
      'Port',
      'ProtocolCur',
      'ProtocolMax',
      'ProtocolMin',
      'Status',
      'Tags',
    ]);
    expect(j.xDS).toMatchObject({ Port: expect.any(Number), Ports: { Plaintext: expect.any(Number), TLS: expect.any(Number) } });
    expect(Object.keys(j.DebugConfig.TLS).sort()).toEqual([
      'AutoTLS',
      'Domain',
      'EnableAgentTLSForChecks',
      'GRPC',
      'HTTPS',
      'InternalRPC',
      'NodeName',
      'ServerMode',
      'ServerName',
    ]);
    expect(Object.keys(j.DebugConfig.TLS.InternalRPC).sort()).toEqual([
      'CAFile',
      'CAPath',
      'CertFile',
      'CipherSuites',
      'KeyFile',
      'TLSMinVersion',
      'UseAutoCert',
      'VerifyIncoming',
      'VerifyOutgoing',
      'VerifyServerHostname',
    ]);
    // serf.Stats() keys, every value a string; agent.Stats() adds `agent` and `build`.
    expect(Object.keys(j.Stats.serf_lan).sort()).toEqual([
      'coordinate_resets',
      'encrypted',
      'event_queue',
      'event_time',
      'failed',
      'health_score',
      'intent_queue',
      'left',
      'member_time',
      'members',
      'query_queue',
      'query_time',
    ]);
    for (const group of Object.values<Record<string, unknown>>(j.Stats)) for (const v of Object.values(group)) expect(typeof v).toBe('string');
    expect(Object.keys(j.Stats).sort()).toEqual(['agent', 'build', 'consul', 'raft', 'runtime', 'serf_lan', 'serf_wan']);
  });
});
