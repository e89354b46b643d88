// ConsulClient against the project's embedded dev server (src/dev-server/server.ts): real CAS and
// index semantics, Consul's error texts, and the server's fault injection.
import { Agent, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { ConsulError } from '../../../src/adapters/consul/errors.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';

const ACL_TOKEN = 'root-5ecret-0000-4000-8000-000000000001';

let server: DevServer;
let agent: Agent;
let dispatcher: Dispatcher;
/** Every HTTP request the client sends, retries included. */
let sent: string[] = [];
let consul: ConsulClient;

function newClient(token: string | undefined = ACL_TOKEN): ConsulClient {
  return new ConsulClient(
    { address: server.url, token, timeoutMs: 5_000, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } },
    { dispatcher, sleep: async () => {}, random: () => 0.5 },
  );
}

async function failure(p: Promise<unknown>): Promise<ConsulError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConsulError);
  return e as ConsulError;
}

beforeAll(async () => {
  server = await startDevServer({ port: 0, aclToken: ACL_TOKEN });
  agent = new Agent();
  dispatcher = agent.compose((dispatch) => (opts, handler) => {
    sent.push(`${opts.method} ${opts.path}`);
    return dispatch(opts, handler);
  });
  consul = newClient();
});
afterEach(() => {
  server.faults.reset();
  sent = [];
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

describe('config entries with CAS', () => {
  it('creates with cas=0, updates with ModifyIndex, and reports conflicts as false', async () => {
    const web = { Kind: 'service-defaults', Name: 'cas-web', Protocol: 'http' };
    expect(await consul.putEntry(web, { cas: 0 })).toBe(true);
    expect(await consul.putEntry({ ...web, Protocol: 'grpc' }, { cas: 0 })).toBe(false);

    const { entry, index } = await consul.getEntry('service-defaults', 'cas-web');
    expect(entry).toMatchObject({ Kind: 'service-defaults', Name: 'cas-web', Protocol: 'http' });
    expect(entry).not.toHaveProperty('Hash');
    expect(index).toBeGreaterThanOrEqual(1);
    const modifyIndex = entry!.ModifyIndex as number;

    expect(await consul.putEntry({ ...web, Protocol: 'http2' }, { cas: modifyIndex })).toBe(true);
    expect(await consul.putEntry({ ...web, Protocol: 'grpc' }, { cas: modifyIndex })).toBe(false);
    const updated = (await consul.getEntry('service-defaults', 'cas-web')).entry!;
    expect(updated.Protocol).toBe('http2');

    expect(await consul.deleteEntry('service-defaults', 'cas-web', { cas: modifyIndex })).toBe(false);
    expect(await consul.deleteEntry('service-defaults', 'cas-web', { cas: updated.ModifyIndex as number })).toBe(true);
    expect((await consul.getEntry('service-defaults', 'cas-web')).entry).toBeUndefined();
  });

  it('lists entries with the config-entries index and deletes without cas', async () => {
    await consul.putEntry({ Kind: 'service-defaults', Name: 'list-b', Protocol: 'http' });
    await consul.putEntry({ Kind: 'service-defaults', Name: 'list-a', Protocol: 'tcp' });
    const { entries, index } = await consul.listEntries('service-defaults', { filter: 'Name matches "^list-"' });
    expect(entries.map((e) => e.Name)).toEqual(['list-a', 'list-b']);
    expect(index).toBeGreaterThanOrEqual(Math.max(...entries.map((e) => e.ModifyIndex as number)));
    expect(await consul.deleteEntry('service-defaults', 'list-a')).toBe(true);
    expect(await consul.deleteEntry('service-defaults', 'list-b')).toBe(true);
    expect(await consul.deleteEntry('service-defaults', 'never-existed')).toBe(true);
    expect((await consul.listEntries('service-defaults', { filter: 'Name matches "^list-"' })).entries).toEqual([]);
  });

  it('returns undefined for a missing entry', async () => {
    expect((await consul.getEntry('service-defaults', 'missing')).entry).toBeUndefined();
    expect(sent).toEqual(['GET /v1/config/service-defaults/missing']);
  });

  it('wakes a blocking list when the config-entries index moves', async () => {
    const { index } = await consul.listEntries('service-resolver');
    const blocked = consul.listEntries('service-resolver', { index, wait: 10_000 });
    await new Promise((r) => setTimeout(r, 50));
    await consul.putEntry({ Kind: 'service-resolver', Name: 'blocking-db' });
    const woke = await blocked;
    expect(woke.index).toBeGreaterThan(index);
    expect(woke.entries.map((e) => e.Name)).toContain('blocking-db');
    await consul.deleteEntry('service-resolver', 'blocking-db');
  });
});

describe('errors', () => {
  it('surfaces a validation 500 verbatim after a single request', async () => {
    const e = await failure(consul.putEntry({ Kind: 'service-defaults', Name: 'bad-mtls', MutualTLSMode: 'Strict' }));
    expect(e).toMatchObject({ kind: 'validation', status: 500, attempts: 1 });
    expect(e.message).toBe('Invalid MutualTLSMode "Strict". Must be one of "", "strict", or "permissive".');
    expect(sent).toHaveLength(1);
  });

  it('surfaces the permissive mesh gate verbatim after a single request', async () => {
    const e = await failure(consul.putEntry({ Kind: 'service-defaults', Name: 'perm', MutualTLSMode: 'permissive' }));
    expect(e.message).toBe('cannot set MutualTLSMode=permissive because AllowEnablingPermissiveMutualTLS=false in the mesh config entry');
    expect(sent).toHaveLength(1);
  });

  it('reports a 400 decoding error as bad-request', async () => {
    const e = await failure(consul.putEntry({ Kind: 'service-defaults', Name: 'x', Nope: 1 }));
    expect(e.kind).toBe('bad-request');
    expect(e.message).toContain('invalid config key "Nope"');
    expect(sent).toHaveLength(1);
  });

  it('reports an unknown token as permission without leaking it', async () => {
    const wrong = 'wrong-5ecret-token';
    const c = newClient(wrong);
    const e = await failure(c.putEntry({ Kind: 'service-defaults', Name: 'acl' }));
    expect(e).toMatchObject({ kind: 'permission', status: 403, message: 'ACL not found' });
    expect(JSON.stringify(e) + String(e) + (e.stack ?? '')).not.toContain(wrong);
  });
});

describe('faults', () => {
  it('retries over two injected 503s', async () => {
    server.faults.failNext(2, { status: 503 });
    const { entries } = await consul.listEntries('service-router');
    expect(entries).toEqual([]);
    expect(sent).toHaveLength(3);
  });

  it('retries a write over a dropped connection', async () => {
    server.faults.failNext(1, 'drop');
    expect(await consul.putEntry({ Kind: 'service-defaults', Name: 'after-drop' }, { cas: 0 })).toBe(true);
    expect(sent).toHaveLength(2);
    expect((await consul.getEntry('service-defaults', 'after-drop')).entry).toMatchObject({ Name: 'after-drop' });
    await consul.deleteEntry('service-defaults', 'after-drop');
  });

  it('gives up after maxAttempts of 503', async () => {
    server.faults.failNext(10, { status: 503, body: 'rate limit exceeded' });
    const e = await failure(consul.getEntry('mesh', 'mesh'));
    expect(e).toMatchObject({ kind: 'unavailable', status: 503, message: 'rate limit exceeded', attempts: 4 });
    expect(sent).toHaveLength(4);
  });
});

describe('KV and catalog', () => {
  it('puts, gets and deletes KV with cas', async () => {
    expect(await consul.kvPut('consul-gitops/test', 'héllo', { cas: 0 })).toBe(true);
    const pair = await consul.kvGet('consul-gitops/test');
    expect(pair?.value).toBe('héllo');
    expect(await consul.kvPut('consul-gitops/test', 'x', { cas: 0 })).toBe(false);
    expect(await consul.kvDelete('consul-gitops/test', { cas: pair!.modifyIndex })).toBe(true);
    expect(await consul.kvGet('consul-gitops/test')).toBeUndefined();
  });

  it('registers a sidecar and finds it through /v1/health/connect', async () => {
    const ok = await consul.registerCatalog({
      Node: 'node-1',
      Address: '10.0.0.5',
      Service: {
        ID: 'web-sidecar-proxy',
        Service: 'web-sidecar-proxy',
        Kind: 'connect-proxy',
        Port: 21000,
        Proxy: { DestinationServiceName: 'web', DestinationServiceID: 'web-1', LocalServicePort: 8080 },
      },
    });
    expect(ok).toBe(true);
    const instances = await consul.connectServiceInstances('web');
    expect(instances).toEqual([
      expect.objectContaining({
        node: 'node-1',
        address: '10.0.0.5',
        serviceId: 'web-sidecar-proxy',
        port: 21000,
        destinationServiceName: 'web',
        destinationServiceId: 'web-1',
      }),
    ]);
  });
});
