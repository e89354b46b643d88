// A loopback stand-in for whatever sits between consul-gitops and Consul and changes one answer:
// an older agent, or a gateway that redacts part of `/v1/agent/self`. Every request goes to the
// upstream (the dev server); a JSON answer to `path` is passed through `rewrite` first.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answering } from './async-handler.ts';

export interface RewritingConsul {
  url: string;
  close(): Promise<void>;
}

export async function startRewritingConsul(upstream: string, path: string, rewrite: (body: any) => unknown): Promise<RewritingConsul> {
  const target = new URL(upstream);
  const server = createServer(
    answering(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const up = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const r = request(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
          (m) => {
            const parts: Buffer[] = [];
            m.on('data', (c: Buffer) => parts.push(c));
            m.on('end', () => resolve({ status: m.statusCode!, headers: m.headers, body: Buffer.concat(parts) }));
            m.on('error', reject);
          },
        );
        r.on('error', reject);
        r.end(Buffer.concat(chunks));
      });
      const own = new URL(req.url!, 'http://x').pathname === path && up.status === 200;
      const body = own ? Buffer.from(JSON.stringify(rewrite(JSON.parse(up.body.toString('utf8'))))) : up.body;
      const headers: Record<string, unknown> = { ...up.headers, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      res.writeHead(up.status, headers as Record<string, string>).end(body);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
