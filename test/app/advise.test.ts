// The advise use case against the dev server (Consul's behaviour) with in-memory sidecar traces.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { ConsulClient } from '../../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore } from '../../src/adapters/consul/stores.ts';
import { adviseStrict } from '../../src/app/advise.ts';
import { consulConnectCatalog } from '../../src/cli/advise-command.ts';
import { DEFAULT_THRESHOLDS } from '../../src/core/advisor/model.ts';
import { trafficDouble } from '../support/traffic-double.ts';

let server: DevServer;
let consul: ConsulClient;
beforeEach(async () => {
  server = await startDevServer({ host: '127.0.0.1', port: 0 });
  consul = new ConsulClient({ address: server.url });
});
afterEach(async () => {
  await consul.close();
  await server.close();
});

const NOW = Date.parse('2026-11-25T12:00:00Z');
const OURS = { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/x.hcl' };

async function put(body: unknown): Promise<void> {
  const res = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
  expect(await res.text()).toBe('true');
}

async function sidecarFor(service: string): Promise<void> {
  const res = await fetch(`${server.url}/v1/catalog/register`, {
    method: 'PUT',
    body: JSON.stringify({
      Node: 'k8s-node-1',
      Address: '10.0.0.7',
      Service: { Kind: 'connect-proxy', Service: `${service}-sidecar-proxy`, Port: 20000, Proxy: { DestinationServiceName: service } },
    }),
  });
  expect(res.status).toBe(200);
}

const files = [
  { path: 'config-entries/mesh.hcl', text: 'Kind = "mesh"\nAllowEnablingPermissiveMutualTLS = true\n' },
  { path: 'config-entries/proxy-defaults.hcl', text: 'Kind = "proxy-defaults"\nName = "global"\nMutualTLSMode = "permissive"\n' },
  { path: 'config-entries/orders.hcl', text: 'Kind = "service-defaults"\nName = "orders"\nMutualTLSMode = "permissive"\n' },
  { path: 'config-entries/billing.hcl', text: 'Kind = "service-defaults"\nName = "billing"\nMutualTLSMode = "permissive"\n' },
  { path: 'config-entries/payments.hcl', text: 'Kind = "service-defaults"\nName = "payments"\nMutualTLSMode = "strict"\n' },
];

const ports = (traffic: ReturnType<typeof trafficDouble>) => ({ entries: new ConsulConfigEntryStore(consul), catalog: consulConnectCatalog(consul), traffic });
const options = { now: NOW, thresholds: DEFAULT_THRESHOLDS, expectNoInboundTraffic: [] };

describe('adviseStrict', () => {
  it('judges every permissive service from its traffic, and reports drift', async () => {
    await put({ Kind: 'mesh', AllowEnablingPermissiveMutualTLS: true });
    await put({ Kind: 'service-defaults', Name: 'payments', MutualTLSMode: 'permissive', Meta: OURS });
    await put({ Kind: 'service-defaults', Name: 'frontend', Meta: { 'external-source': 'kubernetes' } });
    for (const s of ['orders', 'billing', 'inventory', 'frontend', 'payments']) await sidecarFor(s);
    const traffic = trafficDouble({
      orders: [
        { plaintextPerMinute: 0, handshakesPerMinute: 12 },
        { plaintextPerMinute: 0, handshakesPerMinute: 9 },
      ],
      billing: [
        { plaintextPerMinute: 0, handshakesPerMinute: 5 },
        { plaintextPerMinute: 2, handshakesPerMinute: 5 },
      ],
      frontend: [{ plaintextPerMinute: 0, handshakesPerMinute: 30 }],
    });

    const outcome = await adviseStrict(files, ports(traffic), options);

    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const verdicts = Object.fromEntries(outcome.report.services.map((v) => [v.service.name, v.verdict]));
    expect(verdicts).toEqual({
      billing: 'still-receiving-plaintext',
      frontend: 'blocked',
      inventory: 'insufficient-data',
      orders: 'ready-for-strict',
    });
    expect(outcome.report.services.find((v) => v.service.name === 'frontend')!.reasons[0]).toContain('kubernetes');
    expect(outcome.report.services.find((v) => v.service.name === 'inventory')!.origin).toEqual({
      kind: 'proxy-defaults',
      file: 'config-entries/proxy-defaults.hcl',
    });
    expect(outcome.report.drift.map((d) => d.name)).toEqual(['payments']);
    expect(outcome.report.window).toEqual({ start: NOW - 7 * 86_400_000, end: NOW });
    expect(outcome.report.source).toBe('in-memory test sidecars');
    // One question to the stats source for all judged services, over the window.
    expect(traffic.calls).toHaveLength(1);
    expect(traffic.calls[0].services.map((s) => s.name)).toEqual(['billing', 'frontend', 'inventory', 'orders']);
  });

  it('judges nothing and asks no stats when the tree has errors', async () => {
    const traffic = trafficDouble({});
    const outcome = await adviseStrict(
      [{ path: 'config-entries/bad.hcl', text: 'Kind = "service-defaults"\nName = "x"\nMutualTLSMode = "sometimes"\n' }],
      ports(traffic),
      options,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]).toMatchObject({ file: 'config-entries/bad.hcl', field: 'MutualTLSMode' });
    expect(traffic.calls).toEqual([]);
  });

  it('does not ask the stats source when no service is permissive', async () => {
    const traffic = trafficDouble({});
    const outcome = await adviseStrict(
      [files[2]].map((f) => ({ ...f, text: f.text.replace('permissive', 'strict') })),
      ports(traffic),
      options,
    );
    expect(outcome).toMatchObject({ ok: true, report: { services: [], drift: [] } });
    expect(traffic.calls).toEqual([]);
  });
});
