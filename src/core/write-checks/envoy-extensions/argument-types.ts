// The Go structs the built-in extensions decode EnvoyExtensions[].Arguments into, and how each
// Constructor decodes and wraps the error (./mapstructure.ts), read from agent/envoyextensions/builtin:
// lua/lua.go (type lua), aws-lambda/aws_lambda.go (type awsLambda), ext-authz/ext_authz.go and
// structs.go (extAuthz, extAuthzConfig, the newest version with FailureModeAllow, AllowedHeaders and the
// service Timeouts), wasm/structs.go (wasmConfig, newWasmConfig) with wasm.go fromArguments, and
// property-override/property_override.go (propertyOverride, Patch, ResourceFilter, ServiceName with its
// squashed api.CompoundServiceName; WeakDecode), and otel-access-logging/otel_access_logging.go with
// structs.go (otelAccessLogging, AccessLog, CommonConfig: the version with ListenerType, whose
// `*time.Duration` fields are decoded without a hook, so only a number of nanoseconds is taken).
import type { GoError } from '../go-error.ts';
import { any, bool, compoundServiceName, decodeError, int, map, ptr, slice, str, struct, uint, type GoType } from './mapstructure.ts';

/** extensioncommon.BasicExtensionAdapter, embedded without `squash`: a field of its own name, with no fields. */
const adapter = struct({});
const serviceKind = str('api.ServiceKind');

const LUA: Record<string, GoType> = { BasicExtensionAdapter: adapter, ProxyType: str(), Listener: str(), Script: str() };

const AWS_LAMBDA: Record<string, GoType> = { ARN: str(), PayloadPassthrough: bool, InvocationMode: str() };

const headerValue = ptr(struct({ Key: str(), Value: str() }));
const stringMatchers = slice(ptr(struct({ Contains: str(), Exact: str(), IgnoreCase: bool, Prefix: str(), SafeRegex: str(), Suffix: str() })));
const authzTarget = ptr(struct({ Service: compoundServiceName, URI: str(), Timeout: str() }));

const EXT_AUTHZ: Record<string, GoType> = {
  BasicExtensionAdapter: adapter,
  ProxyType: serviceKind,
  // ext_cmn.InsertOptions: its field types are not modelled.
  InsertOptions: struct({ Location: any, FilterName: any }),
  ListenerType: str(),
  Config: struct({
    BootstrapMetadataLabelsKey: str(),
    ClearRouteCache: ptr(bool),
    GrpcService: ptr(struct({ Target: authzTarget, Authority: str(), InitialMetadata: slice(headerValue), Timeout: str() })),
    HttpService: ptr(
      struct({
        Target: authzTarget,
        PathPrefix: str(),
        AuthorizationRequest: ptr(struct({ AllowedHeaders: stringMatchers, HeadersToAdd: slice(headerValue) })),
        AuthorizationResponse: ptr(
          struct({
            AllowedUpstreamHeaders: stringMatchers,
            AllowedUpstreamHeadersToAppend: stringMatchers,
            AllowedClientHeaders: stringMatchers,
            AllowedClientHeadersOnSuccess: stringMatchers,
            DynamicMetadataFromHeaders: stringMatchers,
          }),
        ),
        Timeout: str(),
      }),
    ),
    IncludePeerCertificate: ptr(bool),
    MetadataContextNamespaces: slice(str()),
    StatusOnError: ptr(int()),
    StatPrefix: str(),
    WithRequestBody: ptr(struct({ MaxRequestBytes: ptr(int('int64')), AllowPartialMessage: ptr(bool), PackAsBytes: ptr(bool) })),
    FailureModeAllow: ptr(bool),
    AllowedHeaders: stringMatchers,
    DisallowedHeaders: stringMatchers,
  }),
};

const WASM: Record<string, GoType> = {
  Protocol: str(),
  ProxyType: serviceKind,
  ListenerType: str(),
  PluginConfig: struct({
    Name: str(),
    RootID: str(),
    VmConfig: struct({
      VmID: str(),
      Runtime: str(),
      Code: struct({
        Local: struct({ Filename: str() }),
        Remote: struct({
          HttpURI: struct({ Service: compoundServiceName, URI: str(), Timeout: str() }),
          SHA256: str(),
          RetryPolicy: struct({ RetryBackOff: struct({ BaseInterval: str(), MaxInterval: str() }), NumRetries: int() }),
        }),
      }),
      Configuration: str(),
      EnvironmentVariables: struct({ HostEnvKeys: slice(str()), KeyValues: map(str()) }),
    }),
    Configuration: str(),
    CapabilityRestrictionConfiguration: struct({ AllowedCapabilities: map(any) }),
  }),
};

const PROPERTY_OVERRIDE: Record<string, GoType> = {
  BasicExtensionAdapter: adapter,
  Patches: slice(
    struct({
      ResourceFilter: struct({
        ResourceType: str('propertyoverride.ResourceType'),
        TrafficDirection: str('extensioncommon.TrafficDirection'),
        Services: slice(ptr(compoundServiceName)),
      }),
      Op: str('propertyoverride.Op'),
      Path: str(),
      Value: any,
    }),
  ),
  Debug: bool,
  ProxyType: serviceKind,
};

const duration = ptr(int('time.Duration'));
const OTEL_ACCESS_LOGGING: Record<string, GoType> = {
  BasicExtensionAdapter: adapter,
  ProxyType: serviceKind,
  InsertOptions: struct({ Location: any, FilterName: any }),
  ListenerType: str(),
  Config: struct({
    CommonConfig: ptr(
      struct({
        LogName: str(),
        GrpcService: ptr(struct({ Target: authzTarget, Authority: str(), InitialMetadata: slice(headerValue) })),
        BufferFlushInterval: duration,
        BufferSizeBytes: uint('uint32'),
        FilterStateObjectsToLog: slice(str()),
        RetryPolicy: ptr(struct({ RetryBackOff: ptr(struct({ BaseInterval: duration, MaxInterval: duration })), NumRetries: uint('uint32') })),
      }),
    ),
    Body: any,
    Attributes: map(any),
    ResourceAttributes: map(any),
  }),
};

const ARGUMENTS = 'error decoding extension arguments: ';

/** Per extension name: the Constructor's decode error for these Arguments, or undefined. */
export const ARGUMENT_DECODERS: Readonly<Record<string, (args: unknown, at: string) => GoError | undefined>> = {
  // mapstructure.Decode, then fmt.Errorf("error decoding extension arguments: %v", err).
  'builtin/lua': (args, at) => decodeError(args, LUA, at, false, ARGUMENTS),
  'builtin/aws/lambda': (args, at) => decodeError(args, AWS_LAMBDA, at, false, ARGUMENTS),
  // newWasmConfig's mapstructure.Decode, wrapped "error decoding extension arguments: %w".
  'builtin/wasm': (args, at) => decodeError(args, WASM, at, false, ARGUMENTS),
  // mapstructure.Decode, the error returned as it is.
  'builtin/ext-authz': (args, at) => decodeError(args, EXT_AUTHZ, at, false),
  'builtin/otel-access-logging': (args, at) => decodeError(args, OTEL_ACCESS_LOGGING, at, false),
  // WeakDecode (the newest: a decoder with HookWeakDecodeFromSlice and WeaklyTypedInput), wrapped as lua's.
  'builtin/property-override': (args, at) => decodeError(args, PROPERTY_OVERRIDE, at, true, ARGUMENTS),
};
