// A careless gateway in front of Consul, over loopback: it refuses every request with a 403 whose
// body quotes the X-Consul-Token it received, JSON-quoted and URL-encoded (as a login link would),
// after `padding`. For tests that a secret the process loaded never reaches a log line or GitHub.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoingConsul {
  url: string;
  /** Every token received, in order. */
  tokens: string[];
  close(): Promise<void>;
}

export async function startEchoingConsul(padding = ''): Promise<EchoingConsul> {
  const tokens: string[] = [];
  const server: Server = createServer((req, res) => {
    const token = String(req.headers['x-consul-token'] ?? '');
    tokens.push(token);
    res
      .writeHead(403, { 'content-type': 'text/plain' })
      .end(`Permission denied${padding}: token ${JSON.stringify(token)} not allowed (see /login?next=${req.url}&token=${encodeURIComponent(token)})`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every form a careless echo may give a secret: raw, JSON-escaped, URL-encoded, base64. */
export function formsOf(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64')];
}
