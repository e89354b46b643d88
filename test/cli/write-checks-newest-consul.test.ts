// The write-time checks of the newest Consul source read (2026): agent/structs/config_entry_gateways.go
// and config_entry_routes.go at hashicorp/consul 5c48b0b, config_entry.go at 03658a0. api-gateway checks
// its gateway-level TLS versions and its Defaults; http-route and tcp-route check their services'
// Limits; PassiveHealthCheck gains the 2.0 counters' bounds and UpstreamLimits checks its
// PassiveHealthCheck. validate names every problem with Consul's text; the dev server answers a PUT
// with the first, as Consul does. (The SDS checks that source also makes stay warnings:
// test/cli/gateway-tls-merge.test.ts, docs/fidelity.md stop 15.)
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { targetRepo } from '../support/consul-version-examples.ts';
import { runCli } from '../support/run-cli.ts';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FILES = {
  'config-entries/gw-tls.hcl':
    'Kind = "api-gateway"\nName = "gw-tls"\nTLS { TLSMinVersion = "TLSv1_9" }\nListeners = [{ Name = "http", Port = 8080, Protocol = "http" }]\n',
  'config-entries/gw-defaults.hcl':
    'Kind = "api-gateway"\nName = "gw-defaults"\nDefaults { MaxConnections = -1 }\nListeners = [{ Name = "http", Port = 8080, Protocol = "http" }]\n',
  'config-entries/route.hcl': `Kind = "http-route"
Name = "route"
Parents = [{ Name = "gw-tls" }]
Rules = [{ Services = [
  { Name = "a" },
  { Name = "b", Limits { MaxPendingRequests = -2 } },
] }]
`,
  'config-entries/db.hcl': `Kind = "tcp-route"
Name = "db"
Parents = [{ Name = "gw-tls" }]
Services = [{ Name = "db", Limits { PassiveHealthCheck { MaxEjectionPercent = 101 } } }]
`,
  'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
UpstreamConfig {
  Overrides = [{ Name = "db", Limits { PassiveHealthCheck { EnforcingConsecutiveGatewayFailure = 200 } } }]
  Defaults { PassiveHealthCheck { EnforcingConsecutiveGatewayFailure = 101 } }
}
`,
};

describe('write-time checks of the newest Consul source', () => {
  it('validate reports each with file, line, field and Consul’s text', async () => {
    const run = await runCli(['validate', 'config-entries'], targetRepo(FILES, { version: '2.1.0' }));
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const has = (re: RegExp) =>
      expect(
        lines.some((l) => re.test(l)),
        `${re}\n${run.stderr}`,
      ).toBe(true);
    has(
      /gw-tls\.hcl:3:\d+: TLS\.TLSMinVersion: no matching TLS version found for TLSv1_9, please specify one of \[TLS_AUTO, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3\]$/,
    );
    has(/gw-defaults\.hcl:3:\d+: Defaults\.MaxConnections: max connections cannot be negative$/);
    has(/route\.hcl:6:\d+: Rules\[0\]\.Services\[1\]\.Limits\.MaxPendingRequests: Rule\[0\], Service\[1\], max pending requests cannot be negative$/);
    has(
      /db\.hcl:4:\d+: Services\[0\]\.Limits\.PassiveHealthCheck\.MaxEjectionPercent: Service\[0\], passive health check max_ejection_percent must be a percentage between 0 and 100$/,
    );
    has(
      /web\.hcl:4:\d+: UpstreamConfig\.Overrides\[0\]\.Limits\.PassiveHealthCheck\.EnforcingConsecutiveGatewayFailure: error in upstream override for db: passive health check enforcing_consecutive_gateway_failure must be a percentage between 0 and 100$/,
    );
    has(
      /web\.hcl:5:\d+: UpstreamConfig\.Defaults\.PassiveHealthCheck\.EnforcingConsecutiveGatewayFailure: error in upstream defaults: passive health check enforcing_consecutive_gateway_failure must be a percentage between 0 and 100$/,
    );
  });

  it('the dev server answers a PUT with the first problem, as Consul does', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1' });
    const put = async (body: object) => {
      const res = await fetch(`${server!.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });
      return `${res.status} ${await res.text()}`;
    };
    const listeners = [{ Name: 'l', Port: 8443, Protocol: 'http' }];
    expect(await put({ Kind: 'api-gateway', Name: 'g', TLS: { TLSMinVersion: 'TLSv1_9' }, Defaults: { MaxConnections: -1 }, Listeners: listeners })).toBe(
      '500 no matching TLS version found for TLSv1_9, please specify one of [TLS_AUTO, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3]',
    );
    expect(await put({ Kind: 'api-gateway', Name: 'g', Defaults: { PassiveHealthCheck: { EnforcingConsecutiveGatewayFailure: 101 } }, Listeners: [] })).toBe(
      '500 passive health check enforcing_consecutive_gateway_failure must be a percentage between 0 and 100',
    );
    expect(
      await put({
        Kind: 'tcp-route',
        Name: 'r',
        Parents: [{ Kind: 'api-gateway', Name: 'g' }],
        Services: [{ Name: 'db', Limits: { MaxConnections: -3 } }],
      }),
    ).toBe('500 Service[0], max connections cannot be negative');
  });
});
