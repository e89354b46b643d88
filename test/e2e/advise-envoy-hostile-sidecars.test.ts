// `advise --stats envoy` through main() when a sidecar's stats endpoint answers as an attacker (or a
// broken proxy) would: a body past the size limit, one that dribbles past the timeout, a gzip bomb
// sent as Content-Encoding: gzip, a redirect to the metadata address, bytes that are not UTF-8, and
// counters that are NaN or negative. Each is that sidecar's problem, reported without echoing what it
// answered; none is "no traffic", none is followed elsewhere (the loopback guard would fail the test),
// and the run ends in time with a verdict for every service.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';
import { registerSidecar } from '../support/register-sidecar.ts';
import { verdictsOf } from '../support/prometheus-sidecar-history.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
/** 64 MiB of `a` as 64 KiB of gzip, made once. */
let bomb: Buffer;
/** 40 MiB, past the 32 MiB a sidecar's answer may have. */
const huge = Buffer.alloc(40 * 1024 * 1024, 'a');
const SECRET_LOOKING = 'AKIAIOSFODNN7EXAMPLE-in-the-answer';
const answers: Record<string, (res: import('node:http').ServerResponse) => void> = {
  huge: (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(huge);
  },
  slow: (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const t = setInterval(() => res.write('# still here\n'), 100);
    res.on('close', () => clearInterval(t));
  },
  bomb: (res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(bomb);
  },
  redirect: (res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
    res.end(SECRET_LOOKING);
  },
  latin1: (res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(Buffer.from([0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, ...Buffer.from(SECRET_LOOKING)]));
  },
  nan: (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(
      [
        'envoy_tcp_downstream_cx_total{envoy_tcp_prefix="permissive_public_listener"} NaN',
        'envoy_tcp_downstream_cx_rx_bytes_total{envoy_tcp_prefix="permissive_public_listener"} -5',
        'envoy_tcp_downstream_cx_tx_bytes_total{envoy_tcp_prefix="permissive_public_listener"} +Inf',
        'envoy_listener_ssl_handshake{envoy_listener_address="10.0.0.7_20000"} 10',
        'envoy_server_uptime 100',
        '',
      ].join('\n'),
    );
  },
};
const SERVICES = Object.keys(answers);
const TREE = Object.fromEntries(SERVICES.map((s) => [`config-entries/${s}.hcl`, `Kind = "service-defaults"\nName = "${s}"\nMutualTLSMode = "permissive"\n`]));

let server: DevServer;
const stats: Server[] = [];
beforeAll(async () => {
  bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'));
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  for (const service of SERVICES) {
    const srv = createServer((_req, res) => answers[service](res));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    stats.push(srv);
    const port = (srv.address() as AddressInfo).port;
    await registerSidecar(
      server.url,
      service,
      { Config: { envoy_prometheus_bind_addr: `127.0.0.1:${port}` } },
      { id: `${service}-1`, node: 'n1', address: '127.0.0.1' },
    );
  }
});
afterAll(async () => {
  for (const s of stats) s.closeAllConnections();
  await Promise.all(stats.map((s) => new Promise((r) => s.close(r))));
  await server?.close();
});

describe('advise --stats envoy against sidecar endpoints that answer as an attacker would', () => {
  it('each is its sidecar problem, said in our words, never echoed, never followed, never "no traffic"', async () => {
    const cwd = tempTree(TREE);
    writeFileSync(join(cwd, 'consul-gitops.yaml'), 'targets:\n  - name: dc1\n    advisor:\n      stats:\n        envoy:\n          timeout: 2s\n');
    const started = Date.now();
    const run = await runAdvise(server.url, ['--window', '1h', '--json'], { cwd, stats: 'envoy', now: NOW });
    const v = verdictsOf(run);
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const s of SERVICES) expect(v[s].verdict, s).toBe('insufficient-data');
    const problem = (s: string) => v[s].evidence.problems.join('\n');
    expect(problem('huge')).toContain('could not be read: response larger than 33554432 bytes');
    expect(problem('slow')).toContain('could not be read: no answer within 2s');
    expect(problem('bomb')).toContain('could not be read: none of the Envoy stats the advisor reads in the answer');
    expect(problem('redirect')).toContain('could not be read: HTTP 302');
    expect(problem('latin1')).toContain('could not be read: HTTP 500');
    expect(run.stdout).not.toContain(SECRET_LOOKING);
    expect(run.stdout).not.toContain('169.254.169.254');
    // A NaN or +Inf counter is no reading at all: plaintext on that sidecar is not ruled out.
    expect(v.nan.reasons).toContain(
      'instance n1/nan-1 has no series for plaintext connections or plaintext bytes sent, so plaintext on it cannot be ruled out',
    );
  }, 30_000);
});
