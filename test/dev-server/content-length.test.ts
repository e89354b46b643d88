// Answers carry Content-Length as Consul's Go server sends them: a body of at most 2048 bytes
// (net/http's bufferBeforeChunkingSize) complete when the handler returns gets Content-Length, a
// larger one is chunked. The dev server used to chunk every answer, even a write's `true`.
import { describe, expect, it } from 'vitest';
import { call, useServers } from './support.ts';

const start = useServers();

describe('dev server answer framing', () => {
  it('small answers have Content-Length, large ones are chunked', async () => {
    const s = await start();
    const write = await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: 'web', Protocol: 'http' });
    expect(write.text).toBe('true');
    expect(write.headers.get('content-length')).toBe('4');
    expect(write.headers.get('transfer-encoding')).toBeNull();

    const missing = await call(s.url, 'GET', '/v1/config/service-defaults/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-length')).toBe(String(Buffer.byteLength(missing.text)));

    const noKey = await call(s.url, 'GET', '/v1/kv/absent');
    expect(noKey.status).toBe(404);
    expect(noKey.headers.get('content-length')).toBe('0');

    const options = await call(s.url, 'OPTIONS', '/v1/config');
    expect(options.headers.get('content-length')).toBe('0');

    for (let i = 0; i < 40; i++) await call(s.url, 'PUT', '/v1/config', { Kind: 'service-defaults', Name: `service-${i}`, Protocol: 'http' });
    const list = await call(s.url, 'GET', '/v1/config/service-defaults');
    expect(Buffer.byteLength(list.text)).toBeGreaterThan(2048);
    expect(list.headers.get('transfer-encoding')).toBe('chunked');
    expect(list.headers.get('content-length')).toBeNull();
  });
});
