// The newest Consul's ServiceConfigEntry.CanWrite (agent/structs/config_entry.go at hashicorp/consul
// 03658a0) asks mesh:write besides service:write for service-defaults that attach code Envoy runs
// (builtin/lua, builtin/wasm) or upstream escape hatches (EnvoyListenerJSON / EnvoyClusterJSON on
// Defaults or an override), and wraps the denial in its own text; agent/http.go answers 403 because
// the text holds "Permission denied". The dev server over HTTP, one server per Consul version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

const WRITER = { secret: 'writer-secret', accessorId: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9cb2', rules: { service_prefix: { '': 'write' as const } } };
const OPERATOR = {
  secret: 'operator-secret',
  accessorId: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9cb3',
  rules: { service_prefix: { '': 'write' as const }, operator: 'write' as const },
};
const WASM = {
  Name: 'builtin/wasm',
  Arguments: { Protocol: 'http', ListenerType: 'inbound', PluginConfig: { VmConfig: { Code: { Local: { Filename: '/x.wasm' } } } } },
};
const DENIED = `mesh:write required to attach code-executing EnvoyExtensions or upstream escape-hatch overrides (envoy_listener_json, envoy_cluster_json): Permission denied: token with AccessorID '${WRITER.accessorId}' lacks permission 'mesh:write'`;

let newest: DevServer;
let older: DevServer;
beforeAll(async () => {
  const acl = { defaultPolicy: 'deny' as const, tokens: [WRITER, OPERATOR] };
  [newest, older] = await Promise.all([
    startDevServer({ port: 0, host: '127.0.0.1', acl }),
    startDevServer({ port: 0, host: '127.0.0.1', acl, consulVersion: '1.22.6' }),
  ]);
});
afterAll(async () => {
  await Promise.all([newest.close(), older.close()]);
});

const put = async (server: DevServer, token: string, body: object) => {
  const res = await fetch(`${server.url}/v1/config`, {
    method: 'PUT',
    headers: { 'X-Consul-Token': token },
    body: JSON.stringify({ Kind: 'service-defaults', Name: 'api', ...body }),
  });
  return { status: res.status, text: await res.text() };
};

describe('service-defaults that attach code need mesh:write as well (newest Consul)', () => {
  it('refuses wasm and an escape hatch on Defaults to a service:write token with Consul’s 403 text; plain service-defaults and a mesh:write token pass', async () => {
    expect(await put(newest, WRITER.secret, { Protocol: 'http' })).toEqual({ status: 200, text: 'true' });
    expect(await put(newest, WRITER.secret, { Protocol: 'http', EnvoyExtensions: [WASM] })).toEqual({ status: 403, text: DENIED });
    expect(await put(newest, WRITER.secret, { UpstreamConfig: { Defaults: { EnvoyListenerJSON: '{}' } } })).toEqual({ status: 403, text: DENIED });
    // operator:write grants mesh:write (acl: mesh falls back to operator).
    expect(await put(newest, OPERATOR.secret, { Protocol: 'http', EnvoyExtensions: [WASM] })).toEqual({ status: 200, text: 'true' });
    // Other extensions are not code Envoy runs: service:write is enough.
    expect(
      await put(newest, WRITER.secret, {
        EnvoyExtensions: [{ Name: 'builtin/aws/lambda', Arguments: { ARN: 'arn:aws:lambda:us-east-1:111111111111:function:f' } }],
      }),
    ).toEqual({ status: 200, text: 'true' });
  });

  it('a dev server emulating an older Consul does not ask it (the release of the check is not known)', async () => {
    expect(await put(older, WRITER.secret, { Protocol: 'http', EnvoyExtensions: [WASM] })).toEqual({ status: 200, text: 'true' });
  });
});
