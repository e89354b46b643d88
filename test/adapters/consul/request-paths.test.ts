// The paths the client sends, byte for byte: a Consul behind a path prefix keeps it, names are
// percent-encoded once, and the query follows. The transport hands undici the origin and path
// itself (undici's top-level request() re-parsed the URL on every call).
import { afterAll, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { startFakeHttp } from './fake-http.ts';

const fake = await startFakeHttp();
afterAll(() => fake.close());

describe('request paths', () => {
  it('keeps the address path prefix, encodes names, appends cas', async () => {
    fake.reset();
    fake.fallback(() => ({ status: 200, body: 'true' }));
    const client = new ConsulClient({ address: `${fake.url}/consul/` });
    try {
      expect(await client.putEntry({ Kind: 'service-defaults', Name: 'web' }, { cas: 0 })).toBe(true);
      expect(await client.deleteEntry('service-defaults', 'a b/c')).toBe(true);
    } finally {
      await client.close();
    }
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['PUT /consul/v1/config?cas=0', 'DELETE /consul/v1/config/service-defaults/a%20b%2Fc']);
  });
});
