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
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[0\]\.ResourceFilter\.ResourceType: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid Patches\[0\]: invalid ResourceType '"clusters"'; supported values: cluster, cluster-load-assignment, route, listener$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[1\]\.Value: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid Patches\[1\]: field Value is not supported for remove operation$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[2\]\.ResourceFilter\.Services\[0\]: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid Patches\[2\]: service name is required$/,
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.Patches\[3\]\.ResourceFilter: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid Patches\[3\]: field ResourceFilter is required$/,
      // The newest property_override.go accepts connect-proxy only (validProxyTypes).
      /proxy\.hcl:7:\d+: EnvoyExtensions\[1\]\.Arguments\.ProxyType: invalid EnvoyExtensions\[1\]\[builtin\/property-override\]: invalid ProxyType '"mesh-gateway"'; supported values: connect-proxy$/,
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

const LAMBDA_AND_AUTHZ = `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  { Name = "builtin/aws/lambda", Arguments = { PayloadPassthrough = true } },
  { Name = "builtin/ext-authz", Arguments = { ProxyType = "terminating-gateway", ListenerType = "both" } },
  {
    Name = "builtin/ext-authz"
    Arguments = {
      Config = {
        HttpService = {
          Target = { URI = "authz.internal:9191", Timeout = "2" }
          AuthorizationRequest = { AllowedHeaders = [{ Exact = "x-user", Prefix = "x-" }] }
        }
      }
    }
  },
]
`;

describe('validate: builtin/aws/lambda and builtin/ext-authz arguments as their Constructors check them', () => {
  it("names a missing ARN and each ext-authz problem with Consul's text", async () => {
    const run = await validate({ 'config-entries/web.hcl': LAMBDA_AND_AUTHZ });
    expectLines(run, [
      /web\.hcl:5:\d+: EnvoyExtensions\[0\]\.Arguments\.ARN: invalid EnvoyExtensions\[0\]\[builtin\/aws\/lambda\]: ARN is required$/,
      /web\.hcl:6:\d+: EnvoyExtensions\[1\]\.Arguments\.ProxyType: invalid EnvoyExtensions\[1\]\[builtin\/ext-authz\]: unsupported ProxyType "terminating-gateway", only "connect-proxy" is supported$/,
      /web\.hcl:6:\d+: EnvoyExtensions\[1\]\.Arguments\.ListenerType: invalid EnvoyExtensions\[1\]\[builtin\/ext-authz\]: unexpected ListenerType "both", supported values are "inbound" or "outbound"$/,
      /web\.hcl:6:\d+: EnvoyExtensions\[1\]\.Arguments\.Config: invalid EnvoyExtensions\[1\]\[builtin\/ext-authz\]: exactly one of GrpcService or HttpService must be set$/,
      /web\.hcl:9:\d+: EnvoyExtensions\[2\]\.Arguments\.Config\.HttpService\.Target\.URI: invalid EnvoyExtensions\[2\]\[builtin\/ext-authz\]: failed to validate Config\.HttpService: invalid host for Target\.URI "authz\.internal:9191": expected "localhost", "127\.0\.0\.1", or "::1"$/,
      /web\.hcl:9:\d+: EnvoyExtensions\[2\]\.Arguments\.Config\.HttpService\.Target\.Timeout: invalid EnvoyExtensions\[2\]\[builtin\/ext-authz\]: failed to validate Config\.HttpService: failed to parse Target\.Timeout "2" as a duration: time: missing unit in duration "2"$/,
      /web\.hcl:9:\d+: EnvoyExtensions\[2\]\.Arguments\.Config\.HttpService\.AuthorizationRequest\.AllowedHeaders\[0\]: invalid EnvoyExtensions\[2\]\[builtin\/ext-authz\]: failed to validate Config\.HttpService: validation failed for AuthorizationRequest\.AllowedHeaders: validation failed for matcher at index 0: exactly one of Contains, Exact, Prefix, SafeRegex or Suffix must be set$/,
    ]);
  });

  it('accepts a gRPC service on localhost and an upstream HTTP service', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [
  { Name = "builtin/aws/lambda", Arguments = { ARN = "arn:aws:lambda:us-east-1:111111111111:function:f" } },
  { Name = "builtin/ext-authz", Arguments = { Config = { GrpcService = { Target = { URI = "127.0.0.1:9191", Timeout = "1.5s" } } } } },
  {
    Name = "builtin/ext-authz"
    Arguments = {
      ListenerType = "outbound"
      Config = { HttpService = { Target = { Service = { Name = "authz" } }, AuthorizationRequest = { AllowedHeaders = [{ Exact = "x-user" }] } } }
    }
  },
]
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('validate: builtin/otel-access-logging arguments as its Constructor checks them', () => {
  it('names a missing CommonConfig alone, and each problem of a configured one', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  { Name = "builtin/otel-access-logging", Arguments = { ProxyType = "api-gateway" } },
  { Name = "builtin/otel-access-logging", Arguments = { ListenerType = "both", Config = { CommonConfig = { GrpcService = { Target = { URI = "collector:4317" } } } } } },
]
`,
    });
    expectLines(run, [
      /web\.hcl:5:\d+: EnvoyExtensions\[0\]\.Arguments\.Config\.CommonConfig: invalid EnvoyExtensions\[0\]\[builtin\/otel-access-logging\]: missing CommonConfig$/,
      /web\.hcl:6:\d+: EnvoyExtensions\[1\]\.Arguments\.ListenerType: invalid EnvoyExtensions\[1\]\[builtin\/otel-access-logging\]: unexpected Listener "both"$/,
      /web\.hcl:6:\d+: EnvoyExtensions\[1\]\.Arguments\.Config\.CommonConfig\.GrpcService\.Target\.URI: invalid EnvoyExtensions\[1\]\[builtin\/otel-access-logging\]: failed to validate Config\.GrpcService: invalid host for Target\.URI "collector:4317": expected "localhost", "127\.0\.0\.1", or "::1"$/,
    ]);
    // normalize's error returns alone: the ProxyType of the first extension is never looked at.
    expect(run.stderr).not.toContain('unsupported ProxyType');
  });

  it('accepts an upstream collector', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [
  { Name = "builtin/otel-access-logging", Arguments = { Config = { CommonConfig = { GrpcService = { Target = { Service = { Name = "otel-collector" } } } } } } },
]
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('validate: builtin/wasm arguments as its Constructor checks them', () => {
  it('names each problem of a remote plugin: runtime, source, checksum, timeout and retry back-off', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  {
    Name = "builtin/wasm"
    Arguments = {
      Protocol     = "grpc"
      ListenerType = "inbound"
      PluginConfig = {
        VmConfig = {
          Runtime = "wasmer"
          Code = {
            Remote = {
              HttpURI     = { Service = { Name = "files" }, URI = "https://files/plugin.wasm", Timeout = "5" }
              RetryPolicy = { NumRetries = -1, RetryBackOff = { BaseInterval = "10s", MaxInterval = "1s" } }
            }
          }
        }
      }
    }
  },
]
`,
    });
    const ext = 'invalid EnvoyExtensions\\[0\\]\\[builtin\\/wasm\\]: ';
    expectLines(run, [
      new RegExp(`web\\.hcl:7:\\d+: EnvoyExtensions\\[0\\]\\.Arguments\\.Protocol: ${ext}unsupported Protocol "grpc", expected "tcp" or "http"$`),
      new RegExp(`EnvoyExtensions\\[0\\]\\.Arguments\\.PluginConfig\\.VmConfig\\.Runtime: ${ext}unsupported runtime "wasmer"$`),
      new RegExp(`Remote\\.SHA256: ${ext}SHA256 checksum is required for Remote data sources$`),
      new RegExp(`HttpURI\\.Timeout: ${ext}failed to parse HttpURI\\.Timeout "5" as a duration: time: missing unit in duration "5"$`),
      new RegExp(`RetryPolicy\\.NumRetries: ${ext}RetryPolicy\\.NumRetries must be greater than or equal to 0$`),
      new RegExp(`RetryBackOff\\.MaxInterval: ${ext}RetryBackOff\\.MaxInterval "1s" must be greater than or equal to RetryBackOff\\.BaseInterval "10s"$`),
    ]);
  });

  it('accepts a local plugin', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
EnvoyExtensions = [
  { Name = "builtin/wasm", Arguments = { Protocol = "http", ListenerType = "inbound", PluginConfig = { VmConfig = { Code = { Local = { Filename = "/plugins/auth.wasm" } } } } } },
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
