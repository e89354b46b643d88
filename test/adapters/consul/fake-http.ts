// A scripted node:http server on 127.0.0.1:0 for transport tests. Each request takes the next
// scripted reply; a request with no reply left fails the test loudly (500 `fake: unexpected …`
// and recorded in `unexpected`).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'drop' // destroy the socket after reading the request: no response at all
  | 'hang'; // never answer (until the server closes)

export interface FakeHttp {
  url: string;
  requests: RecordedRequest[];
  unexpected: RecordedRequest[];
  /** Queue replies, consumed in order. */
  reply(...replies: Reply[]): void;
  /** Reply used when the queue is empty (default: none → unexpected). */
  fallback(reply: ((req: RecordedRequest) => Reply) | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeHttp(): Promise<FakeHttp> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let fallback: ((req: RecordedRequest) => Reply) | undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      const reply = queue.shift() ?? fallback?.(rec);
      if (reply === undefined) {
        unexpected.push(rec);
        return send(res, { status: 500, body: `fake: unexpected ${rec.method} ${rec.url}` });
      }
      if (reply === 'drop') return req.socket.destroy();
      if (reply === 'hang') return;
      send(res, reply);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    reply: (...r) => queue.push(...r),
    fallback: (f) => {
      fallback = f;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      unexpected.length = 0;
      fallback = undefined;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, r: { status: number; body?: string; headers?: Record<string, string> }): void {
  const isJson = r.status < 300;
  res.writeHead(r.status, { 'content-type': isJson ? 'application/json' : 'text/plain; charset=utf-8', ...r.headers });
  res.end(r.body ?? '');
}
