// Shared helpers for dev-server tests: start servers on 127.0.0.1:0 and close them afterwards.
import { afterAll } from 'vitest';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/dev-server/server.ts';

export function useServers(): (options?: DevServerOptions) => Promise<DevServer> {
  const started: DevServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
  });
  return async (options = {}) => {
    const s = await startDevServer({ host: '127.0.0.1', port: 0, ...options });
    started.push(s);
    return s;
  };
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) };
}
