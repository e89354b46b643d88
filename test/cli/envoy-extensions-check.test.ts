// Issue 11 class 5: envoyextensions.ValidateExtensions (agent/envoyextensions/registered-extensions.go),
// which Consul runs when service-defaults or proxy-defaults is written. `validate`, `plan` and the
// dev server now say what Consul says: a name is required, EnvoyVersion/ConsulVersion must be
// go-version constraints, and only built-in extensions exist. The texts are those of Consul's
// TestServiceConfigEntry ("validate: missing extension name", "validate: invalid extension name").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

const SERVICE = `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [
  { Name = "" },
  { Name = "builtin/lua", ConsulVersion = ">= one" },
  { Name = "builtin/lua-typo" },
]
`;
const PROXY = `Kind = "proxy-defaults"
Name = "global"
EnvoyExtensions = [{ Name = "builtin/proxy/validate" }]
`;

describe('validate: EnvoyExtensions as Consul checks them', () => {
  it('names each bad extension on its own line with file, line and field; exit 1', async () => {
    const run = await runCli(['validate'], tempTree({ 'config-entries/web.hcl': SERVICE, 'config-entries/proxy.hcl': PROXY }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/web\.hcl:4:\d+: EnvoyExtensions\[0\]\.Name: invalid EnvoyExtensions\[0\]: Name is required/);
    expect(run.stderr).toMatch(
      /web\.hcl:5:\d+: EnvoyExtensions\[1\]\.ConsulVersion: invalid EnvoyExtensions\[1\]\.ConsulVersion: Malformed constraint: >= one/,
    );
    expect(run.stderr).toMatch(
      /web\.hcl:6:\d+: EnvoyExtensions\[2\]\.Name: invalid EnvoyExtensions\[2\]\[builtin\/lua-typo\]: name "builtin\/lua-typo" is not a built-in extension/,
    );
    expect(run.stderr).toMatch(
      /proxy\.hcl:3:\d+: EnvoyExtensions\[0\]\.Name: invalid EnvoyExtensions\[0\]\[builtin\/proxy\/validate\]: name "builtin\/proxy\/validate" is not a built-in extension/,
    );
  });

  it('accepts built-in extensions with go-version constraints, v prefixes and pre-releases included', async () => {
    const run = await runCli(
      ['validate'],
      tempTree({
        'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [
  { Name = "builtin/aws/lambda", ConsulVersion = ">= 1.15, < 3", EnvoyVersion = "~> v1.27.0-rc1", Arguments = { ARN = "some-arn" } },
  { Name = "builtin/ext-authz", Arguments = { Config = { GrpcService = { Target = { URI = "127.0.0.1:9191" } } } } },
]
`,
      }),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('spellings (class 1): api.EnvoyExtension has no alias tags', () => {
  it('envoy_version and consul_version are refused as invalid config keys, as consul config write refuses them', async () => {
    const run = await runCli(
      ['validate'],
      tempTree({
        'config-entries/web.hcl':
          'Kind = "service-defaults"\nName = "web"\nEnvoyExtensions = [{ Name = "builtin/lua", envoy_version = ">= 1.27", consul_version = ">= 1.15" }]\n',
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid config key "EnvoyExtensions[0].envoy_version"');
    expect(run.stderr).toContain('invalid config key "EnvoyExtensions[0].consul_version"');
  });
});

describe('plan and the dev server', () => {
  let consul: DevServer;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await consul.close();
  });

  it('plan refuses the tree before any write', async () => {
    const dir = tempTree({ 'config-entries/proxy.hcl': PROXY });
    const run = await runCli(['apply', '--auto-approve', '--consul', consul.url], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('name "builtin/proxy/validate" is not a built-in extension');
    expect((await fetch(`${consul.url}/v1/config/proxy-defaults/global`)).status).toBe(404);
  });

  it("the dev server answers a PUT with Consul's whole multierror text", async () => {
    const put = await fetch(`${consul.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'proxy-defaults', Name: 'global', EnvoyExtensions: [{ Name: '' }, { Name: 'x' }] }),
    });
    expect(put.status).toBe(500);
    expect(await put.text()).toBe(
      '2 errors occurred:\n\t* invalid EnvoyExtensions[0]: Name is required\n\t* invalid EnvoyExtensions[1][x]: name "x" is not a built-in extension\n\n',
    );
  });
});
