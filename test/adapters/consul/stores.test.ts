// The core's ports over ConsulClient, against the embedded dev server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../../../src/adapters/consul/stores.ts';
import { startDevServer, type DevServer } from '../../../src/dev-server/server.ts';

let server: DevServer;
let consul: ConsulClient;

beforeAll(async () => {
  server = await startDevServer({ port: 0 });
  consul = new ConsulClient({ address: server.url, retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 } });
});
afterAll(async () => {
  await consul.close();
  await server.close();
});

describe('ConsulConfigEntryStore', () => {
  it('reads entries with their ModifyIndex and writes with check-and-set', async () => {
    const store = new ConsulConfigEntryStore(consul);
    expect(await store.write({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, 0)).toBe(true);
    const live = await store.get('service-defaults', 'web');
    expect(live?.modifyIndex).toBe(live?.entry.ModifyIndex);
    expect(await store.write({ Kind: 'service-defaults', Name: 'web', Protocol: 'grpc' }, live!.modifyIndex - 1)).toBe(false);
    expect(await store.write({ Kind: 'service-defaults', Name: 'web', Protocol: 'grpc' }, live!.modifyIndex)).toBe(true);
    expect((await store.list('service-defaults')).map((l) => l.entry.Protocol)).toEqual(['grpc']);
    const current = (await store.get('service-defaults', 'web'))!;
    expect(await store.delete('service-defaults', 'web', current.modifyIndex)).toBe(true);
    expect(await store.get('service-defaults', 'web')).toBeUndefined();
  });

  it('answers false for a CAS write that conflicted after a dropped connection was retried', async () => {
    const store = new ConsulConfigEntryStore(consul);
    await store.write({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' }, 0);
    server.faults.failNext(1, 'drop');
    expect(await store.write({ Kind: 'service-defaults', Name: 'api', Protocol: 'tcp' }, 0)).toBe(false);
  });
});

describe('ConsulKvStateStore', () => {
  it('round-trips a value with check-and-set', async () => {
    const store = new ConsulKvStateStore(consul);
    expect(await store.write('consul-gitops/state', '{"a":1}', 0)).toBe(true);
    const read = await store.read('consul-gitops/state');
    expect(read?.value).toBe('{"a":1}');
    expect(await store.write('consul-gitops/state', 'x', 0)).toBe(false);
    expect(await store.write('consul-gitops/state', 'x', read!.modifyIndex)).toBe(true);
  });
});
