// Two WAN-federated Consul datacenters for the advisor's tests, each a real dev server: a small front
// on 127.0.0.1 answers `/v1/catalog/datacenters` with both names (ours first, as Consul lists the
// servers' own datacenter), routes catalog, health and ACL reads naming `?dc=dc2` to the second
// dev server (without the `dc`, which that server, knowing only its own, would refuse), with its
// nodes' Datacenter said as dc2, and sends every other request (config entries included: they
// replicate from the primary) to the first. dc2 can be made to refuse reads as Consul does: a local
// token unknown there (403 `ACL not found`), or no route to it (500 `No path to datacenter`).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';

export type Dc2State = 'up' | 'acl-not-found' | 'no-path';

export interface FederatedConsul {
  /** The address advise is given (`--consul`): the front. */
  url: string;
  dc1: DevServer;
  dc2: DevServer;
  /** How dc2 answers reads from now on. */
  setDc2(state: Dc2State): void;
  /** `GET /v1/catalog/datacenters` answers 500 from now on (true), or the list again (false). */
  failDatacentersList(fail: boolean): void;
  /** Every path (with query) the front was asked, for tests that check what was read. */
  requests: string[];
  close(): Promise<void>;
}

/** `datacenters`: what `/v1/catalog/datacenters` answers (default both; `['dc1']`: no federation, dc2 then unused). */
export async function startFederatedConsul(datacenters: readonly string[] = ['dc1', 'dc2']): Promise<FederatedConsul> {
  const dc1 = await startDevServer({ host: '127.0.0.1', port: 0 });
  const dc2 = await startDevServer({ host: '127.0.0.1', port: 0 });
  let state: Dc2State = 'up';
  let listFails = false;
  const requests: string[] = [];
  const front = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    requests.push(url.pathname + url.search);
    if (url.pathname === '/v1/catalog/datacenters') {
      if (listFails) return text(res, 500, "rpc error making call: rpc: can't find service Catalog.ListDatacenters");
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(datacenters));
      return;
    }
    const dc = url.searchParams.get('dc');
    const replicated = url.pathname.startsWith('/v1/config');
    if (dc === 'dc2' && !replicated) {
      if (state === 'acl-not-found') return text(res, 403, 'ACL not found');
      if (state === 'no-path') return text(res, 500, 'No path to datacenter');
      url.searchParams.delete('dc');
      return forward(req, res, dc2.url, url, true);
    }
    if (dc === 'dc1') url.searchParams.delete('dc');
    forward(req, res, dc1.url, url, false);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dc1,
    dc2,
    setDc2: (s) => (state = s),
    failDatacentersList: (fail) => (listFails = fail),
    requests,
    close: async () => {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await Promise.all([dc1.close(), dc2.close()]);
    },
  };
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

/** Sends the request on to `base` and its answer back; dc2's answers name their nodes' datacenter as dc2. */
function forward(req: IncomingMessage, res: ServerResponse, base: string, url: URL, asDc2: boolean): void {
  const target = new URL(url.pathname + url.search, base);
  const headers = { ...req.headers, host: target.host };
  const out = request(target, { method: req.method, headers }, (answer) => {
    const chunks: Buffer[] = [];
    answer.on('data', (c: Buffer) => chunks.push(c));
    answer.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      if (asDc2) body = body.replaceAll('"Datacenter":"dc1"', '"Datacenter":"dc2"');
      const h = { ...answer.headers };
      delete h['content-length'];
      delete h['transfer-encoding'];
      res.writeHead(answer.statusCode ?? 502, h);
      res.end(body);
    });
  });
  out.on('error', () => text(res, 502, 'front: upstream failed'));
  req.pipe(out);
}
