// The body putEntry sends is the entry as compact JSON, 64-bit integers (bigints) as their digits:
// plain JSON.stringify writes the usual entry, and an entry with a bigint still goes out whole.
import { afterAll, describe, expect, it } from 'vitest';
import { ConsulClient } from '../../../src/adapters/consul/client.ts';
import { startFakeHttp } from './fake-http.ts';

const fake = await startFakeHttp();
afterAll(() => fake.close());

describe('putEntry body', () => {
  it('is compact JSON, with bigints as digits and undefined fields left out', async () => {
    fake.reset();
    fake.fallback(() => ({ status: 200, body: 'true' }));
    const client = new ConsulClient({ address: fake.url });
    try {
      await client.putEntry({ Kind: 'service-defaults', Name: 'web', Protocol: 'http', Meta: { note: 'é "q" \u2028' }, Skipped: undefined }, { cas: 0 });
      await client.putEntry({
        Kind: 'service-defaults',
        Name: 'big',
        MaxInboundConnections: 9007199254740993n,
        Nested: [{ N: 18446744073709551615n, S: 'x' }],
      });
    } finally {
      await client.close();
    }
    expect(fake.requests.map((r) => r.body)).toEqual([
      '{"Kind":"service-defaults","Name":"web","Protocol":"http","Meta":{"note":"é \\"q\\" \u2028"}}',
      '{"Kind":"service-defaults","Name":"big","MaxInboundConnections":9007199254740993,"Nested":[{"N":18446744073709551615,"S":"x"}]}',
    ]);
  });
});
