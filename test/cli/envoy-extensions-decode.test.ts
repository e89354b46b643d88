// Issue 11 class 5: the Envoy extension checks Consul makes at write time that came last.
// (a) mapstructure's decode of EnvoyExtensions[].Arguments (go-viper/mapstructure v2: DecodeError,
//     UnconvertibleTypeError, ParseError, joined under "decoding failed due to the following error(s):"),
//     wrapped as each Constructor wraps it (lua.go, wasm.go, property_override.go: "error decoding
//     extension arguments: "; ext_authz.go: as it is);
// (b) ext-authz structs.go extAuthzConfig.validate: StatusOnError must be an Envoy StatusCode;
// (c) wasm structs.go wasmConfig.validate: url.Parse of HttpURI.URI ("invalid HttpURI.URI: %w");
// (d) property-override structpatcher.go PatchStruct: the Path walked through Envoy's protos and an
//     `add` Value checked against the target field (property_override_test.go TestConstructor "patch with
//     invalid Envoy resource Path", "multiple patches includes indexed errors").
// Each is refused by validate and plan with file, line, field and Consul's text, and by the dev server
// with Consul's whole answer; apply writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/plan-command.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { runAgainst, runCli, tempTree } from '../support/run-cli.ts';

const validate = (files: Record<string, string>) => runCli(['validate'], tempTree(files));

/** Every pattern matches a line of stderr, and the run failed. */
function expectLines(run: { code: number; stderr: string; stdout?: string }, patterns: RegExp[]) {
  expect(run.code).toBe(1);
  const lines = (run.stderr + (run.stdout ?? '')).split('\n');
  for (const re of patterns)
    expect(
      lines.some((l) => re.test(l)),
      `${re} in\n${run.stderr}`,
    ).toBe(true);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A line `<file>:<line>:<col>: <field>: <message>`, the message exactly. */
const at = (file: string, line: number, field: string, message: string) => new RegExp(`${esc(file)}:${line}:\\d+: ${esc(field)}: ${esc(message)}$`);

// A careless user: numbers and words where the extension's Go struct wants another type.
const WRONG_TYPES = `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  { Name = "builtin/lua", Arguments = { Listener = "inbound", Script = 42 } },
  { Name = "builtin/ext-authz", Arguments = { Config = { StatusOnError = "403", GrpcService = { Target = { URI = "localhost:9191" } } } } },
  { Name = "builtin/property-override", Arguments = { Debug = "maybe", Patches = [{ ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "add", Path = "/connect_timeout", Value = "5s" }] } },
  { Name = "builtin/wasm", Arguments = { Protocol = "http", ListenerType = "inbound", PluginConfig = { VmConfig = { Code = { Local = { Filename = "/p.wasm" } } } }, ProxyType = ["connect-proxy", "api-gateway"] } },
]
`;

const VALUES = `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  { Name = "builtin/ext-authz", Arguments = { Config = { StatusOnError = 499, GrpcService = { Target = { URI = "localhost:9191" } } } } },
  { Name = "builtin/wasm", Arguments = { Protocol = "http", ListenerType = "inbound", PluginConfig = { VmConfig = { Code = { Remote = { SHA256 = "5b2a", HttpURI = { Service = { Name = "files" }, URI = "https://files host/plugin.wasm" } } } } } } },
]
`;

const PATCHES = `Kind = "proxy-defaults"
Name = "global"
EnvoyExtensions = [
  {
    Name = "builtin/property-override"
    Arguments = {
      Patches = [
        { ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "add", Path = "/connect_timeout", Value = "5s" },
        { ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "add", Path = "/upstream_connection_options/tcp_keepalive/keepalive_probe", Value = 5 },
        { ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "remove", Path = "/health_checks/timeout" },
        { ResourceFilter = { ResourceType = "listener", TrafficDirection = "inbound" }, Op = "add", Path = "/per_connection_buffer_limit_bytes" },
        { ResourceFilter = { ResourceType = "route", TrafficDirection = "outbound" }, Op = "add", Path = "/validate_clusters", Value = "yes" },
      ]
    }
  },
]
`;

const LUA = 'invalid EnvoyExtensions[0][builtin/lua]: error decoding extension arguments: decoding failed due to the following error(s): ';
const AUTHZ = 'invalid EnvoyExtensions[1][builtin/ext-authz]: decoding failed due to the following error(s): ';
const OVERRIDE = 'invalid EnvoyExtensions[2][builtin/property-override]: error decoding extension arguments: decoding failed due to the following error(s): ';
const WASM = 'invalid EnvoyExtensions[3][builtin/wasm]: error decoding extension arguments: decoding failed due to the following error(s): ';

describe("validate: Arguments of the wrong Go type, with mapstructure's texts", () => {
  it('names each value Consul cannot decode, with file, line and field; nothing else of that extension is checked', async () => {
    const run = await validate({ 'config-entries/web.hcl': WRONG_TYPES });
    expectLines(run, [
      at('web.hcl', 5, 'EnvoyExtensions[0].Arguments.Script', `${LUA}'Script' expected type 'string', got unconvertible type 'float64'`),
      at(
        'web.hcl',
        6,
        'EnvoyExtensions[1].Arguments.Config.StatusOnError',
        `${AUTHZ}'Config.StatusOnError' expected type 'int', got unconvertible type 'string'`,
      ),
      // WeakDecode reads numbers and booleans as strings, but not a word as a bool.
      at('web.hcl', 7, 'EnvoyExtensions[2].Arguments.Debug', `${OVERRIDE}'Debug' cannot parse value as 'bool': strconv.ParseBool: invalid syntax`),
      at('web.hcl', 8, 'EnvoyExtensions[3].Arguments.ProxyType', `${WASM}'ProxyType' expected type 'api.ServiceKind', got unconvertible type '[]interface {}'`),
    ]);
    // The decode error returns before validate: the patch's Duration is not judged.
    expect(run.stderr).not.toContain('google.protobuf.Duration');
  });

  it('accepts the same extensions with values of the right types', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  { Name = "builtin/lua", Arguments = { Listener = "inbound", Script = "function envoy_on_request(h) end" } },
  { Name = "builtin/ext-authz", Arguments = { Config = { StatusOnError = 503, GrpcService = { Target = { URI = "localhost:9191" } } } } },
  { Name = "builtin/property-override", Arguments = { Debug = true, Patches = [{ ResourceFilter = { ResourceType = "cluster", TrafficDirection = "outbound" }, Op = "add", Path = "/name", Value = "web-cluster" }] } },
  { Name = "builtin/wasm", Arguments = { Protocol = "http", ListenerType = "inbound", PluginConfig = { VmConfig = { Code = { Remote = { SHA256 = "5b2a", HttpURI = { Service = { Name = "files" }, URI = "https://files/plugin.wasm#v1" } } } } } } },
]
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('validate: otel-access-logging durations are nanoseconds to mapstructure', () => {
  // structs.go CommonConfig.BufferFlushInterval and RetryBackOff.BaseInterval are *time.Duration, and
  // otel_access_logging.go decodes with plain mapstructure.Decode (no StringToTimeDurationHookFunc).
  it('refuses a BufferFlushInterval written as "5s" and a negative uint32, and takes a number of nanoseconds', async () => {
    const run = await validate({
      'config-entries/web.hcl': `Kind = "service-defaults"
Name = "web"
Protocol = "http"
EnvoyExtensions = [
  { Name = "builtin/otel-access-logging", Arguments = { Config = { CommonConfig = { BufferFlushInterval = "5s", BufferSizeBytes = -1, GrpcService = { Target = { URI = "localhost:4317" } } } } } },
  { Name = "builtin/otel-access-logging", Arguments = { Config = { CommonConfig = { BufferFlushInterval = 5000000000, GrpcService = { Target = { URI = "localhost:4317" } } } } } },
]
`,
    });
    const ext = 'invalid EnvoyExtensions[0][builtin/otel-access-logging]: decoding failed due to the following error(s): ';
    expectLines(run, [
      at(
        'web.hcl',
        5,
        'EnvoyExtensions[0].Arguments.Config.CommonConfig.BufferFlushInterval',
        `${ext}'Config.CommonConfig.BufferFlushInterval' expected type 'time.Duration', got unconvertible type 'string'`,
      ),
      at(
        'web.hcl',
        5,
        'EnvoyExtensions[0].Arguments.Config.CommonConfig.BufferSizeBytes',
        `${ext}'Config.CommonConfig.BufferSizeBytes' cannot parse value as 'uint32': -1.000000 overflows uint`,
      ),
    ]);
    expect(run.stderr).not.toContain('EnvoyExtensions[1]');
  });
});

describe('validate: ext-authz StatusOnError and the wasm remote URI', () => {
  it("refuses a status code Envoy lacks and a URI Go's url.Parse refuses", async () => {
    const run = await validate({ 'config-entries/web.hcl': VALUES });
    expectLines(run, [
      at(
        'web.hcl',
        5,
        'EnvoyExtensions[0].Arguments.Config.StatusOnError',
        'invalid EnvoyExtensions[0][builtin/ext-authz]: failed to validate Config.StatusOnError:status code 499 is not supported by Envoy, please refer to the Envoy documentation for supported status codes',
      ),
      at(
        'web.hcl',
        6,
        'EnvoyExtensions[1].Arguments.PluginConfig.VmConfig.Code.Remote.HttpURI.URI',
        'invalid EnvoyExtensions[1][builtin/wasm]: invalid HttpURI.URI: parse "https://files host/plugin.wasm": invalid character " " in host name',
      ),
    ]);
  });
});

describe("validate: property-override's dry run of each patch on an empty Envoy resource", () => {
  it('names a Path Envoy lacks, a repeated field walked into, a missing Value and Values the target field cannot take', async () => {
    const run = await validate({ 'config-entries/proxy.hcl': PATCHES });
    const ext = 'invalid EnvoyExtensions[0][builtin/property-override]: ';
    expectLines(run, [
      at('proxy.hcl', 6, 'EnvoyExtensions[0].Arguments.Patches[0].Value', `${ext}invalid Patches[0]: unsupported target field type 'google.protobuf.Duration'`),
      at(
        'proxy.hcl',
        6,
        'EnvoyExtensions[0].Arguments.Patches[1].Path',
        `${ext}invalid Patches[1]: no match for field 'keepalive_probe'! available envoy.config.core.v3.TcpKeepalive fields: keepalive_probes, keepalive_time, keepalive_interval`,
      ),
      at(
        'proxy.hcl',
        6,
        'EnvoyExtensions[0].Arguments.Patches[2].Path',
        `${ext}invalid Patches[2]: path contains member of repeated field 'health_checks'; repeated field member access is not supported`,
      ),
      at(
        'proxy.hcl',
        6,
        'EnvoyExtensions[0].Arguments.Patches[3].Value',
        `${ext}invalid Patches[3]: non-nil Value is required; use an empty map to reset all fields on a message or the 'remove' op to unset fields`,
      ),
      at(
        'proxy.hcl',
        6,
        'EnvoyExtensions[0].Arguments.Patches[4].Value',
        `${ext}invalid Patches[4]: patch value type string could not be applied to target field type 'google.protobuf.BoolValue'`,
      ),
    ]);
  });
});

describe('plan, apply and the dev server', () => {
  let consul: DevServer;
  beforeEach(async () => {
    consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await consul.close();
  });

  const put = (body: object) => fetch(`${consul.url}/v1/config`, { method: 'PUT', body: JSON.stringify(body) });

  it('plan refuses each of them with the same file, line, field and text', async () => {
    const run = await runAgainst(
      consul.url,
      planCommand,
      [],
      tempTree({
        'config-entries/web.hcl': VALUES,
        'config-entries/proxy.hcl': PATCHES,
        'config-entries/api.hcl': WRONG_TYPES.replace('Name = "web"', 'Name = "api"'),
      }),
    );
    expectLines(run, [
      /api\.hcl:5:\d+: EnvoyExtensions\[0\]\.Arguments\.Script: .*'Script' expected type 'string', got unconvertible type 'float64'$/,
      /web\.hcl:5:\d+: EnvoyExtensions\[0\]\.Arguments\.Config\.StatusOnError: .*status code 499 is not supported by Envoy/,
      /web\.hcl:6:\d+: EnvoyExtensions\[1\]\.Arguments\.PluginConfig\.VmConfig\.Code\.Remote\.HttpURI\.URI: .*invalid HttpURI\.URI: parse /,
      /proxy\.hcl:6:\d+: EnvoyExtensions\[0\]\.Arguments\.Patches\[1\]\.Path: .*no match for field 'keepalive_probe'!/,
    ]);
  });

  it('apply refuses the tree before any write', async () => {
    const run = await runCli(['apply', '--auto-approve', '--consul', consul.url], tempTree({ 'config-entries/web.hcl': WRONG_TYPES }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("'Script' expected type 'string', got unconvertible type 'float64'");
    expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(404);
  });

  it("answers a PUT with Consul's whole text: the joined decode errors, the status code, the URI, the field list", async () => {
    const lua = await put({ Kind: 'service-defaults', Name: 'web', EnvoyExtensions: [{ Name: 'builtin/lua', Arguments: { Script: 42, Listener: true } }] });
    expect(lua.status).toBe(500);
    expect(await lua.text()).toBe(
      "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/lua]: error decoding extension arguments: decoding failed due to the following error(s):\n\n'Listener' expected type 'string', got unconvertible type 'bool'\n'Script' expected type 'string', got unconvertible type 'float64'\n\n",
    );
    const authz = await put({
      Kind: 'service-defaults',
      Name: 'web',
      EnvoyExtensions: [{ Name: 'builtin/ext-authz', Arguments: { Config: { StatusOnError: 499, GrpcService: { Target: { URI: 'localhost:9191' } } } } }],
    });
    expect(await authz.text()).toBe(
      '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/ext-authz]: 1 error occurred:\n\t* failed to validate Config.StatusOnError:status code 499 is not supported by Envoy, please refer to the Envoy documentation for supported status codes\n\n\n\n',
    );
    const override = await put({
      Kind: 'proxy-defaults',
      Name: 'global',
      EnvoyExtensions: [
        {
          Name: 'builtin/property-override',
          Arguments: {
            Patches: [
              { ResourceFilter: { ResourceType: 'cluster-load-assignment', TrafficDirection: 'outbound' }, Op: 'add', Path: '/cluster_nam', Value: 'x' },
            ],
          },
        },
      ],
    });
    expect(await override.text()).toBe(
      "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: 1 error occurred:\n\t* invalid Patches[0]: no match for field 'cluster_nam'!\navailable envoy.config.endpoint.v3.ClusterLoadAssignment fields:\ncluster_name\nendpoints\nnamed_endpoints\npolicy\n\n\n\n\n",
    );
    expect((await fetch(`${consul.url}/v1/config/service-defaults/web`)).status).toBe(404);
  });
});
