// A loopback stand-in for the network between consul-gitops and Consul: forwards every request to
// an upstream (the dev server) unless a rule says otherwise. It can lose the answer after Consul
// handled the request (what the dev server's own `drop` fault, which drops before handling, cannot
// show), or die like a stopped Consul: the port refuses connections from then on.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answering } from './async-handler.ts';

/** `forward`: pass through. `lose-answer`: forward, then close the client's connection without an answer. `die`: stop listening, cut every connection. */
export type ProxyAction = 'forward' | 'lose-answer' | 'die';

export interface ConsulProxy {
  url: string;
  /** Method and path of every request that reached the proxy, in order. */
  seen: string[];
  close(): Promise<void>;
}

/** `rule` may be async: it can change Consul (through the upstream directly) before the request is forwarded. */
export async function startConsulProxy(
  upstream: string,
  rule: (req: IncomingMessage, body: string) => ProxyAction | Promise<ProxyAction>,
): Promise<ConsulProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  let dead = false;
  const server = createServer(
    answering(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      seen.push(`${req.method} ${req.url}`);
      const action = dead ? 'die' : await rule(req, body.toString('utf8'));
      if (action === 'die') return die();
      const upstreamReq = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            if (action === 'lose-answer') return void req.socket.destroy();
            res.writeHead(up.statusCode!, up.headers).end(Buffer.concat(parts));
          });
        },
      );
      upstreamReq.on('error', () => req.socket.destroy());
      upstreamReq.end(body);
    }),
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }));
  const die = () => {
    dead = true;
    void close();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close };
}
