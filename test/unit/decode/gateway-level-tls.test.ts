// Class 2 of issue 11, second part: the api-gateway's gateway-level TLS (structs.APIGatewayConfigEntry.TLS,
// a GatewayTLSConfig) and the tcp-route service TLS (structs.TCPService.TLS) of the newest Consul decode
// in Consul's spellings, and a target running an older Consul is warned before Consul answers
// `invalid config key`.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../../support/run-cli.ts';

// `consul config write` spellings: GatewayTLSConfig's alias tags, as ingress-gateway's TLS takes them.
const GATEWAY = `Kind = "api-gateway"
Name = "edge"
tls {
  enabled         = true
  tls_min_version = "TLSv1_2"
  cipher_suites   = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
  sds {
    cluster_name  = "sds"
    cert_resource = "edge-default"
  }
}
Listeners = [{ Name = "tcp", Port = 9443, Protocol = "tcp" }]
`;

const ROUTE = `Kind = "tcp-route"
Name = "db"
Parents = [{ Kind = "api-gateway", Name = "edge", SectionName = "tcp" }]
Services = [
  {
    Name = "postgres"
    TLS = { SDS = { ClusterName = "sds", CertResource = "db-cert" } }
  }
]
`;

const yaml = (version: string) => `targets:\n  - name: prod\n    dir: config-entries\n    consulVersion: "${version}"\n`;

describe('api-gateway gateway-level TLS and tcp-route service TLS', () => {
  it('render as the api sends them, from snake_case and CamelCase alike', async () => {
    const run = await runCli(['render', '--json', 'gw.hcl', 'route.hcl'], tempTree({ 'gw.hcl': GATEWAY, 'route.hcl': ROUTE }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [gw, route] = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(gw).toMatchObject({
      TLS: {
        Enabled: true,
        TLSMinVersion: 'TLSv1_2',
        CipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
        SDS: { ClusterName: 'sds', CertResource: 'edge-default' },
      },
    });
    expect(route).toMatchObject({ Services: [{ Name: 'postgres', TLS: { SDS: { ClusterName: 'sds', CertResource: 'db-cert' } } }] });
  });

  it('a field GatewayTLSConfig lacks is still refused with its place', async () => {
    const run = await runCli(['validate', 'gw.hcl'], tempTree({ 'gw.hcl': GATEWAY.replace('enabled         = true', 'enable = true') }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('gw.hcl:4:3: TLS.enable: invalid config key "TLS.enable"');
  });

  it('a target on Consul 1.22 is warned of each, with file, line and the version that added it', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('1.22.0'), 'config-entries/gw.hcl': GATEWAY, 'config-entries/route.hcl': ROUTE });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('config-entries/gw.hcl:3:');
    expect(run.stderr).toContain('TLS: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
    expect(run.stderr).toContain('config-entries/route.hcl:7:');
    expect(run.stderr).toContain('Services[0].TLS: Consul 1.22.0 (target "prod") does not know this field, added in Consul 2.0.0');
  });

  it('a target on Consul 2.0 is not warned of them', async () => {
    const dir = tempTree({ 'consul-gitops.yaml': yaml('2.1.0'), 'config-entries/gw.hcl': GATEWAY, 'config-entries/route.hcl': ROUTE });
    const run = await runCli(['validate', 'config-entries'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('does not know this field');
  });
});
