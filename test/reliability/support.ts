// Loopback helpers shared by the reliability tests: an async man-in-the-middle in front of the dev
// server (it may act — race a write, restart Consul — before forwarding), and a config tree of N services.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answering } from '../support/async-handler.ts';

/** What the proxy does with one request after the hook ran. */
export type Verdict = 'forward' | { status: number; body: string; headers?: Record<string, string> };

export interface AsyncProxy {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

/** Forwards to `upstream()` (read on every request, so Consul may move) unless `hook` answers itself. */
export async function startAsyncProxy(upstream: () => string, hook: (req: IncomingMessage, body: string) => Promise<Verdict>): Promise<AsyncProxy> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createServer(
    answering(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      seen.push(`${req.method} ${req.url}`);
      const verdict = await hook(req, body.toString('utf8'));
      if (verdict !== 'forward') return void res.writeHead(verdict.status, { 'content-type': 'text/plain', ...verdict.headers }).end(verdict.body);
      const target = new URL(upstream());
      const up = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => res.writeHead(answer.statusCode!, answer.headers).end(Buffer.concat(parts)));
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(body);
    }),
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Kind/name of a config-entry write (PUT /v1/config), else undefined. */
export function writtenEntry(req: IncomingMessage, body: string): string | undefined {
  if (req.method !== 'PUT' || !(req.url === '/v1/config' || req.url?.startsWith('/v1/config?'))) return undefined;
  const entry = JSON.parse(body) as { Kind: string; Name: string };
  return `${entry.Kind}/${entry.Name}`;
}

export const serviceDefaults = (name: string, protocol = 'http') => `Kind = "service-defaults"\nName = "${name}"\nProtocol = "${protocol}"\n`;

/** `count` services' service-defaults files under config-entries/. */
export function servicesTree(count: number, protocol = 'http'): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`config-entries/svc${String(i).padStart(2, '0')}.hcl`] = serviceDefaults(`svc${String(i).padStart(2, '0')}`, protocol);
  return files;
}

/** Protocol of every service-defaults entry Consul holds, by name. */
export async function liveProtocols(consulUrl: string): Promise<Record<string, string>> {
  const list = (await (await fetch(`${consulUrl}/v1/config/service-defaults`)).json()) as Array<{ Name: string; Protocol: string }>;
  return Object.fromEntries(list.map((e) => [e.Name, e.Protocol]));
}
