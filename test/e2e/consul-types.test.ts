// Class 4 of issue 11: values carry their Go type. A []byte travels base64-encoded (and Consul's HTTP
// side stores a body's string as its bytes, so GET encodes it once more), an int field is
// an integer (floats truncated, out-of-range refused as Go's decoders do). Derived from the api structs
// (api/config_entry_jwt_provider.go JWTProviderTrustedCA.InlineBytes []byte) and Go's encoding/json,
// which writes and reads a []byte as base64.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWJj\n-----END CERTIFICATE-----\n';
const PEM_FILE = `Kind = "jwt-provider"
Name = "okta"
JSONWebKeySet {
  Remote {
    URI = "https://okta.example/keys"
    JWKSCluster { TLSCertificates { TrustedCA { InlineBytes = <<EOF
${PEM}EOF
    } } }
  }
}
`;

describe('[]byte fields (jwt-provider TrustedCA.InlineBytes)', () => {
  // Consul's ConfigApply decodes a body into interface{} and then with weak mapstructure: a []byte
  // field's string is stored as its raw bytes (never base64-decoded), and GET answers their base64.
  const inlineBytesOf = (e: unknown) =>
    (e as { JSONWebKeySet: { Remote: { JWKSCluster: { TLSCertificates: { TrustedCA: { InlineBytes: string } } } } } }).JSONWebKeySet.Remote.JWKSCluster
      .TLSCertificates.TrustedCA.InlineBytes;
  const putJwt = (url: string, inlineBytes: string, source = 'config-entries/okta.hcl') =>
    fetch(`${url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({
        Kind: 'jwt-provider',
        Name: 'okta',
        JSONWebKeySet: { Remote: { URI: 'https://okta.example/keys', JWKSCluster: { TLSCertificates: { TrustedCA: { InlineBytes: inlineBytes } } } } },
        Meta: { 'managed-by': 'consul-gitops', 'consul-gitops/source': source },
      }),
    });
  const getJwt = async (url: string) => inlineBytesOf(await (await fetch(`${url}/v1/config/jwt-provider/okta`)).json());

  it("the api client's body (base64 of the text) is stored as its bytes: GET answers it base64-encoded again, and plan sees no change", async () => {
    // What `consul config write` and consul-gitops send for InlineBytes = "abc": base64 "YWJj".
    const put = await putJwt(server.url, 'YWJj');
    expect(await put.text()).toBe('true');
    expect(await getJwt(server.url)).toBe('WVdKag==');
    const list = (await (await fetch(`${server.url}/v1/config/jwt-provider`)).json()) as unknown[];
    expect(list.map(inlineBytesOf)).toEqual(['WVdKag==']);

    const dir = tempTree({ 'config-entries/okta.hcl': JWT_FILE });
    const plan = await runAgainst(server.url, planCommand, ['--detailed-exitcode'], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('a request body whose []byte is not base64 is accepted, as Consul does, and GET answers base64 of its bytes', async () => {
    const res = await putJwt(server.url, 'not base64!');
    expect(res.status).toBe(200);
    expect(await getJwt(server.url)).toBe(Buffer.from('not base64!').toString('base64'));
  });

  it('apply of a PEM InlineBytes, then plan: no change, also after the dev server restarts from its --data file', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'bytes-data-')), 'state.json');
    await server.restart({ dataFile });
    const dir = tempTree({ 'config-entries/okta.hcl': PEM_FILE });
    const apply = await runCli(['apply', '--auto-approve', '--consul', server.url], dir);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    // Consul holds the bytes of the base64 the CLI sent: GET is base64 of that base64.
    expect(await getJwt(server.url)).toBe(Buffer.from(Buffer.from(PEM).toString('base64')).toString('base64'));

    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);

    await server.restart({ dataFile });
    const again = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  it('import writes the original PEM text, and plan then sees no change', async () => {
    const put = await putJwt(server.url, Buffer.from(PEM).toString('base64'), 'config-entries/jwt-provider/okta.hcl');
    expect(await put.text()).toBe('true');
    const dir = tempTree({});
    const imported = await runCli(['import', '--consul', server.url, '--format', 'hcl', '--kinds', 'jwt-provider'], dir);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const text = readFileSync(join(dir, 'config-entries/jwt-provider/okta.hcl'), 'utf8');
    expect(text).toContain('-----BEGIN CERTIFICATE-----');
    expect(text).not.toContain(Buffer.from(PEM).toString('base64'));

    const plan = await runCli(['plan', '--detailed-exitcode', '--consul', server.url], dir);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
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
