// A loopback relay in front of a Consul double that holds back answers of one group of requests and
// counts how many of that group are open at once, to pin a client's concurrency cap on any machine.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingRelay {
  url: string;
  /** Most requests of the counted group open at once. */
  peak: number;
  close(): Promise<void>;
}

/**
 * Forwards to `target`, holding back the answers of requests `groupOf` names (by group): all are let
 * go when more than `limit` of one group are open (the peak already says too many), or when no new
 * one has arrived for 100 ms (the client waits for answers before it asks more). So requests a client
 * sends together are all open together, however slowly a loaded machine delivers them. `peak` counts
 * the group `counted` (every group when absent).
 */
export async function startHoldingRelay(
  target: string,
  opts: { limit: number; groupOf: (req: IncomingMessage) => string | undefined; counted?: string },
): Promise<HoldingRelay> {
  const held: { group: string; send: () => void }[] = [];
  let idle: NodeJS.Timeout | undefined;
  const releaseAll = () => {
    clearTimeout(idle);
    for (const h of held.splice(0)) h.send();
  };
  const relay = { peak: 0 } as HoldingRelay;
  const server: Server = createServer((req, res) => {
    const group = opts.groupOf(req);
    const up = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const send = () => res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
        if (group === undefined) return send();
        held.push({ group, send });
        const open = held.filter((h) => h.group === group).length;
        if (opts.counted === undefined || group === opts.counted) relay.peak = Math.max(relay.peak, open);
        clearTimeout(idle);
        if (open > opts.limit) releaseAll();
        else idle = setTimeout(releaseAll, 100);
      });
    });
    // A connection closed under the relay (a test's double closing) ends this exchange, not the test process.
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relay.close = () =>
    new Promise<void>((resolve) => {
      releaseAll();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return relay;
}
