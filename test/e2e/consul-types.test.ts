// Class 4 of issue 11: values carry their Go type. A []byte travels base64-encoded, an int field is
// an integer (floats truncated, out-of-range refused as Go's decoders do). Derived from the api structs
// (api/config_entry_jwt_provider.go JWTProviderTrustedCA.InlineBytes []byte) and Go's encoding/json,
// which writes and reads a []byte as base64.
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/plan-command.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';
import { devServerPerTest } from '../support/dev-server-per-test.ts';

const server = devServerPerTest();

const JWT_FILE = `Kind = "jwt-provider"
Name = "okta"
JSONWebKeySet {
  Remote {
    URI = "https://okta.example/keys"
    JWKSCluster { TLSCertificates { TrustedCA { InlineBytes = "abc" } } }
  }
}
`;

describe('[]byte fields (jwt-provider TrustedCA.InlineBytes)', () => {
  it("a file's text equals the base64 Consul holds: no change planned", async () => {
    // What the api client sends for InlineBytes []byte("abc") (encoding/json: base64), and Consul returns.
    const live = {
      Kind: 'jwt-provider',
      Name: 'okta',
      JSONWebKeySet: { Remote: { URI: 'https://okta.example/keys', JWKSCluster: { TLSCertificates: { TrustedCA: { InlineBytes: 'YWJj' } } } } },
      Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': 'config-entries/okta.hcl' },
    };
    const put = await fetch(`${server.url}/v1/config`, { method: 'PUT', body: JSON.stringify(live) });
    expect(await put.text()).toBe('true');
    const got = (await (await fetch(`${server.url}/v1/config/jwt-provider/okta`)).json()) as typeof live;
    expect(got.JSONWebKeySet.Remote.JWKSCluster.TLSCertificates.TrustedCA.InlineBytes).toBe('YWJj');

    const dir = tempTree({ 'config-entries/okta.hcl': JWT_FILE });
    const plan = await runAgainst(server.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('the dev server refuses a request body whose []byte is not base64', async () => {
    const res = await fetch(`${server.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({
        Kind: 'jwt-provider',
        Name: 'okta',
        JSONWebKeySet: { Remote: { URI: 'https://x/k', JWKSCluster: { TLSCertificates: { TrustedCA: { InlineBytes: 'not base64!' } } } } },
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('illegal base64 data');
  });
});

describe('integer fields (api InstanceLevelRateLimits.RequestsPerSecond int)', () => {
  it('a fraction is cut to the integer Consul stores (mapstructure decodeInt truncates floats)', async () => {
    const dir = tempTree({ 'a.hcl': 'Kind = "service-defaults"\nName = "a"\nRateLimits { InstanceLevel { RequestsPerSecond = 2.5 } }\n' });
    const run = await runCli(['render', '--json', 'a.hcl'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)[0].RateLimits.InstanceLevel.RequestsPerSecond).toBe(2);
  });

  it("past int64 is strconv.ParseInt's out-of-range error, naming file, line and field", async () => {
    const dir = tempTree({ 'a.hcl': 'Kind = "service-defaults"\nName = "a"\nRateLimits { InstanceLevel { RequestsPerSecond = "9223372036854775808" } }\n' });
    const run = await runCli(['validate', 'a.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a.hcl:3');
    expect(run.stderr).toContain(`cannot parse 'RequestsPerSecond' as int: strconv.ParseInt: parsing "9223372036854775808": value out of range`);
  });

  it('a negative passive-health-check count overflows uint32, as Consul reports it', async () => {
    const dir = tempTree({
      'a.hcl': 'Kind = "service-defaults"\nName = "a"\nUpstreamConfig { Defaults { PassiveHealthCheck { MaxFailures = -1 } } }\n',
    });
    const run = await runCli(['validate', 'a.hcl'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot parse 'MaxFailures', -1 overflows uint32");
  });
});
