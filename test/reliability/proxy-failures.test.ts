// The loopback proxies answer when their own hook or rule throws, so a broken test double fails its
// test with a 500 naming the cause instead of hanging the client until its timeout (node:http ignores
// the promise an async request handler returns; see test/support/async-handler.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { startAsyncProxy } from './support.ts';
import { startConsulProxy } from '../support/consul-proxy.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('a test proxy whose hook throws', () => {
  it('startAsyncProxy answers 500 naming the error', async () => {
    const proxy = await startAsyncProxy(
      () => 'http://127.0.0.1:9',
      () => Promise.reject(new Error('hook broke')),
    );
    closers.push(() => proxy.close());
    const res = await fetch(`${proxy.url}/v1/agent/self`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('hook broke');
  });

  it('startConsulProxy answers 500 naming the error', async () => {
    const proxy = await startConsulProxy('http://127.0.0.1:9', () => {
      throw new Error('rule broke');
    });
    closers.push(() => proxy.close());
    const res = await fetch(`${proxy.url}/v1/agent/self`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('rule broke');
  });
});
