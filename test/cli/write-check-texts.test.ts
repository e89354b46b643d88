// Issue 11 class 5, CLI side of checks the contract suite pinned alone (docs/fidelity.md): each is
// refused by `validate` with Consul's text on the file, line and field that causes it. The texts
// are those of test/contract/write-checks.contract.ts, taken from agent/structs/config_entry.go
// (ServiceConfigEntry.Validate, PassiveHealthCheck.Validate), config_entry_gateways.go
// (validateServiceSDS, validateListeners), config_entry_mesh.go (validateTLSConfig) and
// config_entry_inline_certificate.go.
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../support/run-cli.ts';
import { TEST_CERT, TEST_KEY_RSA_1024 } from '../fixtures/certs.ts';

const validate = (files: Record<string, string>) => runCli(['validate'], tempTree(files));

/** Every pattern matches a line of stderr, and the run failed. */
function expectLines(run: { code: number; stderr: string }, patterns: RegExp[]) {
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n');
  for (const re of patterns)
    expect(
      lines.some((l) => re.test(l)),
      `${re} in\n${run.stderr}`,
    ).toBe(true);
}

describe('validate: service-defaults bounds and destinations', () => {
  it('an enforcing percentage over 100, a duplicate destination address and a port out of range', async () => {
    const run = await validate({
      'config-entries/web.hcl':
        'Kind = "service-defaults"\nName = "web"\nUpstreamConfig {\n  Defaults {\n    PassiveHealthCheck { EnforcingConsecutive5xx = 101 }\n  }\n}\n',
      'config-entries/ext.hcl': 'Kind = "service-defaults"\nName = "ext"\nDestination {\n  Addresses = ["10.0.0.1", "10.0.0.1"]\n  Port = 70000\n}\n',
      'config-entries/none.hcl': 'Kind = "service-defaults"\nName = "none"\nDestination {\n  Port = 443\n}\n',
    });
    expectLines(run, [
      /web\.hcl:5:\d+: UpstreamConfig\.Defaults\.PassiveHealthCheck\.EnforcingConsecutive5xx: error in upstream defaults: passive health check enforcing_consecutive_5xx must be a percentage between 0 and 100$/,
      /ext\.hcl:4:\d+: Destination\.Addresses\[1\]: Duplicate address '10\.0\.0\.1' is not allowed$/,
      /ext\.hcl:5:\d+: Destination\.Port: Invalid Port number 70000$/,
      /none\.hcl:\d+:\d+: Destination\.Addresses: Destination must contain at least one valid address$/,
    ]);
  });
});

describe('validate: gateway TLS', () => {
  it('ingress SDS without a certificate, a service certificate without hosts, and cipher suites Envoy lacks', async () => {
    const run = await validate({
      'config-entries/ig.hcl': [
        'Kind = "ingress-gateway"',
        'Name = "edge"',
        'Listeners = [',
        '  { Port = 8080, Protocol = "http", TLS { SDS { ClusterName = "sds" } }, Services = [{ Name = "web", Hosts = ["web.example.com"] }] },',
        '  { Port = 8081, Protocol = "http", Services = [{ Name = "api", TLS { SDS { ClusterName = "sds", CertResource = "api-cert" } } }] },',
        '  { Port = 8082, Protocol = "http", TLS { CipherSuites = ["TLS_FOO", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] }, Services = [{ Name = "db" }] },',
        ']',
        '',
      ].join('\n'),
    });
    expectLines(run, [
      /ig\.hcl:4:\d+: [^:]+: TLS\.SDS\.CertResource is required if ClusterName is set for listener \(listener on port 8080\)$/,
      /ig\.hcl:5:\d+: [^:]+: A service specifying TLS\.SDS\.CertResource must have at least one item in Hosts \(service "api" on listener on port 8081\)$/,
      /ig\.hcl:6:\d+: Listeners\[2\]\.TLS\.CipherSuites: no matching Envoy TLS cipher suite found for TLS_FOO$/,
    ]);
  });

  it("api-gateway: a certificate reference of another kind, with the newest Consul's text", async () => {
    const run = await validate({
      'config-entries/ag.hcl':
        'Kind = "api-gateway"\nName = "ag"\nListeners = [\n  { Name = "l1", Port = 8443, Protocol = "http", TLS { Certificates = [{ Kind = "secret", Name = "c" }] } },\n]\n',
    });
    expectLines(run, [
      /ag\.hcl:4:\d+: Listeners\[0\]\.TLS\.Certificates\[0\]: unsupported certificate kind: "secret", must be 'file-system-certificate' or 'inline-certificate'$/,
    ]);
  });
});

describe('validate: proxy-defaults access logs (AccessLogsConfig.Validate)', () => {
  it('a path for logs that do not go to a file is refused, naming the field', async () => {
    const run = await validate({
      'config-entries/proxy.hcl':
        'Kind = "proxy-defaults"\nName = "global"\nAccessLogs {\n  Enabled = true\n  Type = "stdout"\n  Path = "/var/log/envoy.log"\n}\n',
    });
    expectLines(run, [/proxy\.hcl:6:\d+: AccessLogs\.Path: path is only valid for file type access logs$/]);
  });
});

describe('validate: inline-certificate key size', () => {
  it('an RSA key under 2048 bits, and the key never printed', async () => {
    const run = await validate({
      'config-entries/cert.json': JSON.stringify({ Kind: 'inline-certificate', Name: 'gw', Certificate: TEST_CERT, PrivateKey: TEST_KEY_RSA_1024 }, null, 2),
    });
    expectLines(run, [/cert\.json:\d+:\d+: PrivateKey: key length must be at least 2048 bits$/]);
    expect(run.stderr).not.toContain('PRIVATE KEY-----');
  });
});
