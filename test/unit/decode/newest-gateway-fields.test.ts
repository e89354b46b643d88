// Class 2 of issue 11: the api-gateway and http-route fields of the newest Consul (listener
// MaxRequestHeadersKB and TLS.SDS, route service TLS.SDS) decode, and a target running an older
// Consul is warned before Consul answers `invalid config key`.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

const GATEWAY = `Kind = "api-gateway"
Name = "edge"
Listeners = [
  {
    Name                = "https"
    Port                = 8443
    Protocol            = "http"
    MaxRequestHeadersKB = 96
    TLS = {
      SDS = { ClusterName = "sds", CertResource = "edge-cert" }
    }
  }
]
`;

const ROUTE = `Kind = "http-route"
Name = "web"
Parents = [{ Kind = "api-gateway", Name = "edge", SectionName = "https" }]
Rules = [{ Services = [{ Name = "web", TLS = { SDS = { cluster_name = "sds", cert_resource = "web-cert" } } }] }]
`;

const yaml = (version?: string) => `targets:\n  - name: prod\n    dir: config-entries\n${version ? `    consulVersion: "${version}"\n` : ''}`;

describe('newest api-gateway and http-route fields', () => {
  it('render as the api sends them', async () => {
    const run = await runCli(['render', '--json', 'gw.hcl', 'route.hcl'], tempTree({ 'gw.hcl': GATEWAY, 'route.hcl': ROUTE }));
    expect(run.stderr).toBe('');
    const [gw, route] = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(gw).toMatchObject({
      Listeners: [{ MaxRequestHeadersKB: 96, TLS: { SDS: { ClusterName: 'sds', CertResource: 'edge-cert' } } }],
    });
    expect(route).toMatchObject({ Rules: [{ Services: [{ Name: 'web', TLS: { SDS: { ClusterName: 'sds', CertResource: 'web-cert' } } }] }] });
  });

  it('a target on Consul 1.21 is warned of each, with file, line and the version that added it', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.21.3'), 'config-entries/gw.hcl': GATEWAY, 'config-entries/route.hcl': ROUTE });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('config-entries/gw.hcl:8:');
    expect(run.stderr).toContain('Listeners[0].MaxRequestHeadersKB: Consul 1.21.3 (target "prod") does not know this field, added in Consul 1.22.0');
    expect(run.stderr).toContain('Listeners[0].TLS.SDS: Consul 1.21.3 (target "prod") does not know this field, added in Consul 2.0.0');
    expect(run.stderr).toContain('config-entries/route.hcl:4:');
    expect(run.stderr).toContain('Rules[0].Services[0].TLS: Consul 1.21.3 (target "prod") does not know this field, added in Consul 2.0.0');
  });

  it('a target on Consul 1.22 knows the header limit, not the SDS fields of the 2.0 line', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.22.0'), 'config-entries/gw.hcl': GATEWAY, 'config-entries/route.hcl': ROUTE });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('MaxRequestHeadersKB');
    expect(run.stderr).toContain('Listeners[0].TLS.SDS: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
    expect(run.stderr).toContain('Rules[0].Services[0].TLS: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
  });

  it('a target stating no version is not warned', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml(), 'config-entries/gw.hcl': GATEWAY, 'config-entries/route.hcl': ROUTE });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
