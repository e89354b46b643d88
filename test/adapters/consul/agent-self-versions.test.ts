// The posture's agent facts from /v1/agent/self as agents before Consul 1.12 answer it: the TLS
// verify flags were RuntimeConfig's own (VerifyIncoming, VerifyIncomingRPC, VerifyOutgoing,
// VerifyServerHostname), not DebugConfig.TLS.InternalRPC. Served from 127.0.0.1 by a tiny stub.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';

let server: Server | undefined;
let client: ConsulClient | undefined;
afterEach(async () => {
  await client?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = client = undefined;
});

async function agentSelf(debugConfig: Record<string, unknown>) {
  server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        Config: { NodeName: 'old-1' },
        DebugConfig: { ConnectSidecarMinPort: 21000, ConnectSidecarMaxPort: 21255, EncryptKey: 'hidden', ...debugConfig },
        Stats: { serf_lan: { encrypted: 'true' } },
      }),
    );
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  client = new ConsulClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return client.agentSelf();
}

describe('agentSelf on a Consul before 1.12', () => {
  it('reads the flat verify flags, verify_incoming_rpc counting for RPC', async () => {
    expect(
      (await agentSelf({ VerifyIncoming: false, VerifyIncomingRPC: true, VerifyIncomingHTTPS: false, VerifyOutgoing: true, VerifyServerHostname: true }))
        .rpcTls,
    ).toEqual({
      verifyIncoming: true,
      verifyOutgoing: true,
      verifyServerHostname: true,
    });
  });

  it('reports a flag left off as off, and no flags at all as not known', async () => {
    expect((await agentSelf({ VerifyIncoming: false, VerifyIncomingRPC: false, VerifyOutgoing: true, VerifyServerHostname: false })).rpcTls).toEqual({
      verifyIncoming: false,
      verifyOutgoing: true,
      verifyServerHostname: false,
    });
    await client!.close();
    await new Promise((r) => server!.close(r));
    expect((await agentSelf({})).rpcTls).toBeUndefined();
  });
});
