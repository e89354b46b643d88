// `validate` says what Consul would say at write time (issue 11, class 5): discovery-chain compile
// errors and per-kind Validate() texts, each on the file, line and field that causes it.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { TEST_CERT, TEST_KEY_NO_CN } from '../fixtures/certs.ts';

const validate = (files: Record<string, string>) => runCli(['validate'], tempTree(files));

const HTTP_DEFAULTS = 'Kind = "proxy-defaults"\nName = "global"\nConfig { protocol = "http" }\n';

describe('validate: discovery-chain checks (agent/consul/discoverychain/compile.go)', () => {
  it('names the split whose subset the resolver does not define', async () => {
    const run = await validate({
      'config-entries/pd.hcl': HTTP_DEFAULTS,
      'config-entries/web-splitter.hcl':
        'Kind = "service-splitter"\nName = "web"\nSplits = [\n  { Weight = 50, ServiceSubset = "v1" },\n  { Weight = 50, ServiceSubset = "v2" },\n]\n',
      'config-entries/web-resolver.hcl': 'Kind = "service-resolver"\nName = "web"\nSubsets = { v1 = { Filter = "Service.Meta.version == v1" } }\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('web-splitter.hcl:5:18: Splits[1].ServiceSubset: service "web" does not have a subset named "v2"');
    expect(run.stderr).not.toContain('"v1"');
  });

  it('names the route whose destination subset is missing, and a default subset that is missing', async () => {
    const run = await validate({
      'config-entries/pd.hcl': HTTP_DEFAULTS,
      'config-entries/api-router.hcl':
        'Kind = "service-router"\nName = "api"\nRoutes = [\n  {\n    Match { HTTP { PathPrefix = "/v2" } }\n    Destination { ServiceSubset = "v2" }\n  },\n]\n',
      'config-entries/api-resolver.hcl': 'Kind = "service-resolver"\nName = "api"\nSubsets = { v1 = { Filter = "Service.Meta.version == v1" } }\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/api-router\.hcl:\d+:\d+: Routes\[0\]\.Destination\.ServiceSubset: service "api" does not have a subset named "v2"/);
  });

  it('refuses a chain whose services disagree on the protocol', async () => {
    const run = await validate({
      'config-entries/a.hcl': 'Kind = "service-defaults"\nName = "a"\nProtocol = "http"\n',
      'config-entries/b.hcl': 'Kind = "service-defaults"\nName = "b"\nProtocol = "grpc"\n',
      'config-entries/split.hcl': 'Kind = "service-splitter"\nName = "a"\nSplits = [\n  { Weight = 50 },\n  { Weight = 50, Service = "b" },\n]\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('split.hcl:5:3: Splits[1]: discovery chain "a" uses inconsistent protocols; service "b" has "grpc" which is not "http"');
  });

  it('refuses resolver redirect loops and splitter loops', async () => {
    const run = await validate({
      'config-entries/pd.hcl': HTTP_DEFAULTS,
      'config-entries/x.hcl': 'Kind = "service-resolver"\nName = "x"\nRedirect { Service = "y" }\n',
      'config-entries/y.hcl': 'Kind = "service-resolver"\nName = "y"\nRedirect { Service = "x" }\n',
      'config-entries/sa.hcl': 'Kind = "service-splitter"\nName = "sa"\nSplits = [{ Weight = 100, Service = "sb" }]\n',
      'config-entries/sb.hcl': 'Kind = "service-splitter"\nName = "sb"\nSplits = [{ Weight = 100, Service = "sa" }]\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('detected circular resolver redirect: [x.default.default.dc1 -> y.default.default.dc1 -> x.default.default.dc1]');
    expect(run.stderr).toContain('detected circular reference: [splitter:sa.default.default -> splitter:sb.default.default -> splitter:sa.default.default]');
  });

  it('does not judge what Consul may hold: a subset of a resolver the tree does not define', async () => {
    const run = await validate({
      'config-entries/pd.hcl': HTTP_DEFAULTS,
      'config-entries/split.hcl': 'Kind = "service-splitter"\nName = "web"\nSplits = [{ Weight = 100, ServiceSubset = "v1" }]\n',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('validate: service-defaults as ServiceConfigEntry.Validate checks it', () => {
  it('reports every upstream, health-check, limit, balance and destination problem on its own line', async () => {
    const run = await validate({
      'config-entries/web.hcl': [
        'Kind = "service-defaults"',
        'Name = "web"',
        'UpstreamConfig {',
        '  Overrides = [',
        '    { Name = "*" },',
        '    { Name = "api", PassiveHealthCheck { Interval = "-1s" }, Limits { MaxConnections = -1 }, BalanceOutboundConnections = "round" },',
        '  ]',
        '  Defaults { Name = "db" }',
        '}',
        '',
      ].join('\n'),
      'config-entries/ext.hcl': 'Kind = "service-defaults"\nName = "ext"\nDestination {\n  Addresses = ["*.example.com", "10.0.0.1"]\n  Port = 443\n}\n',
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const has = (re: RegExp) =>
      expect(
        lines.some((l) => re.test(l)),
        `${re} in\n${run.stderr}`,
      ).toBe(true);
    has(/web\.hcl:5:\d+: UpstreamConfig\.Overrides\[0\]\.Name: error in upstream override for \*: Wildcard name is not supported$/);
    has(
      /web\.hcl:6:\d+: UpstreamConfig\.Overrides\[1\]\.PassiveHealthCheck\.Interval: error in upstream override for api: passive health check interval cannot be negative$/,
    );
    has(/web\.hcl:6:\d+: UpstreamConfig\.Overrides\[1\]\.Limits\.MaxConnections: error in upstream override for api: max connections cannot be negative$/);
    has(
      /UpstreamConfig\.Overrides\[1\]\.BalanceOutboundConnections: error in upstream override for api: invalid value for balance_outbound_connections: round$/,
    );
    has(/web\.hcl:8:\d+: UpstreamConfig\.Defaults\.Name: error in upstream defaults: Name must be empty$/);
    has(
      /ext\.hcl:4:\d+: Destination\.Addresses\[0\]: Destination address '\*\.example\.com' is invalid Could not validate address \*\.example\.com as an IP or Hostname$/,
    );
    expect(run.stderr).not.toContain('10.0.0.1');
  });

  it('says only what Consul says when UpstreamConfig and Destination are both set', async () => {
    const run = await validate({
      'config-entries/both.hcl':
        'Kind = "service-defaults"\nName = "both"\nMutualTLSMode = "bogus"\nUpstreamConfig { Defaults { ConnectTimeoutMs = 1000 } }\nDestination {\n  Addresses = ["*"]\n  Port = 0\n}\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('UpstreamConfig: UpstreamConfig and Destination are mutually exclusive for service defaults');
    expect(run.stderr).not.toMatch(/Destination address|Invalid Port|MutualTLSMode/);
  });
});

describe('validate: proxy-defaults checks of ProxyConfigEntry.Validate', () => {
  it('refuses a long metrics socket dir, an unknown failover mode and locality routing on CE', async () => {
    const run = await validate({
      'config-entries/pd.hcl': [
        'Kind = "proxy-defaults"',
        'Name = "global"',
        'Config {',
        '  envoy_hcp_metrics_bind_socket_dir = "/Consul/is/a/networking/platform/that/enables/securing/your/networking/"',
        '}',
        'FailoverPolicy { Mode = "nearest" }',
        'PrioritizeByLocality { Mode = "failover" }',
        '',
      ].join('\n'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /pd\.hcl:[34]:\d+: Config\.envoy_hcp_metrics_bind_socket_dir: Config: envoy_hcp_metrics_bind_socket_dir length 71 exceeds max 70/,
    );
    expect(run.stderr).toMatch(/pd\.hcl:6:\d+: FailoverPolicy\.Mode: Failover-policy mode must be one of '', 'sequential', or 'order-by-locality'/);
    expect(run.stderr).toMatch(/pd\.hcl:7:\d+: PrioritizeByLocality\.Mode: Prioritize-by-locality requires Consul Enterprise/);
  });
});

describe('validate: gateway and mesh TLS, SDS, header and host checks (config_entry_gateways.go, config_entry_mesh.go)', () => {
  it("reports every ingress listener problem, each with Consul's text", async () => {
    const run = await validate({
      'config-entries/ig.hcl': [
        'Kind = "ingress-gateway"',
        'Name = "edge"',
        'Listeners = [',
        '  { Port = 8080, Protocol = "http", TLS { TLSMinVersion = "TLSv1_3", CipherSuites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] }, Services = [{ Name = "web" }] },',
        '  { Port = 9000, Protocol = "tcp", Services = [{ Name = "db", ResponseHeaders { Remove = ["server"] } }] },',
        '  { Port = 8081, Protocol = "http", Services = [{ Name = "api", Hosts = ["api..example.com"] }] },',
        ']',
        '',
      ].join('\n'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /ig\.hcl:4:\d+: Listeners\[0\]\.TLS\.CipherSuites: configuring CipherSuites is only applicable to connections negotiated with TLS 1\.2 or earlier, TLSMinVersion is set to TLSv1_3/,
    );
    expect(run.stderr).toMatch(
      /ig\.hcl:5:\d+: Listeners\[1\]\.Services\[0\]\.ResponseHeaders: response headers only valid for http, http2 and grpc protocols \(service "db" on listener on port 9000\)/,
    );
    expect(run.stderr).toMatch(/ig\.hcl:6:\d+: Listeners\[2\]\.Services\[0\]\.Hosts: Host "api\.\.example\.com" must be a valid DNS hostname/);
  });

  it('checks api-gateway listener and mesh TLS versions', async () => {
    const run = await validate({
      'config-entries/ag.hcl':
        'Kind = "api-gateway"\nName = "ag"\nListeners = [\n  { Name = "l1", Port = 8443, Protocol = "http", TLS { MinVersion = "TLSv1_4" } },\n]\n',
      'config-entries/mesh.hcl': 'Kind = "mesh"\nTLS {\n  Outgoing { TLSMinVersion = "TLSv1_3", TLSMaxVersion = "TLSv1_2" }\n}\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /ag\.hcl:4:\d+: Listeners\[0\]\.TLS\.MinVersion: no matching TLS version found for TLSv1_4, please specify one of \[TLS_AUTO, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3\]/,
    );
    expect(run.stderr).toMatch(
      /mesh\.hcl:3:\d+: TLS\.Outgoing\.TLSMaxVersion: error in outgoing TLS configuration: configuring max version TLSv1_2 less than the configured min version TLSv1_3 is invalid/,
    );
  });
});

describe('validate: resolver filters, JWKS URIs and inline certificates as Consul parses them', () => {
  it('refuses a subset Filter that is not a bexpr expression, a JWKS URI that is not a request URI, and an unusable certificate', async () => {
    const run = await validate({
      'config-entries/r.hcl': 'Kind = "service-resolver"\nName = "web"\nSubsets = {\n  v1 = { Filter = "Service.Meta.version ==" }\n}\n',
      'config-entries/jwt.hcl': 'Kind = "jwt-provider"\nName = "okta"\nJSONWebKeySet {\n  Remote { URI = "jibberishUrl" }\n}\n',
      'config-entries/cert.json': JSON.stringify({ Kind: 'inline-certificate', Name: 'gw', Certificate: TEST_CERT, PrivateKey: TEST_KEY_NO_CN }, null, 2),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/r\.hcl:4:\d+: Subsets\.v1\.Filter: Filter for subset "v1" is not a valid expression: 1:\d+ \(\d+\): no match found/);
    expect(run.stderr).toMatch(
      /jwt\.hcl:4:\d+: JSONWebKeySet\.Remote\.URI: Remote JWKS URI is invalid: parse "jibberishUrl": invalid URI for request, uri: jibberishUrl/,
    );
    expect(run.stderr).toMatch(/cert\.json:\d+:\d+: PrivateKey: tls: private key does not match public key/);
    expect(run.stderr).not.toContain('PRIVATE KEY-----');
  });
});
