// `consul-gitops advise` through main(): text and JSON reports, exit codes, --window and config errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { main } from '../../src/cli/main.ts';
import type { TrafficSourceRequest } from '../../src/runtime/traffic-source.ts';
import { tempTree, type CliRun } from '../support/run-cli.ts';
import { trafficDouble, type TrafficDouble } from '../support/traffic-double.ts';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  const put = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
  await put('/v1/config', { Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
  await put('/v1/config', {
    Kind: 'service-defaults',
    Name: 'payments',
    MutualTLSMode: 'permissive',
    Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/payments.hcl' },
  });
  for (const s of ['orders', 'billing', 'evil\u001b[2J']) {
    const res = await put('/v1/catalog/register', {
      Node: 'n1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: `${s}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: s } },
    });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await server.close();
});

const NOW = new Date('2026-11-25T12:00:00Z');
const TREE = {
  'config-entries/mesh.hcl': 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n',
  'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n',
  'config-entries/billing.hcl': 'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "permissive"\n',
  'config-entries/payments.hcl': 'Kind = "service-defaults"\nName = "payments"\nMutualTLSMode = "strict"\n',
};
const TRACES = {
  orders: [{ plaintextPerMinute: 0, handshakesPerMinute: 12 }],
  billing: [
    { plaintextPerMinute: 0, handshakesPerMinute: 4 },
    { plaintextPerMinute: 3, handshakesPerMinute: 4 },
  ],
};

async function advise(args: string[], files: Record<string, string> = TREE, traffic: TrafficDouble = trafficDouble(TRACES)) {
  const requests: TrafficSourceRequest[] = [];
  let stdout = '';
  let stderr = '';
  const code = await main(
    ['advise', '--consul', server.url, ...args],
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tempTree(files) },
    {
      now: () => NOW,
      trafficSource: (r) => {
        requests.push(r);
        return traffic;
      },
    },
  );
  return { run: { code, stdout, stderr } satisfies CliRun, requests, traffic };
}

describe('consul-gitops advise', () => {
  it('prints one row per judged service, the not-ready details, then the drift', async () => {
    const { run, requests } = await advise(['--stats', 'envoy']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Strict-mode advice over 1w (2026-11-18T12:00:00Z → 2026-11-25T12:00:00Z), samples from in-memory test sidecars');
    expect(lines.find((l) => l.startsWith('orders'))).toMatch(/^orders\s+ready-for-strict\s+-\s+\S/);
    expect(lines.find((l) => l.startsWith('billing'))).toMatch(/^billing\s+still-receiving-plaintext\s+2026-11-25T12:00:00Z\s+\S/);
    expect(run.stdout).toContain('Not ready:\n  billing: still-receiving-plaintext\n');
    expect(run.stdout).not.toContain('  orders: ready-for-strict');
    expect(run.stdout).toContain(
      'Drift: strict in Git but still permissive in Consul (apply repairs it; apply --adopt where consul-gitops does not manage the entry yet):\n  payments: apply repairs it\n',
    );
    expect(run.stdout).toContain('2 services judged: 1 still-receiving-plaintext, 1 ready-for-strict.');
    expect(requests).toEqual([expect.objectContaining({ flag: 'envoy', target: 'default', stateKeyPrefix: 'consul-gitops/state' })]);
  });

  it('writes JSON with RFC 3339 times and the exact verdict strings', async () => {
    const { run } = await advise(['--stats', 'prometheus=http://127.0.0.1:9/', '--json', '--window', '2h']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.window).toEqual({ start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T12:00:00.000Z', duration: '2h' });
    expect(out.source).toBe('in-memory test sidecars');
    expect(out.services.map((s: { service: string; verdict: string }) => [s.service, s.verdict])).toEqual([
      ['billing', 'still-receiving-plaintext'],
      ['orders', 'ready-for-strict'],
    ]);
    const orders = out.services[1];
    expect(orders).toMatchObject({ namespace: 'default', partition: 'default', origin: { kind: 'service-defaults', file: 'config-entries/orders.hcl' } });
    expect(orders.reasons.length).toBeGreaterThan(0);
    expect(orders.evidence.window).toEqual({ start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T12:00:00.000Z' });
    expect(orders.evidence.instances[0].firstSampleAt).toBe('2026-11-25T10:00:00.000Z');
    expect(out.drift).toEqual([{ service: 'payments', namespace: 'default', partition: 'default', repair: 'apply repairs it' }]);
  });

  it('escapes control characters in service names taken from the catalog', async () => {
    const tree = { ...TREE, 'config-entries/proxy-defaults.hcl': 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n' };
    const { run } = await advise(['--stats', 'envoy'], tree);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toContain('evil\\u001b[2J');
  });

  it('takes the window and quiet services from consul-gitops.yaml, and --window over it', async () => {
    const config = 'targets:\n  - name: dc1\n    advisor:\n      window: 1d\n      expectNoInboundTraffic: [orders]\n';
    const fromConfig = await advise(['--stats', 'envoy', '--json'], { ...TREE, 'consul-gitops.yaml': config });
    expect(fromConfig.run.code).toBe(0);
    expect(JSON.parse(fromConfig.run.stdout).window.duration).toBe('1d');
    expect(fromConfig.traffic.calls[0].window).toEqual({ start: NOW.getTime() - 86_400_000, end: NOW.getTime() });
    const overridden = await advise(['--stats', 'envoy', '--json', '--window', '90m'], { ...TREE, 'consul-gitops.yaml': config });
    expect(JSON.parse(overridden.run.stdout).window.duration).toBe('1h30m');
    expect(overridden.requests[0].target).toBe('dc1');
  });

  it.each([
    ['7', '"7" is not a Prometheus duration'],
    ['1.5h', '"1.5h" is not a Prometheus duration'],
    ['0d', 'must be longer than zero'],
  ])('refuses --window %s, naming the flag, and judges nothing', async (window, message) => {
    const { run, traffic } = await advise(['--stats', 'envoy', '--window', window]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: --window: ');
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(traffic.calls).toEqual([]);
  });

  it('refuses a bad window in consul-gitops.yaml, naming the file and field', async () => {
    const { run } = await advise(['--stats', 'envoy'], { ...TREE, 'consul-gitops.yaml': 'targets:\n  - name: dc1\n    advisor:\n      window: a week\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('consul-gitops.yaml: targets.0.advisor.window: expected a Prometheus duration');
  });

  it('needs a stats source', async () => {
    const { run } = await advise([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--stats prometheus=URL or --stats envoy');
  });

  it('reports every file error and judges nothing', async () => {
    const { run, traffic } = await advise(['--stats', 'envoy'], {
      ...TREE,
      'config-entries/bad.hcl': 'Kind = "service-defaults"\nName = "x"\nMutualTLSMode = "sometimes"\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config-entries\/bad\.hcl:3:\d+: MutualTLSMode: /);
    expect(run.stderr).toContain('1 error; nothing was judged');
    expect(traffic.calls).toEqual([]);
  });

  it('fails with exit 1 when the stats source cannot be read at all', async () => {
    const broken: TrafficDouble = {
      description: 'broken',
      calls: [],
      samples: async () => Promise.reject(new Error('prometheus http://127.0.0.1:9/: connection refused')),
    };
    const { run } = await advise(['--stats', 'envoy'], TREE, broken);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: prometheus http://127.0.0.1:9/: connection refused');
  });

  it('is listed in --help', async () => {
    let out = '';
    await main(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } });
    expect(out).toContain('consul-gitops advise');
    expect(out).toContain('--stats prometheus=URL|envoy');
  });
});
