// Pointers to structs of the gateways and routes keep an empty block (issue 11, stop 19). Consul's
// server structs make them pointers (agent/structs/config_entry_gateways.go at hashicorp/consul
// 5c48b0b: GatewayTLSConfig.SDS, IngressListener.TLS, IngressService.TLS, IngressGatewayConfigEntry
// .Defaults, APIGatewayConfigEntry.Defaults, APIGatewayListener.Override/Default; config_entry_routes.go:
// HTTPService/TCPService .TLS and .Limits, HTTPFilters' URLRewrite, RetryFilter, TimeoutFilter, JWT),
// so `SDS {}` is stored, answered by GET, and seen as set by the code that reads it: the listener TLS
// merge of agent/xds, whose failures validate warns of (src/core/gateway-tls-merge.ts).
// test/e2e/pointer-fields-every-kind.test.ts covers every pointer field; these are the shapes GET
// answers and the warnings an empty block changes.
import { describe, expect, it } from 'vitest';
import { devServerPerFile } from '../support/dev-server-per-file.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const server = devServerPerFile();
const { put, get, del } = server;

const plan = (dir: string) => runCli(['plan', '--detailed-exitcode', '--adopt', '--consul', server.url], dir);
const apply = (dir: string) => runCli(['apply', '--auto-approve', '--adopt', '--consul', server.url], dir);

const INGRESS = `Kind = "ingress-gateway"
Name = "ingress"
Defaults {}
Listeners = [{
  Port = 8443
  Protocol = "http"
  TLS {}
  Services = [{
    Name = "api"
    Hosts = ["api.example.com"]
    TLS { SDS {} }
  }]
}]
`;

describe('gateway and route pointer structs keep an empty block, as Consul stores it', () => {
  it('ingress-gateway Defaults {}, listener TLS {} and service TLS.SDS {}: plan adds them, GET answers Consul’s shape, the next plan is empty', async () => {
    expect(await put({ Kind: 'service-defaults', Name: 'api', Protocol: 'http' })).toBe('true');
    expect(
      await put({
        Kind: 'ingress-gateway',
        Name: 'ingress',
        Listeners: [{ Port: 8443, Protocol: 'http', Services: [{ Name: 'api', Hosts: ['api.example.com'] }] }],
      }),
    ).toBe('true');
    const dir = tempTree({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n', 'config-entries/ingress.hcl': INGRESS });
    const before = await plan(dir);
    expect(before.stdout).toMatch(/\+ Defaults\s+= \{\}/);
    expect(before.stdout).toMatch(/\+ TLS\s+= \{\}/);
    expect(before.code).toBe(2);
    expect((await apply(dir)).stderr).toBe('');
    const live = await get('ingress-gateway/ingress');
    // IngressServiceConfig's limits and GatewayTLSConfig.Enabled have no omitempty; SDS's fields do.
    expect(live.Defaults).toEqual({ MaxConnections: 0, MaxPendingRequests: 0, MaxConcurrentRequests: 0 });
    expect(live.Listeners[0].TLS).toEqual({ Enabled: false });
    expect(live.Listeners[0].Services[0].TLS).toEqual({ SDS: {} });
    const after = await plan(dir);
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
    // A live block the file lacks is planned away.
    const without = tempTree({
      'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n',
      'config-entries/ingress.hcl': INGRESS.replace('Defaults {}\n', ''),
    });
    expect((await plan(without)).stdout).toMatch(/- Defaults\s+= \{/);
    await del('ingress-gateway/ingress');
    await del('service-defaults/api');
  });

  it('http-route service Limits {} and a RetryFilter {}: plan adds them, apply writes them, the next plan is empty', async () => {
    const route = (extra: string) => `Kind = "http-route"
Name = "r"
Parents = [{ Name = "gw" }]
Rules = [{
  Filters { ${extra} }
  Services = [{
    Name = "api"
    Limits {}
  }]
}]
`;
    expect(await put({ Kind: 'http-route', Name: 'r', Parents: [{ Kind: 'api-gateway', Name: 'gw' }], Rules: [{ Services: [{ Name: 'api' }] }] })).toBe('true');
    const dir = tempTree({ 'config-entries/r.hcl': route('RetryFilter {}') });
    const before = await plan(dir);
    expect(before.stdout).toMatch(/\+ Limits\s+= \{\}/);
    expect(before.stdout).toMatch(/\+ RetryFilter\s+= \{\}/);
    expect((await apply(dir)).stderr).toBe('');
    const live = await get('http-route/r');
    expect(live.Rules[0].Services[0].Limits).toEqual({});
    expect(live.Rules[0].Filters.RetryFilter).toEqual({});
    expect((await plan(dir)).code).toBe(0);
    await del('http-route/r');
  });

  it('validate sees an empty listener SDS {} as set: under a gateway SDS cluster without a certificate, Consul fails to build that listener', async () => {
    const dir = tempTree({
      'gw.hcl': `Kind = "api-gateway"
Name = "edge"
TLS { SDS { ClusterName = "sds" } }
Listeners = [
  { Name = "web", Port = 8443, Protocol = "http", TLS { SDS {} } },
  { Name = "plain", Port = 8080, Protocol = "http" },
]
`,
    });
    const run = await runCli(['validate', 'gw.hcl'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "Listeners[0].TLS.SDS: Consul accepts this entry, but then fails to build the gateway's listeners: invalid TLS.SDS configuration: CertResource is required when ClusterName is set",
    );
    // The listener without an SDS block takes the gateway's as it is: nothing to say.
    expect(run.stderr).not.toContain('Listeners[1]');
  });

  it('validate sees a route service’s empty TLS { SDS {} } as set: with no SDS cluster at the gateway or listener, Consul fails to build it', async () => {
    const dir = tempTree({
      'config-entries/gw.hcl': 'Kind = "api-gateway"\nName = "edge"\nListeners = [{ Name = "web", Port = 8080, Protocol = "http" }]\n',
      'config-entries/route.hcl': `Kind = "http-route"
Name = "r"
Parents = [{ Name = "edge" }]
Hostnames = ["api.example.com"]
Rules = [{ Services = [{ Name = "api", TLS { SDS {} } }] }]
`,
    });
    const run = await runCli(['validate'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Rules[0].Services[0].TLS.SDS: Consul accepts this entry, but then fails to build the gateway');
    expect(run.stderr).toContain('route "r" service "api" sets TLS.SDS without ClusterName and no listener or gateway TLS.SDS.ClusterName is available');
  });
});
