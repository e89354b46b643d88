// Class 5 of issue 11: an api-gateway whose gateway-level and listener TLS Consul accepts at write
// time but cannot build the gateway's Envoy listeners from (agent/xds resolveAPIListenerTLSConfig,
// newest Consul: the errors are returned while generating listeners, not by Validate()). validate
// says so as a warning, with Consul's text, file and line; the entry stays valid, as Consul takes it.
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev-server/server.ts';
import { planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';

async function validate(text: string) {
  return runCli(['validate', 'gw.hcl'], tempTree({ 'gw.hcl': text }));
}

describe('api-gateway listener TLS merged over the gateway TLS', () => {
  it('a listener certificate with no SDS cluster at either level', async () => {
    const run = await validate(`Kind = "api-gateway"
Name = "edge"
Listeners = [
  {
    Name = "web"
    Port = 8443
    Protocol = "http"
    TLS = { SDS = { CertResource = "web-cert" } }
  }
]
`);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "warning: gw.hcl:8:13: Listeners[0].TLS.SDS: Consul accepts this entry, but then fails to build the gateway's listeners: invalid TLS.SDS configuration: ClusterName is required when CertResource is set",
    );
  });

  it('a listener naming an SDS cluster with no certificate at either level', async () => {
    const run = await validate(`Kind = "api-gateway"
Name = "edge"
TLS = { SDS = { ClusterName = "sds" } }
Listeners = [{ Name = "web", Port = 8443, Protocol = "http", TLS = { SDS = { ClusterName = "other" } } }]
`);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Listeners[0].TLS.SDS: ');
    expect(run.stderr).toContain('invalid TLS.SDS configuration: CertResource is required when ClusterName is set');
  });

  it('gateway cipher suites under a listener that asks for TLS 1.3', async () => {
    const run = await validate(`Kind = "api-gateway"
Name = "edge"
TLS = { CipherSuites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] }
Listeners = [{ Name = "web", Port = 8443, Protocol = "http", TLS = { MinVersion = "TLSv1_3" } }]
`);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "Listeners[0].TLS.MinVersion: Consul accepts this entry, but then fails to build the gateway's listeners: configuring CipherSuites is only applicable to connections negotiated with TLS 1.2 or earlier, TLSMinVersion is set to TLSv1_3 in config",
    );
  });

  it('what the listeners fill from the gateway is fine, and says nothing', async () => {
    const run = await validate(`Kind = "api-gateway"
Name = "edge"
TLS = {
  TLSMinVersion = "TLSv1_2"
  CipherSuites  = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
  SDS           = { ClusterName = "sds", CertResource = "default-cert" }
}
Listeners = [
  { Name = "a", Port = 8443, Protocol = "http", TLS = { SDS = { CertResource = "a-cert" } } },
  { Name = "b", Port = 9443, Protocol = "http" },
]
`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('a listener that sets both ciphers and TLS 1.3 itself is refused at write time, once', async () => {
    const run = await validate(`Kind = "api-gateway"
Name = "edge"
Listeners = [{ Name = "web", Port = 8443, Protocol = "http", TLS = { MinVersion = "TLSv1_3", CipherSuites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] } }]
`);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("fails to build the gateway's listeners");
  });

  describe('a route service certificate with no SDS cluster', () => {
    const GATEWAY = (tls: string) => `Kind = "api-gateway"
Name = "edge"
${tls}Listeners = [
  { Name = "web", Port = 8443, Protocol = "http" },
  { Name = "db", Port = 5432, Protocol = "tcp" },
]
`;
    const HTTP_ROUTE = `Kind = "http-route"
Name = "shop"
Parents = [{ Kind = "api-gateway", Name = "edge", SectionName = "web" }]
Rules = [{ Services = [{ Name = "cart", TLS = { SDS = { CertResource = "cart-cert" } } }] }]
`;
    const TCP_ROUTE = `Kind = "tcp-route"
Name = "pg"
Parents = [{ Kind = "api-gateway", Name = "edge" }]
Services = [{ Name = "postgres", TLS = { SDS = { CertResource = "pg-cert" } } }]
`;
    const files = (tls: string) => ({ 'gw.hcl': GATEWAY(tls), 'shop.hcl': HTTP_ROUTE, 'pg.hcl': TCP_ROUTE });

    it("is warned of, with Consul's text, when neither listener nor gateway names one", async () => {
      const run = await runCli(['validate', '.'], tempTree(files('')));
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        'warning: shop.hcl:4:49: Rules[0].Services[0].TLS.SDS: Consul accepts this entry, but then fails to build the gateway\'s listeners: route "shop" service "cart" sets TLS.SDS without ClusterName and no listener or gateway TLS.SDS.ClusterName is available',
      );
      expect(run.stderr).toContain(
        'pg.hcl:4:42: Services[0].TLS.SDS: Consul accepts this entry, but then fails to build the gateway\'s listeners: route "pg" service "postgres" sets TLS.SDS without ClusterName and no listener or gateway TLS.SDS.ClusterName is available',
      );
    });

    it('takes the gateway-level cluster, and says nothing', async () => {
      const run = await runCli(['validate', '.'], tempTree(files('TLS = { SDS = { ClusterName = "sds", CertResource = "edge-default" } }\n')));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    });
  });

  it('plan warns of it too for the entries it writes, so the PR plan shows it', async () => {
    const server = await startDevServer({ port: 0, consulVersion: '2.0.3' });
    try {
      const dir = tempTree({
        'config-entries/gw.hcl': `Kind = "api-gateway"
Name = "edge"
Listeners = [{ Name = "web", Port = 8443, Protocol = "http", TLS = { SDS = { CertResource = "web-cert" } } }]
`,
      });
      const json = JSON.parse((await runAgainst(server.url, planCommand, ['--json'], dir)).stdout) as {
        warnings: { code: string; entry: string; message: string }[];
      };
      expect(json.warnings).toContainEqual({
        code: 'gateway-tls-unbuildable',
        entry: 'api-gateway/edge',
        message:
          "config-entries/gw.hcl:3: Listeners[0].TLS.SDS: Consul accepts this entry, but then fails to build the gateway's listeners: invalid TLS.SDS configuration: ClusterName is required when CertResource is set",
      });
    } finally {
      await server.close();
    }
  });
});
