// The headers of the dev server's answers, in the order they go on the wire: the ACL policy header,
// Content-Type, the route's own (query metadata, Allow), then Content-Length when Go's server would
// send one. Pinned because the answers' header objects are built by assignment for speed
// (http-util.ts answerHeaders), where they used to be object spreads: same names, values and order.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useServers } from './support.ts';

const start = useServers();

/** Status, raw header pairs in wire order (Date's value masked) and body of one request. */
function rawCall(base: string, method: string, path: string, body?: string): Promise<{ status: number; headers: string[][]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const pairs: string[][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i] === 'Date' ? '<date>' : res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, headers: pairs, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dev server answer headers', () => {
  it('a write, a read, a missing entry, a refused method and a pretty read carry the same headers in the same order', async () => {
    const s = await start();
    const write = await rawCall(s.url, 'PUT', '/v1/config', JSON.stringify({ Kind: 'service-defaults', Name: 'web', Protocol: 'http' }));
    expect(write).toEqual({
      status: 200,
      text: 'true',
      headers: [
        ['X-Consul-Default-ACL-Policy', 'allow'],
        ['Content-Type', 'application/json'],
        ['Content-Length', '4'],
        ['Date', '<date>'],
        ['Connection', 'close'],
      ],
    });

    const read = await rawCall(s.url, 'GET', '/v1/config/service-defaults/web');
    expect(read.status).toBe(200);
    expect(read.headers).toEqual([
      ['X-Consul-Default-ACL-Policy', 'allow'],
      ['Content-Type', 'application/json'],
      ['X-Consul-Index', '11'],
      ['X-Consul-KnownLeader', 'true'],
      ['X-Consul-LastContact', '0'],
      ['Content-Length', String(Buffer.byteLength(read.text))],
      ['Date', '<date>'],
      ['Connection', 'close'],
    ]);

    const missing = await rawCall(s.url, 'GET', '/v1/config/service-defaults/nope');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('Config entry not found for "service-defaults" / "nope"');
    expect(missing.headers).toEqual([
      ['X-Consul-Default-ACL-Policy', 'allow'],
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['X-Consul-Index', '11'],
      ['X-Consul-KnownLeader', 'true'],
      ['X-Consul-LastContact', '0'],
      ['Content-Length', String(Buffer.byteLength(missing.text))],
      ['Date', '<date>'],
      ['Connection', 'close'],
    ]);

    const refused = await rawCall(s.url, 'POST', '/v1/config');
    expect(refused.status).toBe(405);
    expect(refused.headers).toEqual([
      ['X-Consul-Default-ACL-Policy', 'allow'],
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Allow', 'OPTIONS,PUT'],
      ['Content-Length', String(Buffer.byteLength(refused.text))],
      ['Date', '<date>'],
      ['Connection', 'close'],
    ]);

    const pretty = await rawCall(s.url, 'GET', '/v1/config/service-defaults/web?pretty');
    expect(pretty.text.endsWith('}\n')).toBe(true);
    expect(pretty.headers.map(([name]) => name)).toEqual(read.headers.map(([name]) => name));
  });
});
