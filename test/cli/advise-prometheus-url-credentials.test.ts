// `advise --stats prometheus=https://user:password@host/` through main(): credentials written in the
// URL, as Prometheus's own tools and Grafana take them, are sent as basic auth (before, undici left
// them out and the run stopped on the 401 with nothing saying why), decoded from the URL's
// percent-encoding, and never printed. A Prometheus double that answers only that basic auth.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';

const USER = 'alice';
const PASSWORD = 'pr0m p@ss:7f3a/'; // a space, an @, a : and a / : written percent-encoded in the URL
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' };

let server: DevServer;
let prometheus: ReturnType<typeof createServer>;
let seen: (string | undefined)[];
let promPort: number;
beforeEach(async () => {
  seen = [];
  prometheus = createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`)
      return res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  promPort = (prometheus.address() as AddressInfo).port;
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await registerSidecar(server.url, 'orders');
});
afterEach(async () => {
  await server.close();
  await new Promise<void>((resolve) => prometheus.close(() => resolve()));
});

describe('advise --stats prometheus=URL with a user and password in the URL', () => {
  it('sends them as basic auth on every query, and never prints the password', async () => {
    const url = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${promPort}/`;
    const run = await runAdvise(server.url, ['--window', '2h', '--json'], { cwd: tempTree(TREE), stats: `prometheus=${url}` });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`]));
    // Answered, with no series: the verdict is insufficient-data, and the source is named without the credentials.
    const out = JSON.parse(run.stdout) as { source: string; services: { verdict: string }[] };
    expect(out.services.map((s) => s.verdict)).toEqual(['insufficient-data']);
    expect(out.source).toBe(`prometheus http://127.0.0.1:${promPort}`);
    expect(run.stdout).not.toContain(encodeURIComponent(PASSWORD));
    expect(run.stdout).not.toContain(PASSWORD);
  });

  it('says on stderr, without the password, when PROMETHEUS_USERNAME/PASSWORD supersede them', async () => {
    const url = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${promPort}/`;
    const run = await runAdvise(server.url, ['--window', '2h', '--json'], {
      cwd: tempTree(TREE),
      stats: `prometheus=${url}`,
      env: { PROMETHEUS_USERNAME: USER, PROMETHEUS_PASSWORD: PASSWORD },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'warning: the user name and password in the Prometheus URL are not used: PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD are set, and they are what is sent\n',
    );
    expect(run.stderr + run.stdout).not.toContain(encodeURIComponent(PASSWORD));
  });
});
