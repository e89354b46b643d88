// UpstreamLimits.PassiveHealthCheck (api-gateway Defaults, route service Limits, service-defaults'
// upstream Limits) is a Consul 2.1 field: .changelog/23783.txt files hashicorp/consul#23783 (merged to
// main in August 2026, after 2.0.0, no 2.0.x backport found) as the feature "add `PassiveHealthCheck`
// to gateway-level default upstream limits and route service-level limit overrides". A 2.0 Consul
// answers such a write with `invalid config key`; validate says so first.
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { targetsYaml } from '../support/consul-version-examples.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const GATEWAY = {
  Kind: 'api-gateway',
  Name: 'edge',
  Defaults: { MaxConnections: 7, PassiveHealthCheck: { MaxFailures: 3 } },
  Listeners: [{ Name: 'web', Port: 8443, Protocol: 'http' }],
};
const SERVICE = `Kind = "service-defaults"
Name = "web"
UpstreamConfig {
  Defaults {
    Limits {
      MaxConnections = 10
      PassiveHealthCheck { MaxFailures = 2 }
    }
  }
}
`;

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const put = (body: unknown) => fetch(`${server!.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });

describe('UpstreamLimits.PassiveHealthCheck by Consul version', () => {
  it('a dev server answering as 2.0.3 refuses it inside api-gateway Defaults with invalid config key, and takes Defaults without it', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '2.0.3' });
    const refused = await put(GATEWAY);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('invalid config key "Defaults.PassiveHealthCheck"');
    expect((await put({ ...GATEWAY, Defaults: { MaxConnections: 7 } })).status).toBe(200);
  });

  it('a dev server answering as 2.1.0 stores it', async () => {
    server = await startDevServer({ port: 0, host: '127.0.0.1', consulVersion: '2.1.0' });
    expect((await put(GATEWAY)).status).toBe(200);
  });

  it("validate warns a 2.0 target of it in service-defaults' upstream Limits, with file, line and 2.1.0", async () => {
    const run = await runCli(['validate', 'config-entries'], tempTree({ 'consul-gitops.yaml': targetsYaml('2.0.3'), 'config-entries/web.hcl': SERVICE }));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'config-entries/web.hcl:7:7: UpstreamConfig.Defaults.Limits.PassiveHealthCheck: Consul 2.0.3 (target "prod") does not know this field, added in Consul 2.1.0',
    );
  });
});
