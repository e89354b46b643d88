// `advise --stats envoy` through main() when the catalog names a sidecar address the advisor must
// not fetch: whoever may register a service in Consul chooses it, so a registration pointing at the
// cloud metadata address (in any spelling) or a public host is refused before anything is sent, and
// the service is insufficient-data naming why; an address that makes no URL is that sidecar's
// problem, not the run's; advisor.stats.envoy.allowedNetworks replaces the default networks. The
// loopback guard (test/support/loopback-only.ts) fails a test whose run connected anywhere else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { registerSimulatedSidecars, startSimulatedSidecars, type SimulatedSidecars } from '../../src/dev-server/simulated-sidecars.ts';
import { runAdvise } from '../support/run-advise.ts';
import { tempTree } from '../support/run-cli.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const TREE = { 'config-entries/orders.hcl': 'Kind = "service-defaults"\nName = "orders"\nProtocol = "http"\nMutualTLSMode = "permissive"\n' };

let server: DevServer;
let sidecars: SimulatedSidecars;
beforeAll(async () => {
  // One honest sidecar of orders on loopback, read every run.
  sidecars = await startSimulatedSidecars([{ service: 'orders', instance: 'orders-honest', protocol: 'http', mtls: { handshakesPerSecond: 1 } }], {
    now: () => NOW,
  });
});
afterAll(async () => {
  await sidecars?.close();
});
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  await registerSimulatedSidecars(server.url, sidecars.sidecars);
  return () => server.close();
});

/** A second sidecar of orders, registered with whatever address and metrics bind address an attacker chose. */
async function hostileSidecar(id: string, address: string, bind?: string): Promise<void> {
  const res = await fetch(`${server.url}/v1/catalog/register`, {
    method: 'PUT',
    body: JSON.stringify({
      Node: `node-${id}`,
      Address: '10.0.0.7',
      Service: {
        ID: id,
        Kind: 'connect-proxy',
        Service: 'orders-sidecar-proxy',
        Address: address,
        Port: 20000,
        Meta: { 'pod-name': id },
        Proxy: { DestinationServiceName: 'orders', ...(bind ? { Config: { envoy_prometheus_bind_addr: bind } } : {}) },
      },
    }),
  });
  expect(res.status).toBe(200);
}

interface Verdict {
  service: string;
  verdict: string;
  reasons: string[];
  evidence: { sources: string[]; problems: string[] };
}

async function orders(cwd = tempTree(TREE)): Promise<Verdict> {
  const run = await runAdvise(server.url, ['--window', '1h', '--json'], { cwd, now: new Date(NOW), stats: 'envoy' });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { services: Verdict[] }).services.find((s) => s.service === 'orders')!;
}

describe('advise --stats envoy, sidecar addresses the catalog names', () => {
  it.each([
    ['the metadata address', 'metadata', '169.254.169.254', undefined, '169.254.169.254'],
    ['the metadata address as one number', 'metadata-decimal', '2852039166', undefined, '169.254.169.254'],
    ['the metadata address as IPv4-mapped IPv6', 'metadata-mapped', '::ffff:169.254.169.254', undefined, '::ffff:a9fe:a9fe'],
    ["AWS's IPv6 metadata address (a unique local address)", 'metadata-v6', 'fd00:ec2::254', undefined, 'fd00:ec2::254'],
    ['a public host', 'public', '203.0.113.10', undefined, '203.0.113.10'],
    ['a private address whose metrics bind address is the metadata one', 'bind', '10.0.0.9', '169.254.169.254:80', '169.254.169.254'],
  ])('%s: nothing is sent there, and the service is insufficient-data naming the sidecar and why', async (_, id, address, bind, shown) => {
    await hostileSidecar(id, address, bind);
    const v = await orders();
    expect(v.verdict).toBe('insufficient-data');
    const problem = v.evidence.problems.find((p) => p.startsWith(`sidecar ${id} of orders`));
    expect(problem).toContain(`could not be read: not sent: ${shown} is outside the networks sidecars are read in by default`);
    expect(problem).toContain('list others in advisor.stats.envoy.allowedNetworks');
    // The honest sidecar was still read.
    expect(v.evidence.problems.filter((p) => p.includes('orders-honest'))).toEqual([]);
  });

  it('an address that makes no URL is reported for that sidecar; the run goes on', async () => {
    await hostileSidecar('garbled', 'not a host/../x');
    const v = await orders();
    expect(v.verdict).toBe('insufficient-data');
    expect(v.evidence.problems).toContain('sidecar garbled of orders could not be read: its address "not a host/../x" is not a host name or IP address');
  });

  it('advisor.stats.envoy.allowedNetworks replaces the defaults: a loopback sidecar outside it is not read', async () => {
    const cwd = tempTree(TREE);
    writeFileSync(
      join(cwd, 'consul-gitops.yaml'),
      'targets:\n  - name: dc1\n    advisor:\n      stats:\n        envoy:\n          allowedNetworks: [10.0.0.0/8]\n',
    );
    const v = await orders(cwd);
    expect(v.verdict).toBe('insufficient-data');
    expect(v.evidence.problems.join('\n')).toContain('could not be read: not sent: 127.0.0.1 is outside advisor.stats.envoy.allowedNetworks (10.0.0.0/8)');
  });

  it('with only the honest sidecar, it is read (loopback is in the defaults)', async () => {
    const v = await orders();
    expect(v.evidence.problems).toEqual([]);
    expect(v.evidence.sources.join('\n')).toMatch(/orders-honest: GET http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });
});
