// The advisor when Prometheus is down or answers only part of the question, through `advise`
// (main(), the real Prometheus source built from --stats prometheus=URL) against a loopback Prometheus
// double speaking the /api/v1/query envelope. A service with no plaintext in the window is
// ready-for-strict only on complete data; down, a failed query, a partial-response warning or a
// window only half covered all make it insufficient-data, never ready-for-strict.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { tempTree } from '../support/run-cli.ts';
import { freePort } from '../support/prometheus.ts';
import { answering } from '../support/async-handler.ts';
import { createTrafficSampleSource, parseStatsFlag } from '../../src/adapters/stats/create-source.ts';
import type { TrafficSourceFactory } from '../../src/runtime/traffic-source.ts';

// The production factory as src/runtime/traffic-source.ts documents its wiring (pending at merge on
// this branch): the flag parsed, the real PrometheusTrafficSource built from it.
const wired: TrafficSourceFactory = (r) =>
  createTrafficSampleSource(parseStatsFlag(r.flag!), { consul: r.consul, state: r.state, stateKeyPrefix: r.stateKeyPrefix, target: r.target, env: r.env });

const NOW = Date.parse('2026-11-25T12:00:00Z');
const MIN = 60_000;
const labels = {
  local_cluster: 'orders',
  consul_source_service: 'orders',
  consul_source_namespace: 'default',
  consul_source_partition: 'default',
  pod: 'orders-a',
  instance: '10.0.0.8:20200',
};
const perm = { envoy_tcp_prefix: 'permissive_public_listener' };

/** Two hours of one sample a minute: no plaintext (flat counters), mTLS handshakes rising. */
const SERIES: Record<string, Array<{ metric: Record<string, string>; at: (m: number) => number }>> = {
  envoy_tcp_downstream_cx_total: [{ metric: { ...labels, ...perm }, at: () => 40 }],
  envoy_tcp_downstream_cx_rx_bytes_total: [{ metric: { ...labels, ...perm }, at: () => 4000 }],
  envoy_tcp_downstream_cx_tx_bytes_total: [{ metric: { ...labels, ...perm }, at: () => 9000 }],
  envoy_listener_ssl_handshake: [{ metric: { ...labels, envoy_listener_address: '10.0.0.8_20000' }, at: (m) => 500 + 7 * m }],
  envoy_server_uptime: [{ metric: labels, at: (m) => 90_000 + 60 * m }],
};

interface Behaviour {
  /** Metric whose query fails with Prometheus's 503 "query timed out". */
  failing?: string;
  warning?: string;
  /** Only these queries carry the warning: the permissive counters read after the window's end, or the series without the service label. */
  warningOnly?: 'after-window' | 'unlabelled';
  /** Samples only from this minute of the window on. */
  fromMinute?: number;
}

let consul: DevServer;
let prometheus: Server;
let promUrl: string;
let behaviour: Behaviour = {};

beforeAll(async () => {
  consul = await startDevServer({ host: '127.0.0.1', port: 0 });
  const put = (path: string, body: unknown) => fetch(`${consul.url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  await put('/v1/catalog/register', {
    Node: 'n1',
    Address: '10.0.0.8',
    Service: { Kind: 'connect-proxy', Service: 'orders-sidecar-proxy', Port: 20000, Proxy: { DestinationServiceName: 'orders' } },
  });
  prometheus = createServer(
    answering(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      const form = new URLSearchParams(body || new URL(req.url!, 'http://x').search);
      const query = form.get('query') ?? '';
      const metric = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(query)?.[0] ?? '';
      const reply = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (metric === behaviour.failing) return reply(503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
      const end = Number(form.get('time') ?? NOW / 1000) * 1000;
      const minutes = Array.from({ length: 121 }, (_, i) => i).filter((m) => m >= (behaviour.fromMinute ?? 0));
      const result = (SERIES[metric] ?? []).map((s) => ({
        metric: { __name__: metric, ...s.metric },
        values: minutes.filter((m) => end - (120 - m) * MIN <= NOW).map((m) => [(end - (120 - m) * MIN) / 1000, String(s.at(m))]), // none after its own clock
      }));
      const warned =
        behaviour.warning !== undefined &&
        (behaviour.warningOnly === undefined || (behaviour.warningOnly === 'after-window' ? end > NOW : query.includes('consul_source_service=""')));
      reply(200, { status: 'success', data: { resultType: 'matrix', result }, ...(warned ? { warnings: [behaviour.warning] } : {}) });
    }),
  );
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  promUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => prometheus.close(r));
  await consul.close();
});

async function advise(url: string): Promise<{ code: number; stdout: string; stderr: string; verdict: string | undefined }> {
  let stdout = '';
  let stderr = '';
  const tree = {
    'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
    'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
  };
  const code = await main(
    ['advise', '--consul', consul.url, '--stats', `prometheus=${url}`, '--window', '2h', '--json'],
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: tempTree(tree),
    },
    { now: () => new Date(NOW), trafficSource: wired },
  );
  let verdict: string | undefined;
  try {
    verdict = (JSON.parse(stdout) as { services: Array<{ service: string; verdict: string }> }).services.find((s) => s.service === 'orders')?.verdict;
  } catch {
    verdict = undefined;
  }
  return { code, stdout, stderr, verdict };
}

describe('the advisor when Prometheus fails', () => {
  it('complete data: ready-for-strict (the double is good enough to say yes)', async () => {
    behaviour = {};
    const run = await advise(promUrl);
    expect(run.verdict, run.stdout + run.stderr).toBe('ready-for-strict');
  });

  it('Prometheus down (nothing listening): never ready-for-strict; insufficient-data or an error naming Prometheus', async () => {
    const run = await advise(`http://127.0.0.1:${await freePort()}`);
    expect(run.stdout + run.stderr).not.toContain('ready-for-strict');
    if (run.verdict !== undefined) expect(run.verdict).toBe('insufficient-data');
    else {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/prometheus/i);
    }
  });

  it.each([
    ["one metric's query times out (503)", { failing: 'envoy_tcp_downstream_cx_total' }],
    ['a partial-response warning', { warning: 'partial response: store 10.0.0.3:10901 unavailable' }],
    [
      "a partial-response warning on the read after the window's end only",
      { warning: 'partial response: store 10.0.0.3:10901 unavailable', warningOnly: 'after-window' },
    ],
    [
      'a partial-response warning on the read of series without the service label only',
      { warning: 'partial response: store 10.0.0.3:10901 unavailable', warningOnly: 'unlabelled' },
    ],
    ['samples only for the last 30 minutes of the window', { fromMinute: 90 }],
  ] as Array<[string, Behaviour]>)('%s: insufficient-data, never ready-for-strict', async (_name, b) => {
    behaviour = b;
    const run = await advise(promUrl);
    expect(run.verdict, run.stdout + run.stderr).toBe('insufficient-data');
  });
});
