// The query string of every request is written as URLSearchParams writes it: the transport joins
// names and values that need no escaping itself (an apply's `cas=N`), so every other character must
// still come out percent-encoded exactly as before (spaces as `+`, `~` and `'` escaped, UTF-8).
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

const VALUES = ['web', 'a-b_c.d*e', 'Service.Protocol == "http"', 'x~y', "it's", 'a+b', '50%', 'é-ü', '(paren)!', 'a/b', 'a&b=c', '', '日本'];

describe('query strings', () => {
  it('are encoded as URLSearchParams encodes them, plain values or not', async () => {
    const consul = new ConsulClient({ address: fake.url, datacenter: 'dc-1' });
    try {
      fake.fallback(() => ({ status: 200, body: '[]' }));
      for (const filter of VALUES) await consul.listEntries('service-defaults', { filter });
      for (const cas of [0, 7, 123456789]) {
        fake.fallback(() => ({ status: 200, body: 'true' }));
        await consul.putEntry({ Kind: 'service-defaults', Name: 'web' }, { cas });
      }
      const expected = [
        ...VALUES.map((filter) => `/v1/config/service-defaults?${new URLSearchParams({ filter, dc: 'dc-1' }).toString()}`),
        ...[0, 7, 123456789].map((cas) => `/v1/config?cas=${cas}&dc=dc-1`),
      ];
      expect(fake.requests.map((r) => r.url)).toEqual(expected);
    } finally {
      fake.fallback(undefined);
      await consul.close();
    }
  });
});
