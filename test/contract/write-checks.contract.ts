// Contract cases for the checks Consul makes at write time (issue 11, class 5): discovery-chain
// compile errors (agent/consul/discoverychain/compile.go) and per-kind Validate() texts
// (agent/structs/config_entry*.go). Same runner, same rules as config-api.contract.ts: names are
// prefixed `cgc-`, each case cleans up after itself, and the list runs against a real Consul too.
// The cases follow Consul's own tests of the same checks: TestServiceConfigEntry and TestProxyConfigEntry
// (agent/structs/config_entry_test.go), TestIngressGatewayConfigEntry and TestAPIGateway_Listeners
// (agent/structs/config_entry_gateways_test.go), TestServiceResolverConfigEntry
// (agent/structs/config_entry_discoverychain_test.go), TestJWTProviderConfigEntry_ValidateAndNormalize
// (agent/structs/config_entry_jwt_provider_test.go), TestInlineCertificate
// (agent/structs/config_entry_inline_certificate_test.go), TestValidateExtensions
// (agent/envoyextensions/registered_extensions_test.go) and the property-override extension's
// TestConstructor (agent/envoyextensions/builtin/property-override/property_override_test.go).
import { expect } from 'vitest';
import { TEST_CERT, TEST_CERT_NO_CN, TEST_KEY, TEST_KEY_NO_CN, TEST_KEY_RSA_1024 } from '../fixtures/certs.ts';
import type { ContractCase, ContractStep } from './config-api.contract.ts';

const JSON_CT = /^application\/json/;
const TEXT_CT = /^text\/plain/;

const ok = (body: object): ContractStep => ({
  method: 'PUT',
  path: '/v1/config',
  body,
  expect: { status: 200, body: 'true', headers: { 'Content-Type': JSON_CT } },
});
const fail500 = (body: object, text: string): ContractStep => ({
  method: 'PUT',
  path: '/v1/config',
  body,
  expect: { status: 500, body: text, headers: { 'Content-Type': TEXT_CT } },
});
const del = (path: string, status = 200, body = '{}'): ContractStep => ({ method: 'DELETE', path, expect: { status, body } });
/** A write that breaks several chains: Consul compiles them in Go map order, so any one may be named. */
const failOneOf = (body: object, texts: string[]): ContractStep => ({
  method: 'PUT',
  path: '/v1/config',
  body,
  expect: { status: 500, body: (res) => expect(texts).toContain(res.text), headers: { 'Content-Type': TEXT_CT } },
});
const sd = (name: string, extra: object = {}) => ({ Kind: 'service-defaults', Name: name, ...extra });
const resolver = (name: string, extra: object = {}) => ({ Kind: 'service-resolver', Name: name, ...extra });

/** May write service-defaults of cgc-code only: service:write without mesh:write. */
const SERVICE_WRITER = {
  secret: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9c11',
  accessorId: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9cb1',
  rules: { service: { 'cgc-code': 'write' as const } },
};
/** May register cgc-hatch and its sidecar: service:write without mesh:write. */
const SIDECAR_WRITER = {
  secret: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9c12',
  accessorId: 'c9c1d0a4-5b1e-4c1e-9a51-0000000c9cb2',
  rules: { service: { 'cgc-hatch': 'write' as const, 'cgc-hatch-sidecar-proxy': 'write' as const } },
};
const LUA = { Name: 'builtin/lua', Arguments: { Listener: 'inbound', Script: 'function envoy_on_request(h) end' } };

export const WRITE_CHECK_CASES: ContractCase[] = [
  {
    name: 'discovery chain: a split or route to a subset the resolver does not define is refused, and so is removing a used subset',
    kinds: ['service-resolver', 'service-splitter', 'service-router'],
    cleanup: [
      '/v1/config/service-defaults/cgc-sub',
      '/v1/config/service-resolver/cgc-sub',
      '/v1/config/service-splitter/cgc-sub',
      '/v1/config/service-router/cgc-sub',
    ],
    steps: [
      ok(sd('cgc-sub', { Protocol: 'http' })),
      fail500(
        { Kind: 'service-splitter', Name: 'cgc-sub', Splits: [{ Weight: 100, ServiceSubset: 'v1' }] },
        'service "cgc-sub" does not have a subset named "v1"',
      ),
      ok(resolver('cgc-sub', { Subsets: { v1: { Filter: 'Service.Meta.version == v1' } } })),
      ok({ Kind: 'service-splitter', Name: 'cgc-sub', Splits: [{ Weight: 100, ServiceSubset: 'v1' }] }),
      fail500(resolver('cgc-sub', { Subsets: { v2: { Filter: 'Service.Meta.version == v2' } } }), 'service "cgc-sub" does not have a subset named "v1"'),
      fail500(
        { Kind: 'service-router', Name: 'cgc-sub', Routes: [{ Match: { HTTP: { PathPrefix: '/v2' } }, Destination: { ServiceSubset: 'v2' } }] },
        'service "cgc-sub" does not have a subset named "v2"',
      ),
      del('/v1/config/service-splitter/cgc-sub'),
      del('/v1/config/service-resolver/cgc-sub'),
    ],
  },
  {
    name: 'discovery chain: every service a chain reaches must share its protocol',
    kinds: ['service-splitter'],
    cleanup: ['/v1/config/service-splitter/cgc-pa', '/v1/config/service-defaults/cgc-pa', '/v1/config/service-defaults/cgc-pb'],
    steps: [
      ok(sd('cgc-pa', { Protocol: 'http' })),
      ok(sd('cgc-pb', { Protocol: 'grpc' })),
      fail500(
        { Kind: 'service-splitter', Name: 'cgc-pa', Splits: [{ Weight: 50 }, { Weight: 50, Service: 'cgc-pb' }] },
        'discovery chain "cgc-pa" uses inconsistent protocols; service "cgc-pb" has "grpc" which is not "http"',
      ),
      ok(sd('cgc-pb', { Protocol: 'http' })),
      ok({ Kind: 'service-splitter', Name: 'cgc-pa', Splits: [{ Weight: 50 }, { Weight: 50, Service: 'cgc-pb' }] }),
      // The chain of cgc-pa links cgc-pb: changing cgc-pb's protocol breaks it.
      fail500(sd('cgc-pb', { Protocol: 'tcp' }), 'discovery chain "cgc-pa" uses inconsistent protocols; service "cgc-pb" has "tcp" which is not "http"'),
      del('/v1/config/service-splitter/cgc-pa'),
    ],
  },
  {
    name: 'discovery chain: resolver redirect loops and splitter loops are refused',
    kinds: ['service-resolver', 'service-splitter'],
    cleanup: [
      '/v1/config/service-resolver/cgc-ra',
      '/v1/config/service-resolver/cgc-rb',
      '/v1/config/service-splitter/cgc-sa',
      '/v1/config/service-splitter/cgc-sb',
      '/v1/config/service-defaults/cgc-sa',
      '/v1/config/service-defaults/cgc-sb',
    ],
    steps: [
      ok(resolver('cgc-ra', { Redirect: { Service: 'cgc-rb' } })),
      failOneOf(resolver('cgc-rb', { Redirect: { Service: 'cgc-ra' } }), [
        'detected circular resolver redirect: [cgc-rb.default.default.dc1 -> cgc-ra.default.default.dc1 -> cgc-rb.default.default.dc1]',
        'detected circular resolver redirect: [cgc-ra.default.default.dc1 -> cgc-rb.default.default.dc1 -> cgc-ra.default.default.dc1]',
      ]),
      ok(sd('cgc-sa', { Protocol: 'http' })),
      ok(sd('cgc-sb', { Protocol: 'http' })),
      ok({ Kind: 'service-splitter', Name: 'cgc-sa', Splits: [{ Weight: 50 }, { Weight: 50, Service: 'cgc-sb' }] }),
      failOneOf({ Kind: 'service-splitter', Name: 'cgc-sb', Splits: [{ Weight: 50 }, { Weight: 50, Service: 'cgc-sa' }] }, [
        'detected circular reference: [splitter:cgc-sb.default.default -> splitter:cgc-sa.default.default -> splitter:cgc-sb.default.default]',
        'detected circular reference: [splitter:cgc-sa.default.default -> splitter:cgc-sb.default.default -> splitter:cgc-sa.default.default]',
      ]),
      del('/v1/config/service-splitter/cgc-sa'),
      del('/v1/config/service-resolver/cgc-ra'),
    ],
  },
  {
    name: 'service-defaults Validate: upstream names, health-check and limit bounds, balance values, destination addresses, in multierror text',
    steps: [
      fail500(
        sd('cgc-u', { UpstreamConfig: { Overrides: [{ Name: '*' }] } }),
        '1 error occurred:\n\t* error in upstream override for *: Wildcard name is not supported\n\n',
      ),
      fail500(sd('cgc-u', { UpstreamConfig: { Defaults: { Name: 'api' } } }), '1 error occurred:\n\t* error in upstream defaults: Name must be empty\n\n'),
      fail500(
        sd('cgc-u', {
          UpstreamConfig: {
            Overrides: [{ Name: 'api', PassiveHealthCheck: { Interval: '-1s' }, Limits: { MaxConnections: -1 }, BalanceOutboundConnections: 'round' }],
            Defaults: { PassiveHealthCheck: { MaxEjectionPercent: 101 } },
          },
        }),
        '2 errors occurred:\n\t* error in upstream override for api: 3 errors occurred:\n\t* passive health check interval cannot be negative\n\t* max connections cannot be negative\n\t* invalid value for balance_outbound_connections: round\n\n\n\t* error in upstream defaults: 1 error occurred:\n\t* passive health check max_ejection_percent must be a percentage between 0 and 100\n\n\n\n',
      ),
      fail500(
        sd('cgc-u', { UpstreamConfig: { Defaults: { PassiveHealthCheck: { EnforcingConsecutive5xx: 101 } } } }),
        '1 error occurred:\n\t* error in upstream defaults: 1 error occurred:\n\t* passive health check enforcing_consecutive_5xx must be a percentage between 0 and 100\n\n\n\n',
      ),
      fail500(
        sd('cgc-u', { Destination: { Addresses: ['*.example.com', 'ok.example.com', 'a..b'], Port: 443 } }),
        "2 errors occurred:\n\t* Destination address '*.example.com' is invalid Could not validate address *.example.com as an IP or Hostname\n\t* Destination address 'a..b' is invalid Could not validate address a..b as an IP or Hostname\n\n",
      ),
      // Both set: Consul returns at once, so the bad destination and the bad mode go unmentioned.
      fail500(
        sd('cgc-u', { UpstreamConfig: { Defaults: { ConnectTimeoutMs: 1000 } }, Destination: { Addresses: ['*'] }, MutualTLSMode: 'bogus' }),
        '1 error occurred:\n\t* UpstreamConfig and Destination are mutually exclusive for service defaults\n\n',
      ),
      ok(sd('cgc-u', { Destination: { Addresses: ['10.0.0.1', 'api.example.com'], Port: 443 } })),
      del('/v1/config/service-defaults/cgc-u'),
    ],
    cleanup: ['/v1/config/service-defaults/cgc-u'],
  },
  {
    // ServiceConfigEntry.Validate's destination block (agent/structs/config_entry.go): every problem
    // is one item of the multierror, a duplicate address skips its own address check.
    name: 'service-defaults Validate: a destination needs an address, each once, and a port in 1-65535',
    steps: [
      fail500(sd('cgc-dst', { Destination: { Port: 443 } }), '1 error occurred:\n\t* Destination must contain at least one valid address\n\n'),
      fail500(
        sd('cgc-dst', { Destination: { Addresses: ['10.0.0.1', '10.0.0.1'], Port: 70000 } }),
        "2 errors occurred:\n\t* Duplicate address '10.0.0.1' is not allowed\n\t* Invalid Port number 70000\n\n",
      ),
    ],
    cleanup: ['/v1/config/service-defaults/cgc-dst'],
  },
  {
    // Consul decodes the body with mapstructure into *UpstreamConfiguration / *DestinationConfig: an
    // empty object is a non-nil pointer, so ServiceConfigEntry.Validate (agent/structs/config_entry.go,
    // `e.UpstreamConfig != nil && e.Destination != nil`) refuses it as it refuses a filled one.
    name: 'service-defaults Validate: an empty UpstreamConfig or Destination object still counts as given',
    steps: [
      fail500(
        sd('cgc-e', { UpstreamConfig: {}, Destination: { Addresses: ['10.0.0.1'], Port: 443 } }),
        '1 error occurred:\n\t* UpstreamConfig and Destination are mutually exclusive for service defaults\n\n',
      ),
      fail500(
        sd('cgc-e', { UpstreamConfig: { Defaults: { ConnectTimeoutMs: 1000 } }, Destination: {} }),
        '1 error occurred:\n\t* UpstreamConfig and Destination are mutually exclusive for service defaults\n\n',
      ),
      ok(sd('cgc-e', { UpstreamConfig: {} })),
      del('/v1/config/service-defaults/cgc-e'),
    ],
    cleanup: ['/v1/config/service-defaults/cgc-e'],
  },
  {
    // envoyextensions.ValidateExtensions (agent/envoyextensions/registered-extensions.go), as
    // TestServiceConfigEntry's "validate: missing extension name" / "validate: invalid extension name"
    // cases expect it: service-defaults appends its list to Validate's multierror, proxy-defaults
    // returns it as it is.
    name: 'EnvoyExtensions: a name is required, versions are go-version constraints, only built-in extensions',
    kinds: ['service-defaults', 'proxy-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-ext', '/v1/config/proxy-defaults/global'],
    steps: [
      fail500(sd('cgc-ext', { EnvoyExtensions: [{ Name: '' }] }), '1 error occurred:\n\t* invalid EnvoyExtensions[0]: Name is required\n\n'),
      fail500(
        sd('cgc-ext', { EnvoyExtensions: [{ Name: 'builtin/lua', ConsulVersion: '>= one' }, { Name: 'not-a-builtin' }], BalanceInboundConnections: 'x' }),
        '3 errors occurred:\n\t* invalid value for balance_inbound_connections: x\n\t* invalid EnvoyExtensions[0].ConsulVersion: Malformed constraint: >= one\n\t* invalid EnvoyExtensions[1][not-a-builtin]: name "not-a-builtin" is not a built-in extension\n\n',
      ),
      fail500(
        sd('cgc-ext', { EnvoyExtensions: [{ Name: 'builtin/aws/lambda', EnvoyVersion: '>= 1.27, < 1.x' }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0].EnvoyVersion: Malformed constraint:  < 1.x\n\n',
      ),
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', EnvoyExtensions: [{ Name: 'builtin/proxy/validate' }], FailoverPolicy: { Mode: 'bad' } },
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/proxy/validate]: name "builtin/proxy/validate" is not a built-in extension\n\n',
      ),
      ok(sd('cgc-ext', { EnvoyExtensions: [{ Name: 'builtin/aws/lambda', ConsulVersion: '>= 1.15, < 3', Arguments: { ARN: 'some-arn' } }] })),
      del('/v1/config/service-defaults/cgc-ext'),
    ],
  },
  {
    // ValidateExtensions → ConstructExtension → each built-in's Constructor (agent/envoyextensions/
    // builtin/lua/lua.go validate; builtin/property-override/property_override.go validate):
    // TestValidateExtensions "invalid arguments to constructor" and the extensions' own Constructor tests.
    // StringSet.CheckRequired lists the supported values in Go map order, so either order is Consul's.
    name: "EnvoyExtensions: each built-in's Constructor checks its Arguments (lua, property-override)",
    kinds: ['service-defaults', 'proxy-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-extargs', '/v1/config/proxy-defaults/global'],
    steps: [
      fail500(
        sd('cgc-extargs', { EnvoyExtensions: [{ Name: 'builtin/lua' }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/lua]: 2 errors occurred:\n\t* missing Script value\n\t* unexpected Listener ""\n\n\n\n',
      ),
      fail500(
        sd('cgc-extargs', { EnvoyExtensions: [{ Name: 'builtin/lua', Arguments: { ProxyType: 'mesh-gateway', Listener: 'inbound', Script: 'x' } }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/lua]: 1 error occurred:\n\t* unexpected ProxyType "mesh-gateway"\n\n\n\n',
      ),
      ok(sd('cgc-extargs', { EnvoyExtensions: [{ Name: 'builtin/lua', Arguments: { Listener: 'inbound', Script: 'function envoy_on_request(h) end' } }] })),
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', EnvoyExtensions: [{ Name: 'builtin/property-override', Arguments: { ProxyType: 'connect-proxy' } }] },
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: at least one patch is required\n\n',
      ),
      fail500(
        {
          Kind: 'proxy-defaults',
          Name: 'global',
          EnvoyExtensions: [
            {
              Name: 'builtin/property-override',
              Arguments: {
                ProxyType: 'connect-proxy',
                Patches: [
                  { ResourceFilter: {}, Op: 'add', Path: '/x', Value: 1 },
                  { ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' }, Op: 'remove', Path: '/outlier_detection', Value: 1 },
                ],
              },
            },
          ],
        },
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: 2 errors occurred:\n\t* invalid Patches[0]: field ResourceFilter is required\n\t* invalid Patches[1]: field Value is not supported for remove operation\n\n\n\n',
      ),
      // validProxyTypes holds connect-proxy alone, so the list has one value.
      fail500(
        {
          Kind: 'proxy-defaults',
          Name: 'global',
          EnvoyExtensions: [
            {
              Name: 'builtin/property-override',
              Arguments: {
                ProxyType: 'mesh-gateway',
                Patches: [
                  {
                    ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' },
                    Op: 'add',
                    Path: '/per_connection_buffer_limit_bytes',
                    Value: 1024,
                  },
                ],
              },
            },
          ],
        },
        `1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: 1 error occurred:\n\t* invalid ProxyType '"mesh-gateway"'; supported values: connect-proxy\n\n\n\n`,
      ),
      ok({
        Kind: 'proxy-defaults',
        Name: 'global',
        EnvoyExtensions: [
          {
            Name: 'builtin/property-override',
            Arguments: {
              ProxyType: 'connect-proxy',
              // A google.protobuf.UInt32Value takes a JSON number (structpatcher.go toProtoIntWrapperValue).
              Patches: [
                {
                  ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' },
                  Op: 'add',
                  Path: '/per_connection_buffer_limit_bytes',
                  Value: 1024,
                },
              ],
            },
          },
        ],
      }),
      del('/v1/config/proxy-defaults/global'),
      del('/v1/config/service-defaults/cgc-extargs'),
    ],
  },
  {
    // ValidateExtensions → ConstructExtension: builtin/aws/lambda (aws_lambda.go validate: ARN required)
    // and builtin/ext-authz (ext_authz.go validate, structs.go extAuthzConfig/Target.validate).
    name: 'EnvoyExtensions: aws/lambda needs an ARN; ext-authz and otel-access-logging need one local or upstream target; wasm one code source',
    kinds: ['service-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-extauthz'],
    steps: [
      fail500(
        sd('cgc-extauthz', { EnvoyExtensions: [{ Name: 'builtin/aws/lambda', Arguments: { PayloadPassthrough: true } }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/aws/lambda]: 1 error occurred:\n\t* ARN is required\n\n\n\n',
      ),
      fail500(
        sd('cgc-extauthz', { EnvoyExtensions: [{ Name: 'builtin/ext-authz' }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/ext-authz]: 1 error occurred:\n\t* exactly one of GrpcService or HttpService must be set\n\n\n\n',
      ),
      fail500(
        sd('cgc-extauthz', {
          EnvoyExtensions: [
            { Name: 'builtin/ext-authz', Arguments: { ListenerType: 'both', Config: { GrpcService: { Target: { URI: 'example.com:9191' } } } } },
          ],
        }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/ext-authz]: 2 errors occurred:\n\t* unexpected ListenerType "both", supported values are "inbound" or "outbound"\n\t* failed to validate Config.GrpcService: 1 error occurred:\n\t* invalid host for Target.URI "example.com:9191": expected "localhost", "127.0.0.1", or "::1"\n\n\n\n\n\n',
      ),
      // builtin/otel-access-logging (otel_access_logging.go): normalize's error returns alone, then validate's list.
      fail500(
        sd('cgc-extauthz', { EnvoyExtensions: [{ Name: 'builtin/otel-access-logging', Arguments: { ProxyType: 'api-gateway' } }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/otel-access-logging]: missing CommonConfig\n\n',
      ),
      fail500(
        sd('cgc-extauthz', {
          EnvoyExtensions: [
            {
              Name: 'builtin/otel-access-logging',
              Arguments: { ListenerType: 'both', Config: { CommonConfig: { GrpcService: { Target: { URI: 'collector:4317' } } } } },
            },
          ],
        }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/otel-access-logging]: 2 errors occurred:\n\t* unexpected Listener "both"\n\t* failed to validate Config.GrpcService: 1 error occurred:\n\t* invalid host for Target.URI "collector:4317": expected "localhost", "127.0.0.1", or "::1"\n\n\n\n\n\n',
      ),
      // builtin/wasm (wasm.go construct; structs.go wasmConfig.validate): Protocol and ListenerType have no default.
      fail500(
        sd('cgc-extauthz', { EnvoyExtensions: [{ Name: 'builtin/wasm' }] }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/wasm]: 5 errors occurred:\n\t* unsupported Protocol "", expected "tcp" or "http"\n\t* unsupported ListenerType "", expected "inbound" or "outbound"\n\t* VmConfig.Code must provide exactly one of Local or Remote data source\n\t* both Service and URI are required for Remote data sources\n\t* SHA256 checksum is required for Remote data sources\n\n\n\n',
      ),
      ok(
        sd('cgc-extauthz', {
          EnvoyExtensions: [
            {
              Name: 'builtin/wasm',
              Arguments: { Protocol: 'http', ListenerType: 'inbound', PluginConfig: { VmConfig: { Code: { Local: { Filename: '/plugins/auth.wasm' } } } } },
            },
          ],
        }),
      ),
      ok(
        sd('cgc-extauthz', { EnvoyExtensions: [{ Name: 'builtin/ext-authz', Arguments: { Config: { GrpcService: { Target: { URI: '127.0.0.1:9191' } } } } }] }),
      ),
      del('/v1/config/service-defaults/cgc-extauthz'),
    ],
  },
  {
    // Arguments decoded with go-viper/mapstructure v2 (vendored since hashicorp/consul#22581): lua.go and
    // wasm.go wrap the joined DecodeErrors "error decoding extension arguments: ", ext_authz.go returns them
    // as they are; ext-authz structs.go extAuthzConfig.validate (StatusOnError must be an Envoy
    // StatusCode); wasm structs.go wasmConfig.validate (url.Parse of HttpURI.URI); property-override
    // structpatcher.go PatchStruct (TestConstructor "patch with invalid Envoy resource Path": "no match
    // for field"; a ClusterLoadAssignment, whose four fields have not changed across Envoy releases).
    name: 'EnvoyExtensions: Arguments of the wrong Go type, ext-authz StatusOnError, the wasm remote URI, property-override Paths Envoy lacks',
    kinds: ['service-defaults', 'proxy-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-extdecode', '/v1/config/proxy-defaults/global'],
    steps: [
      fail500(
        sd('cgc-extdecode', { EnvoyExtensions: [{ Name: 'builtin/lua', Arguments: { Script: 42, Listener: true } }] }),
        "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/lua]: error decoding extension arguments: decoding failed due to the following error(s):\n\n'Listener' expected type 'string', got unconvertible type 'bool'\n'Script' expected type 'string', got unconvertible type 'float64'\n\n",
      ),
      fail500(
        sd('cgc-extdecode', {
          EnvoyExtensions: [{ Name: 'builtin/ext-authz', Arguments: { Config: { StatusOnError: '403', GrpcService: 'localhost:9191' } } }],
        }),
        `1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/ext-authz]: decoding failed due to the following error(s):\n\n'Config.GrpcService' expected a map or struct, got "string"\n'Config.StatusOnError' expected type 'int', got unconvertible type 'string'\n\n`,
      ),
      // otel-access-logging's *time.Duration is decoded without a duration hook: "5s" is refused, nanoseconds are taken.
      fail500(
        sd('cgc-extdecode', {
          EnvoyExtensions: [
            {
              Name: 'builtin/otel-access-logging',
              Arguments: { Config: { CommonConfig: { BufferFlushInterval: '5s', GrpcService: { Target: { URI: 'localhost:4317' } } } } },
            },
          ],
        }),
        "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/otel-access-logging]: decoding failed due to the following error(s):\n\n'Config.CommonConfig.BufferFlushInterval' expected type 'time.Duration', got unconvertible type 'string'\n\n",
      ),
      ok(
        sd('cgc-extdecode', {
          EnvoyExtensions: [
            {
              Name: 'builtin/otel-access-logging',
              Arguments: { Config: { CommonConfig: { BufferFlushInterval: 5000000000, GrpcService: { Target: { URI: 'localhost:4317' } } } } },
            },
          ],
        }),
      ),
      fail500(
        sd('cgc-extdecode', {
          EnvoyExtensions: [{ Name: 'builtin/ext-authz', Arguments: { Config: { StatusOnError: 499, GrpcService: { Target: { URI: 'localhost:9191' } } } } }],
        }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/ext-authz]: 1 error occurred:\n\t* failed to validate Config.StatusOnError:status code 499 is not supported by Envoy, please refer to the Envoy documentation for supported status codes\n\n\n\n',
      ),
      ok(
        sd('cgc-extdecode', {
          EnvoyExtensions: [{ Name: 'builtin/ext-authz', Arguments: { Config: { StatusOnError: 503, GrpcService: { Target: { URI: 'localhost:9191' } } } } }],
        }),
      ),
      fail500(
        sd('cgc-extdecode', {
          EnvoyExtensions: [
            {
              Name: 'builtin/wasm',
              Arguments: {
                Protocol: 'http',
                ListenerType: 'inbound',
                PluginConfig: {
                  VmConfig: { Code: { Remote: { SHA256: '5b2a', HttpURI: { Service: { Name: 'files' }, URI: 'https://files host/plugin.wasm' } } } },
                },
              },
            },
          ],
        }),
        '1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/wasm]: 1 error occurred:\n\t* invalid HttpURI.URI: parse "https://files host/plugin.wasm": invalid character " " in host name\n\n\n\n',
      ),
      fail500(
        {
          Kind: 'proxy-defaults',
          Name: 'global',
          EnvoyExtensions: [
            {
              Name: 'builtin/property-override',
              Arguments: {
                Patches: [
                  { ResourceFilter: { ResourceType: 'cluster-load-assignment', TrafficDirection: 'outbound' }, Op: 'add', Path: '/cluster_nam', Value: 'x' },
                  { ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' }, Op: 'remove', Path: '/health_checks/timeout' },
                ],
              },
            },
          ],
        },
        "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: 2 errors occurred:\n\t* invalid Patches[0]: no match for field 'cluster_nam'!\navailable envoy.config.endpoint.v3.ClusterLoadAssignment fields:\ncluster_name\nendpoints\nnamed_endpoints\npolicy\n\n\t* invalid Patches[1]: path contains member of repeated field 'health_checks'; repeated field member access is not supported\n\n\n\n",
      ),
      fail500(
        {
          Kind: 'proxy-defaults',
          Name: 'global',
          EnvoyExtensions: [
            {
              Name: 'builtin/property-override',
              Arguments: {
                Patches: [{ ResourceFilter: { ResourceType: 'cluster', TrafficDirection: 'outbound' }, Op: 'add', Path: '/connect_timeout', Value: '5s' }],
              },
            },
          ],
        },
        "1 error occurred:\n\t* invalid EnvoyExtensions[0][builtin/property-override]: 1 error occurred:\n\t* invalid Patches[0]: unsupported target field type 'google.protobuf.Duration'\n\n\n\n",
      ),
      del('/v1/config/service-defaults/cgc-extdecode'),
    ],
  },
  {
    // AccessLogsConfig.Validate (agent/structs/connect_proxy_config.go), which ProxyConfigEntry.Validate
    // runs first and returns as it is.
    name: 'proxy-defaults Validate: access logs take a path only when they go to a file',
    cleanup: ['/v1/config/proxy-defaults/global'],
    steps: [
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, Type: 'stdout', Path: '/var/log/envoy.log' } },
        'path is only valid for file type access logs',
      ),
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, Type: 'file' } },
        'path must be specified when using file type access logs',
      ),
      ok({ Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, Type: 'file', Path: '/var/log/envoy.log' } }),
      del('/v1/config/proxy-defaults/global'),
    ],
  },
  {
    // AccessLogsConfig.Validate's last check: json.Unmarshal of JSONFormat into a json.RawMessage,
    // wrapped with %w. TestProxyConfigEntry "proxy config has invalid access log JSON format".
    name: 'proxy-defaults Validate: access log JSONFormat must be one JSON value',
    cleanup: ['/v1/config/proxy-defaults/global'],
    steps: [
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, JSONFormat: '{"start_time": "[%START_TIME%]"' } },
        'invalid access log json for JSON format: unexpected end of JSON input',
      ),
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, JSONFormat: '{"start_time": "[%START_TIME%]"} x' } },
        "invalid access log json for JSON format: invalid character 'x' after top-level value",
      ),
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, JSONFormat: "{'start_time': 1}" } },
        "invalid access log json for JSON format: invalid character '\\'' looking for beginning of object key string",
      ),
      ok({ Kind: 'proxy-defaults', Name: 'global', AccessLogs: { Enabled: true, JSONFormat: ' "%START_TIME%" ' } }),
      del('/v1/config/proxy-defaults/global'),
    ],
  },
  {
    name: 'proxy-defaults Validate: socket-dir length, FailoverPolicy mode, PrioritizeByLocality (Enterprise) before MutualTLSMode',
    cleanup: ['/v1/config/proxy-defaults/global'],
    steps: [
      fail500(
        {
          Kind: 'proxy-defaults',
          Name: 'global',
          Config: { envoy_hcp_metrics_bind_socket_dir: '/Consul/is/a/networking/platform/that/enables/securing/your/networking/' },
        },
        'Config: envoy_hcp_metrics_bind_socket_dir length 71 exceeds max 70',
      ),
      fail500(
        { Kind: 'proxy-defaults', Name: 'global', FailoverPolicy: { Mode: 'bad' }, MutualTLSMode: 'bad' },
        "Failover-policy mode must be one of '', 'sequential', or 'order-by-locality'",
      ),
      fail500({ Kind: 'proxy-defaults', Name: 'global', PrioritizeByLocality: { Mode: 'failover' } }, 'Prioritize-by-locality requires Consul Enterprise '),
      ok({
        Kind: 'proxy-defaults',
        Name: 'global',
        FailoverPolicy: { Mode: 'order-by-locality' },
        Config: { envoy_hcp_metrics_bind_socket_dir: '/tmp/consul/hcp' },
      }),
      del('/v1/config/proxy-defaults/global'),
    ],
  },
  {
    name: 'ingress-gateway Validate: TLS versions and ciphers, SDS, header modifiers on tcp, DNS-valid hosts',
    kinds: ['ingress-gateway'],
    cleanup: ['/v1/config/ingress-gateway/cgc-ig'],
    steps: [
      fail500(
        { Kind: 'ingress-gateway', Name: 'cgc-ig', TLS: { TLSMinVersion: 'TLSv9' } },
        'no matching TLS version found for TLSv9, please specify one of [TLS_AUTO, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3]',
      ),
      fail500(
        { Kind: 'ingress-gateway', Name: 'cgc-ig', TLS: { TLSMinVersion: 'TLSv1_2', TLSMaxVersion: 'TLSv1_1' } },
        'configuring max version TLSv1_1 less than the configured min version TLSv1_2 is invalid',
      ),
      fail500(
        { Kind: 'ingress-gateway', Name: 'cgc-ig', TLS: { TLSMinVersion: 'TLSv1_3', CipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } },
        'configuring CipherSuites is only applicable to connections negotiated with TLS 1.2 or earlier, TLSMinVersion is set to TLSv1_3',
      ),
      fail500(
        {
          Kind: 'ingress-gateway',
          Name: 'cgc-ig',
          Listeners: [
            {
              Port: 8080,
              Protocol: 'http',
              TLS: { CipherSuites: ['TLS_FOO', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_BAR'] },
              Services: [{ Name: 'web' }],
            },
          ],
        },
        'no matching Envoy TLS cipher suite found for TLS_FOO,TLS_BAR',
      ),
      fail500(
        {
          Kind: 'ingress-gateway',
          Name: 'cgc-ig',
          Listeners: [{ Port: 8080, Protocol: 'http', TLS: { SDS: { ClusterName: 'sds' } }, Services: [{ Name: 'web' }] }],
        },
        'TLS.SDS.CertResource is required if ClusterName is set for listener (listener on port 8080)',
      ),
      fail500(
        {
          Kind: 'ingress-gateway',
          Name: 'cgc-ig',
          Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web', TLS: { SDS: { ClusterName: 'sds', CertResource: 'web-cert' } } }] }],
        },
        'A service specifying TLS.SDS.CertResource must have at least one item in Hosts (service "web" on listener on port 8080)',
      ),
      fail500(
        {
          Kind: 'ingress-gateway',
          Name: 'cgc-ig',
          Listeners: [{ Port: 9000, Protocol: 'tcp', Services: [{ Name: 'db', RequestHeaders: { Set: { 'x-a': 'b' } } }] }],
        },
        'request headers only valid for http, http2 and grpc protocols (service "db" on listener on port 9000)',
      ),
      fail500(
        { Kind: 'ingress-gateway', Name: 'cgc-ig', Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web', Hosts: ['web..example.com'] }] }] },
        'Host "web..example.com" must be a valid DNS hostname',
      ),
      ok({
        Kind: 'ingress-gateway',
        Name: 'cgc-ig',
        TLS: { Enabled: true, TLSMinVersion: 'TLSv1_2', CipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
        Listeners: [{ Port: 8080, Protocol: 'http', Services: [{ Name: 'web', Hosts: ['*.example.com'], ResponseHeaders: { Remove: ['server'] } }] }],
      }),
      del('/v1/config/ingress-gateway/cgc-ig'),
    ],
  },
  {
    name: 'api-gateway and mesh Validate: TLS versions and ciphers, certificate kinds of the newest Consul',
    kinds: ['api-gateway'],
    cleanup: ['/v1/config/api-gateway/cgc-ag', '/v1/config/mesh/mesh'],
    steps: [
      fail500(
        {
          Kind: 'api-gateway',
          Name: 'cgc-ag',
          Listeners: [{ Name: 'l1', Port: 8443, Protocol: 'http', TLS: { MinVersion: 'TLSv1_3', MaxVersion: 'TLSv1_2' } }],
        },
        'configuring max version TLSv1_2 less than the configured min version TLSv1_3 is invalid',
      ),
      fail500(
        {
          Kind: 'api-gateway',
          Name: 'cgc-ag',
          Listeners: [{ Name: 'l1', Port: 8443, Protocol: 'http', TLS: { Certificates: [{ Kind: 'secret', Name: 'c' }] } }],
        },
        `unsupported certificate kind: "secret", must be 'file-system-certificate' or 'inline-certificate'`,
      ),
      fail500(
        { Kind: 'mesh', TLS: { Incoming: { TLSMinVersion: 'tls12' } } },
        'error in incoming TLS configuration: no matching TLS version found for tls12, please specify one of [TLS_AUTO, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3]',
      ),
      fail500(
        { Kind: 'mesh', TLS: { Outgoing: { TLSMinVersion: 'TLSv1_3', CipherSuites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] } } },
        'error in outgoing TLS configuration: configuring CipherSuites is only applicable to connections negotiated with TLS 1.2 or earlier, TLSMinVersion is set to TLSv1_3',
      ),
      ok({ Kind: 'mesh', TLS: { Incoming: { TLSMinVersion: 'TLSv1_2', TLSMaxVersion: 'TLSv1_3' } } }),
      del('/v1/config/mesh/mesh'),
    ],
  },
  {
    // agent/structs/config_entry_gateways.go and config_entry_routes.go at hashicorp/consul 5c48b0b,
    // config_entry.go (PassiveHealthCheck.Validate, UpstreamLimits.Validate) at 03658a0: 2026 sources.
    name: 'api-gateway and route Validate of the newest Consul: gateway TLS versions, Defaults, route-service Limits, the 2.0 passive-health-check bounds',
    kinds: ['api-gateway', 'http-route', 'tcp-route'],
    cleanup: ['/v1/config/api-gateway/cgc-agn', '/v1/config/http-route/cgc-hrn', '/v1/config/tcp-route/cgc-trn', '/v1/config/service-defaults/cgc-phc'],
    steps: [
      fail500(
        { Kind: 'api-gateway', Name: 'cgc-agn', TLS: { TLSMinVersion: 'TLSv1_9' }, Listeners: [{ Name: 'l1', Port: 8443, Protocol: 'http' }] },
        'no matching TLS version found for TLSv1_9, please specify one of [TLS_AUTO, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3]',
      ),
      fail500(
        { Kind: 'api-gateway', Name: 'cgc-agn', Defaults: { MaxConnections: -1 }, Listeners: [{ Name: 'l1', Port: 8443, Protocol: 'http' }] },
        'max connections cannot be negative',
      ),
      fail500(
        {
          Kind: 'api-gateway',
          Name: 'cgc-agn',
          Defaults: { PassiveHealthCheck: { EnforcingConsecutiveGatewayFailure: 101 } },
          Listeners: [{ Name: 'l1', Port: 8443, Protocol: 'http' }],
        },
        'passive health check enforcing_consecutive_gateway_failure must be a percentage between 0 and 100',
      ),
      ok({
        Kind: 'api-gateway',
        Name: 'cgc-agn',
        TLS: { SDS: { ClusterName: 'sds' } },
        Listeners: [{ Name: 'l1', Port: 8443, Protocol: 'http', TLS: { SDS: { CertResource: 'c' } } }],
      }),
      fail500(
        {
          Kind: 'http-route',
          Name: 'cgc-hrn',
          Parents: [{ Kind: 'api-gateway', Name: 'cgc-agn' }],
          Rules: [{ Services: [{ Name: 'web', Limits: { MaxPendingRequests: -2 } }] }],
        },
        'Rule[0], Service[0], max pending requests cannot be negative',
      ),
      fail500(
        {
          Kind: 'tcp-route',
          Name: 'cgc-trn',
          Parents: [{ Kind: 'api-gateway', Name: 'cgc-agn' }],
          Services: [{ Name: 'db', Limits: { PassiveHealthCheck: { MaxEjectionPercent: 101 } } }],
        },
        'Service[0], passive health check max_ejection_percent must be a percentage between 0 and 100',
      ),
      fail500(
        sd('cgc-phc', { UpstreamConfig: { Overrides: [{ Name: 'db', Limits: { PassiveHealthCheck: { EnforcingConsecutiveGatewayFailure: 200 } } }] } }),
        '1 error occurred:\n\t* error in upstream override for db: 1 error occurred:\n\t* passive health check enforcing_consecutive_gateway_failure must be a percentage between 0 and 100\n\n\n\n',
      ),
      del('/v1/config/api-gateway/cgc-agn'),
    ],
  },
  {
    name: 'service-resolver subset Filter is parsed as a bexpr expression',
    kinds: ['service-resolver'],
    cleanup: ['/v1/config/service-resolver/cgc-flt'],
    steps: [
      {
        method: 'PUT',
        path: '/v1/config',
        body: resolver('cgc-flt', { Subsets: { v1: { Filter: 'Service.Meta.version ==' } } }),
        expect: { status: 500, body: (res) => expect(res.text).toMatch(/^Filter for subset "v1" is not a valid expression: 1:\d+ \(\d+\): no match found/) },
      },
      ok(resolver('cgc-flt', { Subsets: { v1: { Filter: 'Service.Meta.version == v1 and "canary" not in Service.Tags' } } })),
      del('/v1/config/service-resolver/cgc-flt'),
    ],
  },
  {
    name: 'jwt-provider remote JWKS URI must parse as a request URI',
    kinds: ['jwt-provider'],
    cleanup: ['/v1/config/jwt-provider/cgc-jwt'],
    steps: [
      fail500(
        { Kind: 'jwt-provider', Name: 'cgc-jwt', JSONWebKeySet: { Remote: { URI: 'jibberishUrl' } } },
        'Remote JWKS URI is invalid: parse "jibberishUrl": invalid URI for request, uri: jibberishUrl',
      ),
      fail500(
        { Kind: 'jwt-provider', Name: 'cgc-jwt', JSONWebKeySet: { Remote: { URI: 'https://idp.example.com:port/jwks' } } },
        'Remote JWKS URI is invalid: parse "https://idp.example.com:port/jwks": invalid port ":port" after host, uri: https://idp.example.com:port/jwks',
      ),
      ok({ Kind: 'jwt-provider', Name: 'cgc-jwt', JSONWebKeySet: { Remote: { URI: 'https://idp.example.com/.well-known/jwks.json' } } }),
      del('/v1/config/jwt-provider/cgc-jwt'),
    ],
  },
  {
    // agent/consul/state/config_entry.go validateProposedConfigEntryInGraph → validateJWTProvidersExist:
    // an intention naming a provider Consul does not hold is refused with a multierror (stop 22).
    name: 'service-intentions naming a jwt-provider Consul does not hold is refused, and accepted once it exists',
    kinds: ['service-intentions', 'jwt-provider'],
    cleanup: ['/v1/config/service-intentions/cgc-jwt-user', '/v1/config/jwt-provider/cgc-jwt-idp'],
    steps: [
      fail500(
        { Kind: 'service-intentions', Name: 'cgc-jwt-user', JWT: { Providers: [{ Name: 'cgc-jwt-idp' }] }, Sources: [{ Name: 'web', Action: 'allow' }] },
        '1 error occurred:\n\t* Referenced JWT Provider does not exist. Provider Name: cgc-jwt-idp\n\n',
      ),
      ok({ Kind: 'jwt-provider', Name: 'cgc-jwt-idp', JSONWebKeySet: { Remote: { URI: 'https://idp.example.com/.well-known/jwks.json' } } }),
      ok({ Kind: 'service-intentions', Name: 'cgc-jwt-user', JWT: { Providers: [{ Name: 'cgc-jwt-idp' }] }, Sources: [{ Name: 'web', Action: 'allow' }] }),
      del('/v1/config/service-intentions/cgc-jwt-user'),
      del('/v1/config/jwt-provider/cgc-jwt-idp'),
    ],
  },
  {
    name: 'inline-certificate: x509 parsing, RSA key length, key/certificate match, DNS-valid hosts',
    kinds: ['inline-certificate'],
    cleanup: ['/v1/config/inline-certificate/cgc-cert'],
    steps: [
      fail500({ Kind: 'inline-certificate', Name: 'cgc-cert', Certificate: TEST_CERT, PrivateKey: TEST_KEY_RSA_1024 }, 'key length must be at least 2048 bits'),
      fail500(
        { Kind: 'inline-certificate', Name: 'cgc-cert', Certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', PrivateKey: TEST_KEY },
        'failed to parse certificate: x509: malformed certificate',
      ),
      fail500(
        { Kind: 'inline-certificate', Name: 'cgc-cert', Certificate: TEST_CERT, PrivateKey: TEST_KEY_NO_CN },
        'tls: private key does not match public key',
      ),
      fail500(
        { Kind: 'inline-certificate', Name: 'cgc-cert', Certificate: TEST_CERT_NO_CN, PrivateKey: TEST_KEY_NO_CN },
        'host "" must be a valid DNS hostname',
      ),
      ok({ Kind: 'inline-certificate', Name: 'cgc-cert', Certificate: TEST_CERT, PrivateKey: TEST_KEY }),
      del('/v1/config/inline-certificate/cgc-cert'),
    ],
  },
  {
    // agent/structs/config_entry.go (hashicorp/consul 03658a0): PassiveHealthCheck's counters and
    // percentages are *uint32 and BaseEjectionTime *time.Duration, UpstreamLimits' three *int, so
    // encoding/json answers an explicit 0 (omitempty drops only a nil pointer), while MaxFailures and
    // Interval are plain values whose 0 is omitted. Validate's bounds apply only to a set pointer:
    // Consecutive5xx = 0 is refused, unset is not (TestServiceConfigEntry's passive-health-check cases).
    name: 'service-defaults: Go pointer fields keep an explicit zero; their bounds apply only when set',
    kinds: ['service-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-ptr'],
    steps: [
      ok(
        sd('cgc-ptr', {
          UpstreamConfig: {
            Defaults: {
              Limits: { MaxConnections: 0 },
              PassiveHealthCheck: { Interval: 0, MaxFailures: 0, EnforcingConsecutive5xx: 0, MaxEjectionPercent: 0, BaseEjectionTime: 0 },
            },
          },
        }),
      ),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-ptr',
        expect: {
          status: 200,
          body: (res) => {
            const defaults = (res.json as { UpstreamConfig: { Defaults: Record<string, unknown> } }).UpstreamConfig.Defaults;
            expect(defaults.Limits).toEqual({ MaxConnections: 0 });
            expect(defaults.PassiveHealthCheck).toEqual({ EnforcingConsecutive5xx: 0, MaxEjectionPercent: 0, BaseEjectionTime: 0 });
          },
        },
      },
      fail500(
        sd('cgc-ptr', { UpstreamConfig: { Defaults: { PassiveHealthCheck: { Consecutive5xx: 0 } } } }),
        '1 error occurred:\n\t* error in upstream defaults: 1 error occurred:\n\t* passive health check consecutive_5xx must be greater than 0\n\n\n\n',
      ),
      ok(sd('cgc-ptr', { UpstreamConfig: { Defaults: { PassiveHealthCheck: { Consecutive5xx: 1 } } } })),
      del('/v1/config/service-defaults/cgc-ptr'),
    ],
  },
  {
    // agent/structs/config_entry.go ServiceConfigEntry.CanWrite at hashicorp/consul 03658a0: builtin/lua,
    // builtin/wasm and upstream envoy_listener_json / envoy_cluster_json need mesh:write besides
    // service:write, and the denial is wrapped in CanWrite's text (agent/http.go answers 403: the text
    // holds "Permission denied"). Newest source, release not known.
    name: 'ACL: service-defaults with code-executing extensions or escape hatches needs mesh:write too',
    needsAcl: true,
    aclTokens: [SERVICE_WRITER],
    kinds: ['service-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-code'],
    steps: [
      { ...ok(sd('cgc-code', { Protocol: 'http' })), headers: { 'X-Consul-Token': SERVICE_WRITER.secret } },
      ...[{ EnvoyExtensions: [LUA] }, { UpstreamConfig: { Overrides: [{ Name: 'db', EnvoyClusterJSON: '{}' }] } }].map((extra): ContractStep => ({
        method: 'PUT',
        path: '/v1/config',
        body: sd('cgc-code', { Protocol: 'http', ...extra }),
        headers: { 'X-Consul-Token': SERVICE_WRITER.secret },
        expect: {
          status: 403,
          body:
            'mesh:write required to attach code-executing EnvoyExtensions or upstream escape-hatch overrides (envoy_listener_json, envoy_cluster_json): ' +
            `Permission denied: token with AccessorID '${SERVICE_WRITER.accessorId}' lacks permission 'mesh:write'`,
        },
      })),
      // The all-powerful token of the run has mesh:write.
      { ...ok(sd('cgc-code', { Protocol: 'http', EnvoyExtensions: [LUA] })), headers: (_v, t) => ({ 'X-Consul-Token': t.aclToken! }) },
      { ...del('/v1/config/service-defaults/cgc-code'), headers: (_v, t) => ({ 'X-Consul-Token': t.aclToken! }) },
    ],
  },
  {
    // agent/structs/config_entry_discoverychain.go (LoadBalancer.RingHashConfig, ServiceSplit.RequestHeaders),
    // config_entry_intentions.go (IntentionPermission.HTTP), config_entry_jwt_provider.go (JWTLocation.Header):
    // pointers to structs, so an empty block is set, stored, and read by Validate.
    name: 'pointers to structs: an empty block is a set pointer, stored and answered, and Validate reads it',
    kinds: ['service-resolver', 'service-splitter', 'service-intentions', 'jwt-provider'],
    cleanup: [
      '/v1/config/service-intentions/cgc-pst',
      '/v1/config/service-splitter/cgc-pst',
      '/v1/config/service-resolver/cgc-pst',
      '/v1/config/service-defaults/cgc-pst',
      '/v1/config/jwt-provider/cgc-pst',
    ],
    steps: [
      ok(resolver('cgc-pst', { LoadBalancer: { Policy: 'ring_hash', RingHashConfig: {} } })),
      {
        method: 'GET',
        path: '/v1/config/service-resolver/cgc-pst',
        expect: {
          status: 200,
          body: (res) => expect((res.json as { LoadBalancer: unknown }).LoadBalancer).toEqual({ Policy: 'ring_hash', RingHashConfig: {} }),
        },
      },
      fail500(
        resolver('cgc-pst', { LoadBalancer: { RingHashConfig: {} } }),
        'Bad LoadBalancer configuration. RingHashConfig specified for incompatible load balancing policy ""',
      ),
      del('/v1/config/service-resolver/cgc-pst'),
      ok(sd('cgc-pst', { Protocol: 'http' })),
      // ServiceSplitterConfigEntry.Validate keys on the whole split: a header-modifier pointer makes it another destination.
      ok({ Kind: 'service-splitter', Name: 'cgc-pst', Splits: [{ Weight: 50 }, { Weight: 50, RequestHeaders: {} }] }),
      fail500(
        { Kind: 'service-intentions', Name: 'cgc-pst', Sources: [{ Name: 'web', Permissions: [{ Action: 'allow', HTTP: {} }] }] },
        'Sources[0].Permissions[0].HTTP should not be empty',
      ),
      fail500(
        { Kind: 'jwt-provider', Name: 'cgc-pst', JSONWebKeySet: { Remote: { URI: 'https://example.com/jwks' } }, Locations: [{ Header: {} }] },
        'JWT location header name must be specified',
      ),
      del('/v1/config/service-splitter/cgc-pst'),
      del('/v1/config/service-defaults/cgc-pst'),
    ],
  },
  {
    // agent/acl.go vetServiceRegisterWithAuthorizer (hashicorp/consul 2026 source): an agent service
    // registration whose Proxy.Config sets a bootstrap escape-hatch key needs mesh:write besides
    // service:write, its denial wrapped; agent/http.go answers 403. Only denied writes: nothing to clean.
    // Newest source, release not known: an older real Consul registers the sidecar (status 200).
    name: 'ACL: an agent sidecar registration with an Envoy escape-hatch key in Proxy.Config needs mesh:write too',
    needsAcl: true,
    aclTokens: [SIDECAR_WRITER],
    steps: [
      {
        method: 'PUT',
        path: '/v1/agent/service/register',
        body: {
          Kind: 'connect-proxy',
          Name: 'cgc-hatch-sidecar-proxy',
          Port: 21000,
          Proxy: { DestinationServiceName: 'cgc-hatch', Config: { envoy_extra_static_listeners_json: '{}' } },
        },
        headers: { 'X-Consul-Token': SIDECAR_WRITER.secret },
        expect: {
          status: 403,
          body:
            'mesh:write required to set bootstrap escape-hatch Proxy.Config key "envoy_extra_static_listeners_json": ' +
            `Permission denied: token with AccessorID '${SIDECAR_WRITER.accessorId}' lacks permission 'mesh:write'`,
        },
      },
    ],
  },
  {
    // agent/structs/config_entry.go DecodeConfigEntry: mapstructure without ZeroFields sets nothing for a
    // nil input, so a pointer block given as null stays nil. CE refuses any set RateLimits
    // (config_entry_ce.go validateRatelimit, `rl != nil`), so its null being accepted shows it unset.
    name: 'null pointer blocks are unset: RateLimits, UpstreamConfig and a PassiveHealthCheck given null are accepted and not answered',
    kinds: ['service-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-null'],
    steps: [
      ok(sd('cgc-null', { RateLimits: null, UpstreamConfig: null, Destination: null, MaxRequestHeadersKB: null })),
      {
        method: 'GET',
        path: '/v1/config/service-defaults/cgc-null',
        expect: {
          status: 200,
          body: (res) => {
            const live = res.json as Record<string, unknown>;
            for (const k of ['RateLimits', 'UpstreamConfig', 'Destination', 'MaxRequestHeadersKB']) expect(live[k], k).toBeUndefined();
          },
        },
      },
      ok(sd('cgc-null', { UpstreamConfig: { Defaults: { PassiveHealthCheck: null, Limits: null } } })),
      del('/v1/config/service-defaults/cgc-null'),
    ],
  },
  {
    // agent/structs/config_entry_mesh.go at hashicorp/consul 03658a0: MeshDirectionalTLSConfig.ECDHCurves
    // and validateECDHCurves (types/tls.go ValidateTLSVersionECDHCurvesCompat, ValidateEnvoyECDHCurves).
    // Newest source, release not known: against an older real Consul the writes fail as invalid config keys.
    name: 'mesh: TLS ECDHCurves are stored, need TLS 1.2 or later, and must be curves Envoy knows',
    kinds: ['mesh'],
    cleanup: ['/v1/config/mesh/mesh'],
    steps: [
      fail500(
        { Kind: 'mesh', TLS: { Incoming: { TLSMinVersion: 'TLSv1_0', ECDHCurves: ['X25519'] } } },
        "error in incoming TLS configuration: ecdh_curves can only be configured when tls_min_version is 'TLSv1_2' or higher, TLSMinVersion is set to TLSv1_0",
      ),
      fail500(
        { Kind: 'mesh', TLS: { Outgoing: { ECDHCurves: ['secp256k1'] } } },
        'error in outgoing TLS configuration: unsupported ecdh_curve "secp256k1"; must be one of [P-256, P-384, P-521, X25519, X25519MLKEM768]',
      ),
      ok({ Kind: 'mesh', TLS: { Incoming: { TLSMinVersion: 'TLSv1_3', ECDHCurves: ['X25519MLKEM768', 'X25519'] } } }),
      {
        method: 'GET',
        path: '/v1/config/mesh/mesh',
        expect: {
          status: 200,
          body: (res) =>
            expect((res.json as { TLS: unknown }).TLS).toEqual({ Incoming: { TLSMinVersion: 'TLSv1_3', ECDHCurves: ['X25519MLKEM768', 'X25519'] } }),
        },
      },
      del('/v1/config/mesh/mesh'),
    ],
  },
  {
    // agent/structs/config_entry_gateways.go at hashicorp/consul 5c48b0b: IngressGatewayConfigEntry.Defaults
    // (*IngressServiceConfig, limits without omitempty), IngressListener.TLS (*GatewayTLSConfig, Enabled
    // without omitempty), IngressService.TLS and GatewayServiceTLSConfig.SDS (omitempty fields): an
    // empty block is a set pointer, stored, and answered in encoding/json's shape.
    name: 'gateway pointers to structs: an empty block is stored and GET answers it in encoding/json’s shape',
    kinds: ['ingress-gateway'],
    cleanup: ['/v1/config/ingress-gateway/cgc-gwp', '/v1/config/service-defaults/cgc-gwp-api'],
    steps: [
      ok(sd('cgc-gwp-api', { Protocol: 'http' })),
      ok({
        Kind: 'ingress-gateway',
        Name: 'cgc-gwp',
        Defaults: {},
        Listeners: [{ Port: 8443, Protocol: 'http', TLS: {}, Services: [{ Name: 'cgc-gwp-api', Hosts: ['api.example.com'], TLS: { SDS: {} } }] }],
      }),
      {
        method: 'GET',
        path: '/v1/config/ingress-gateway/cgc-gwp',
        expect: {
          status: 200,
          body: (res) => {
            const live = res.json as { Defaults: unknown; Listeners: { TLS: unknown; Services: { TLS: unknown }[] }[] };
            expect(live.Defaults).toEqual({ MaxConnections: 0, MaxPendingRequests: 0, MaxConcurrentRequests: 0 });
            expect(live.Listeners[0].TLS).toEqual({ Enabled: false });
            expect(live.Listeners[0].Services[0].TLS).toEqual({ SDS: {} });
          },
        },
      },
      del('/v1/config/ingress-gateway/cgc-gwp'),
      del('/v1/config/service-defaults/cgc-gwp-api'),
    ],
  },
  {
    // agent/structs/config_entry_apigw_jwt_ce.go (`//go:build !consulent`): APIGatewayJWTRequirement and
    // JWTFilter are `struct{}` in CE, so `JWT {}` decodes and a key inside is unused: validateUnusedKeys
    // (config_entry_ce.go) answers 400 `invalid config key "<path>"`. A Consul Enterprise server stores it.
    name: 'api-gateway and http-route: JWT {} is stored, JWT Providers are an invalid config key on CE',
    kinds: ['api-gateway', 'http-route'],
    cleanup: ['/v1/config/http-route/cgc-jwt', '/v1/config/api-gateway/cgc-jwt'],
    steps: [
      ok({ Kind: 'api-gateway', Name: 'cgc-jwt', Listeners: [{ Name: 'l1', Port: 8080, Protocol: 'http', Override: { JWT: {} } }] }),
      {
        method: 'PUT',
        path: '/v1/config',
        body: {
          Kind: 'api-gateway',
          Name: 'cgc-jwt',
          Listeners: [{ Name: 'l1', Port: 8080, Protocol: 'http', Override: { JWT: { Providers: [{ Name: 'okta' }] } } }],
        },
        expect: {
          status: 400,
          body: 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Listeners[0].Override.JWT.Providers"\n\n',
          headers: { 'Content-Type': TEXT_CT },
        },
      },
      ok({ Kind: 'http-route', Name: 'cgc-jwt', Parents: [{ Kind: 'api-gateway', Name: 'cgc-jwt' }], Rules: [{ Filters: { JWT: {} } }] }),
      {
        method: 'PUT',
        path: '/v1/config',
        body: { Kind: 'http-route', Name: 'cgc-jwt', Parents: [{ Kind: 'api-gateway', Name: 'cgc-jwt' }], Rules: [{ Filters: { JWT: { Providers: [] } } }] },
        expect: {
          status: 400,
          body: 'Request decoding failed: 1 error occurred:\n\t* invalid config key "Rules[0].Filters.JWT.Providers"\n\n',
          headers: { 'Content-Type': TEXT_CT },
        },
      },
      del('/v1/config/http-route/cgc-jwt'),
      del('/v1/config/api-gateway/cgc-jwt'),
    ],
  },
  {
    // agent/structs/config_entry.go DecodeConfigEntry: mapstructure's decodeStructFromMap lists a key it
    // matches to no field as unused whatever its value, and validateUnusedKeys refuses it: a null does
    // not hide an unknown key (what a Consul older than a field answers to `"<NewField>": null`).
    name: 'a key no field matches is an invalid config key even when its value is null',
    kinds: ['service-defaults'],
    cleanup: ['/v1/config/service-defaults/cgc-nullkey'],
    steps: [
      {
        method: 'PUT',
        path: '/v1/config',
        body: { Kind: 'service-defaults', Name: 'cgc-nullkey', NoSuchField: null },
        expect: {
          status: 400,
          body: 'Request decoding failed: 1 error occurred:\n\t* invalid config key "NoSuchField"\n\n',
          headers: { 'Content-Type': TEXT_CT },
        },
      },
    ],
  },
];
