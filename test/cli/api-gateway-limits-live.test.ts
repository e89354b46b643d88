// Class 2 of issue 11: an api-gateway and an http-route that Consul 2.1 stores with upstream limits
// (api-gateway `Defaults`, route service `Limits`: api.UpstreamLimits, docs/consul-versions.md; the
// passive health check inside them is a 2.1 field, .changelog/23783.txt) are
// managed like any other field: plan shows them as the file sets them, and apply keeps them, instead
// of taking them for fields consul-gitops does not know and refusing without --allow-field-loss.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { applyCommand, planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, tempTree } from '../support/run-cli.ts';
import { devServerHolding } from '../support/dev-server-holding.ts';

const owned = (file: string) => ({ 'managed-by': 'consul-gitops', 'consul-gitops/source': `config-entries/${file}` });
const DEFAULTS = { MaxConnections: 7, MaxConcurrentRequests: 9, PassiveHealthCheck: { MaxFailures: 3 } };
const LIMITS = { MaxPendingRequests: 5 };
const GATEWAY = { Kind: 'api-gateway', Name: 'edge', Defaults: DEFAULTS, Listeners: [{ Name: 'web', Port: 8443, Protocol: 'http' }], Meta: owned('edge.hcl') };
const ROUTE = {
  Kind: 'http-route',
  Name: 'shop',
  Parents: [{ Kind: 'api-gateway', Name: 'edge', SectionName: 'web' }],
  Rules: [{ Matches: [{ Path: { Match: 'prefix', Value: '/' } }], Services: [{ Name: 'shop', Weight: 1, Limits: LIMITS }] }],
  Meta: owned('shop.hcl'),
};

let server: DevServer;

beforeEach(async () => {
  // A dev server answering as Consul 2.1.0 whose state holds both entries as that Consul stored them.
  server = await devServerHolding([GATEWAY, ROUTE], { consulVersion: '2.1.0' });
});
afterEach(async () => {
  await server.close();
});

const gatewayFile = (port: number, defaults: string) => `Kind = "api-gateway"
Name = "edge"
${defaults}Listeners = [{ Name = "web", Port = ${port}, Protocol = "http" }]
`;
const DEFAULTS_HCL = `Defaults {
  MaxConnections        = 7
  MaxConcurrentRequests = 9
  PassiveHealthCheck { MaxFailures = 3 }
}
`;
const routeFile = (limits: string) => `Kind = "http-route"
Name = "shop"
Parents = [{ Kind = "api-gateway", Name = "edge", SectionName = "web" }]
Rules = [{ Matches = [{ Path = { Match = "prefix", Value = "/" } }], Services = [{ Name = "shop", Weight = 1${limits} }] }]
`;
const LIMITS_HCL = ', Limits = { MaxPendingRequests = 5 }';

const get = async (kind: string, name: string) => (await (await fetch(`${server.url}/v1/config/${kind}/${name}`)).json()) as Record<string, unknown>;

describe('upstream limits held by live api-gateway and http-route entries', () => {
  it('the files that state them are in sync: no change, nothing "unknown to consul-gitops"', async () => {
    const dir = tempTree({ 'config-entries/edge.hcl': gatewayFile(8443, DEFAULTS_HCL), 'config-entries/shop.hcl': routeFile(LIMITS_HCL) });
    const plan = await runAgainst(server.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.stdout).not.toContain('unknown to consul-gitops');
    expect(plan.code).toBe(0);
  });

  it('an update of a listener is applied without --allow-field-loss and keeps the gateway Defaults', async () => {
    const dir = tempTree({ 'config-entries/edge.hcl': gatewayFile(9443, DEFAULTS_HCL), 'config-entries/shop.hcl': routeFile(LIMITS_HCL) });
    const json = JSON.parse((await runAgainst(server.url, planCommand, ['--json'], dir)).stdout);
    expect(json.changes.flatMap((c: { lostFields?: unknown[] }) => c.lostFields ?? [])).toEqual([]);
    const applied = await runAgainst(server.url, applyCommand, [], dir);
    expect(applied.stdout).not.toContain('not written');
    expect(applied.code).toBe(0);
    expect(await get('api-gateway', 'edge')).toMatchObject({ Defaults: DEFAULTS, Listeners: [{ Name: 'web', Port: 9443 }] });
    expect(await get('http-route', 'shop')).toMatchObject({ Rules: [{ Services: [{ Name: 'shop', Limits: LIMITS }] }] });
  });

  it('files without them remove them as changes the plan shows, field by field', async () => {
    const dir = tempTree({ 'config-entries/edge.hcl': gatewayFile(8443, ''), 'config-entries/shop.hcl': routeFile('') });
    const plan = await runAgainst(server.url, planCommand, [], dir);
    expect(plan.stdout).not.toContain('unknown to consul-gitops');
    // UpstreamLimits' fields are Go pointers: absent is unset (Envoy's default), not 0, so they are removed.
    expect(plan.stdout).toMatch(/~ Defaults = \{\n\s+- MaxConnections += 7\n\s+- MaxConcurrentRequests = 9/);
    expect(plan.stdout).toMatch(/- Limits = \{\n\s+- MaxPendingRequests = 5/);
  });
});

describe('the dev server by the Consul version it answers as', () => {
  it('as 2.1 stores the blocks as written; as 1.22 refuses them with invalid config key', async () => {
    const put = (url: string, body: Record<string, unknown>) => fetch(`${url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
    const newer = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '2.1.0' });
    const older = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '1.22.0' });
    try {
      expect((await put(newer.url, GATEWAY)).status).toBe(200);
      expect((await put(newer.url, ROUTE)).status).toBe(200);
      const stored = (await (await fetch(`${newer.url}/v1/config/http-route/shop`)).json()) as Record<string, unknown>;
      expect(stored).toMatchObject({ Rules: [{ Services: [{ Limits: LIMITS }] }] });
      const gateway = await put(older.url, GATEWAY);
      expect(gateway.status).toBe(400);
      expect(await gateway.text()).toContain('invalid config key "Defaults"');
      const route = await put(older.url, ROUTE);
      expect(route.status).toBe(400);
      expect(await route.text()).toContain('invalid config key "Rules[0].Services[0].Limits"');
    } finally {
      await newer.close();
      await older.close();
    }
  });
});
