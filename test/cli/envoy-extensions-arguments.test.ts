// Issue 11 class 5: each built-in extension's own argument check. envoyextensions.ValidateExtensions
// (agent/envoyextensions/registered_extensions.go) calls ConstructExtension on every write of
// service-defaults and proxy-defaults, so Consul refuses Arguments its Constructor refuses, as
// "invalid EnvoyExtensions[i][name]: <the constructor's error>". Ported: builtin/lua (lua.go validate)
// and builtin/property-override (property_override.go validate, up to PatchStruct).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runCli, tempTree } from '../support/run-cli.ts';

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

// A careless user: the Lua page's table calls the direction "ListenerType", lua.go reads `Listener`.
const LUA = `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  {
    Name = "builtin/lua"
    Arguments = {
      ProxyType    = "terminating-gateway"
      ListenerType = "inbound"
    }
  },
]
`;

const PROPERTY_OVERRIDE = `Kind = "proxy-defaults"
Name = "global"
EnvoyExtensions = [
  { Name = "builtin/property-override", Arguments = { ProxyType = "connect-proxy" } },
  {
    Name = "builtin/property-override"
    Arguments = {
      ProxyType = "mesh-gateway"
      Patches = [
        { ResourceFilter = { ResourceType = "clusters", TrafficDirection = "outbound" }, Op = "add", Path = "/upstream_connection_options/tcp_keepalive/keepalive_probes", Value = 5 },
        { ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "remove", Path = "/outlier_detection", Value = 1 },
        { ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound", Services = [{ Namespace = "ns" }] }, Op = "add", Path = "/x", Value = 1 },
        { Op = "add", Path = "/x", Value = 1 },
      ]
    }
  },
]
`;

describe('validate: builtin/lua arguments as lua.go checks them', () => {
  // Arguments is an opaque map: its problems are placed on the Arguments line, and the field names the key.
  it('names a missing Script, an unsupported ProxyType and a Listener given under another name, each on its own line', async () => {
    const run = await validate({ 'config-entries/web.hcl': LUA });
    expectLines(run, [
      /web\.hcl:7:\d+: EnvoyExtensions\[0\]\.Arguments\.Script: invalid EnvoyExtensions\[0\]\[builtin\/lua\]: missing Script value$/,
      /web\.hcl:7:\d+: EnvoyExtensions\[0\]\.Arguments\.ProxyType: invalid EnvoyExtensions\[0\]\[builtin\/lua\]: unexpected ProxyType "terminating-gateway"$/,
      /web\.hcl:7:\d+: EnvoyExtensions\[0\]\.Arguments\.Listener: invalid EnvoyExtensions\[0\]\[builtin\/lua\]: unexpected Listener ""$/,
    ]);
  });

  it('accepts a script with a listener direction, ProxyType left out (connect-proxy) or spelled in any case', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [
  { Name = "builtin/lua", Arguments = { Listener = "inbound", Script = "function envoy_on_request(h) end" } },
  { Name = "builtin/lua", Arguments = { proxytype = "connect-proxy", listener = "outbound", script = "function envoy_on_response(h) end" } },
]
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('validate: builtin/property-override arguments as property_override.go checks them', () => {
  it('names each patch problem and the ProxyType, with file, line and field; exit 1', async () => {
    const run = await validate({ 'config-entries/proxy.hcl': PROPERTY_OVERRIDE });
    expectLines(run, [
      /proxy\.hcl:4:\d+: EnvoyExtensions\[0\]\.Arguments\.Patches: invalid EnvoyExtensions\[0\]\[builtin\/property-override\]: at least one patch is required$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[0\]\.ResourceFilter\.ResourceType: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid ResourceType '"clusters"'; supported values: cluster, cluster-load-assignment, route, listener$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[1\]\.Value: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: field Value is not supported for remove operation$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[2\]\.ResourceFilter\.Services\[0\]: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: service name is required$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[3\]\.ResourceFilter: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: field ResourceFilter is required$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.ProxyType: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid ProxyType '"mesh-gateway"'; supported values: connect-proxy, terminating-gateway$/,
    ]);
  });

  it("accepts the extension page's keepalive example", async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  {
    Name = "builtin/property-override"
    Arguments = {
      ProxyType = "connect-proxy"
      Patches = [
        {
          ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound", Services = [{ Name = "api" }] }
          Op    = "add"
          Path  = "/upstream_connection_options/tcp_keepalive/keepalive_probes"
          Value = 5
        },
        { ResourceFilter = { ResourceType = "listener", TrafficDirection = "inbound" }, Op = "remove", Path = "/per_connection_buffer_limit_bytes" },
      ]
    }
  },
]
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('apply and the dev server', () => {
  let consul: DevServer;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await consul.close();
  });

  it('apply refuses the tree before any write', async () => {
    const run = await runCli(['apply', '--auto-approve', '--consul', consul.url], tempTree({ 'config-entries/web.hcl': LUA }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid EnvoyExtensions[0][builtin/lua]: missing Script value');
    expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(404);
  });

  it("the dev server refuses the same PUT with Consul's nested multierror text", async () => {
    const put = await fetch(`${consul.url}/v1/config`, {
      method: 'PUT',
      body: JSON.stringify({ Kind: 'service-defaults', Name: 'web', EnvoyExtensions: [{ Name: 'builtin/lua', Arguments: { Script: 'x' } }] }),
    });
    expect(put.status).toBe(500);
    expect(await put.text()).toBe('1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/lua]: 1 error occurred:\n\t* unexpected Listener ""\n\n\n\n');
  });
});
