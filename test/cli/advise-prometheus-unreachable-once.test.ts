// `advise --stats prometheus=URL` when Prometheus answers nothing usable at all (our credentials refused,
// or nobody there): the run stops after the first query instead of sending, and waiting out, every
// other query of the run for the same answer. Through main() with a Prometheus double that counts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' };

describe('advise against a Prometheus that answers no query', () => {
  it('a Prometheus refusing our credentials is asked once, and the error says so', async () => {
    let requests = 0;
    const prometheus = createServer((_req, res) => {
      requests++;
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
    const server = await startDevServer({ host: '127.0.0.1', port: 0 });
    try {
      await registerSidecar(server.url, 'orders');
      const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
      const run = await runAdvise(server.url, [], { cwd: tempTree(TREE), stats: `prometheus=${url}` });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`error: prometheus ${url}: no query answered (HTTP 401, not a Prometheus API answer: Unauthorized`);
      expect(requests).toBe(1);
    } finally {
      await server.close();
      await new Promise<void>((resolve) => prometheus.close(() => resolve()));
    }
  });
});
