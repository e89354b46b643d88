// A loopback stand-in in front of a Consul (the dev server, the Enterprise double) that answers some
// requests itself (a 403 for a token without the permission, a 500 of a failing server) and
// forwards the rest, recording each request with the status it got.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answering } from './async-handler.ts';

export interface FrontAnswer {
  status: number;
  body: string;
}

export interface ConsulFront {
  url: string;
  /** Every request (path and query as sent) with the status it got, in order. */
  seen: { url: string; status: number }[];
  close(): Promise<void>;
}

/** `answer` returns the front's own answer to a request, or undefined to forward it to `upstream`. */
export async function startConsulFront(upstream: string, answer: (url: URL, method: string) => FrontAnswer | undefined): Promise<ConsulFront> {
  const seen: ConsulFront['seen'] = [];
  const server = createServer(
    answering(async (req, res) => {
      const url = req.url ?? '/';
      const own = answer(new URL(url, 'http://front'), req.method ?? 'GET');
      if (own) {
        seen.push({ url, status: own.status });
        res.writeHead(own.status, { 'content-type': /^[[{]/.test(own.body) ? 'application/json' : 'text/plain' }).end(own.body);
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length'),
      ) as Record<string, string>;
      const r = await fetch(`${upstream}${url}`, { method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      const body = Buffer.from(await r.arrayBuffer());
      seen.push({ url, status: r.status });
      const out = Object.fromEntries([...r.headers].filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding'));
      res.writeHead(r.status, { ...out, 'content-length': String(body.length) }).end(body);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
