// What one config-entry write costs the client in objects, counted (not timed): the writes go through
// undici's dispatch() with the client's own handler (undici-writes.ts), so no write makes undici's
// request() machinery (an AsyncResource 'UNDICI_REQUEST' and a Readable body per request).
import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { startFakeHttp, type FakeHttp } from './fake-http.ts';

let fake: FakeHttp;

beforeAll(async () => {
  fake = await startFakeHttp();
});
afterAll(async () => {
  await fake.close();
});

/** The async resources, by type, created while `run` runs. */
async function resourcesOf(run: () => Promise<void>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const hook = createHook({ init: (_id, type) => void counts.set(type, (counts.get(type) ?? 0) + 1) });
  hook.enable();
  try {
    await run();
  } finally {
    hook.disable();
  }
  return counts;
}

describe('a config-entry write', () => {
  it("makes none of undici's request() objects", async () => {
    const consul = new ConsulClient({ address: fake.url, token: 'write-objects-token' });
    try {
      fake.fallback(() => ({ status: 200, body: 'true' }));
      // The first write loads undici and opens a connection: not counted.
      expect(await consul.putEntry({ Kind: 'service-defaults', Name: 'warm', Protocol: 'http' }, { cas: 0 })).toBe(true);
      const writes = 20;
      const counts = await resourcesOf(async () => {
        for (let i = 0; i < writes; i++) expect(await consul.putEntry({ Kind: 'service-defaults', Name: `web-${i}`, Protocol: 'http' }, { cas: 0 })).toBe(true);
      });
      expect(counts.get('UNDICI_REQUEST') ?? 0).toBe(0);
      expect(fake.requests.map((r) => `${r.method} ${r.url} ${r.body.length > 0}`).slice(1)).toEqual(
        Array.from({ length: writes }, () => 'PUT /v1/config?cas=0 true'),
      );
    } finally {
      fake.fallback(undefined);
      await consul.close();
    }
  });
});
