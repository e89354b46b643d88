// envoyextensions.ValidateExtensions (agent/envoyextensions/registered-extensions.go), which
// ServiceConfigEntry.Validate and ProxyConfigEntry.Validate run: every extension needs a Name, its
// EnvoyVersion and ConsulVersion must parse as hashicorp/go-version constraints, and the Name must be
// a built-in extension, and that extension's Constructor must accept its Arguments (ConstructExtension).
// Each failing extension is one item of a go-multierror list, in order. Constructors ported: lua,
// property-override, aws/lambda, ext-authz, otel-access-logging and wasm (./envoy-extensions/), each
// after mapstructure's decode of its Arguments (./envoy-extensions/argument-types.ts).
import type { ApiEntry } from '../../model/kind-definition.ts';
import { goQuote } from '../../model/go-quote.ts';
import { ARGUMENT_DECODERS } from './envoy-extensions/argument-types.ts';
import { awsLambdaArgumentsError } from './envoy-extensions/aws-lambda.ts';
import { extAuthzArgumentsError } from './envoy-extensions/ext-authz.ts';
import { luaArgumentsError } from './envoy-extensions/lua.ts';
import { otelAccessLoggingArgumentsError } from './envoy-extensions/otel-access-logging.ts';
import { propertyOverrideArgumentsError } from './envoy-extensions/property-override.ts';
import { wasmArgumentsError } from './envoy-extensions/wasm.ts';
import { append, leaf, wrap, type GoError } from './go-error.ts';

/** extensionConstructors' keys: api.BuiltinOTELAccessLoggingExtension, Lua, AWSLambda, PropertyOverride, Wasm, ExtAuthz. */
const BUILT_IN = new Set([
  'builtin/otel-access-logging',
  'builtin/lua',
  'builtin/aws/lambda',
  'builtin/property-override',
  'builtin/wasm',
  'builtin/ext-authz',
]);

/** Go's `\s` (ASCII white space only, unlike JavaScript's). */
const WS = '[\\t\\n\\f\\r ]*';
/** go-version's VersionRegexpRaw (version.go). */
const VERSION =
  'v?([0-9]+(\\.[0-9]+)*?)' +
  '(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?' +
  '(\\+([0-9A-Za-z\\-~]+(\\.[0-9A-Za-z\\-~]+)*))?' +
  '?';
/** constraint.go's constraintRegexp: an operator of constraintOperators, then a version. */
const CONSTRAINT = new RegExp(`^${WS}(>=|<=|!=|~>|=|>|<|)${WS}(${VERSION})${WS}$`);
const INT64_MAX = 2n ** 63n - 1n;

/** version.NewConstraint's error for `v` (split at commas, parseSingle, NewVersion), or undefined. */
export function goVersionConstraintError(v: string): string | undefined {
  for (const single of v.split(',')) {
    const m = CONSTRAINT.exec(single);
    if (!m) return `Malformed constraint: ${single}`;
    // newVersion: strconv.ParseInt(segment, 10, 64) of each dot-separated segment.
    for (const segment of m[3].split('.'))
      if (BigInt(segment) > INT64_MAX) return `Error parsing version: strconv.ParseInt: parsing ${goQuote(segment)}: value out of range`;
  }
  return undefined;
}

type Extension = { Name?: string; EnvoyVersion?: string; ConsulVersion?: string; Arguments?: unknown };

/** extensionConstructors whose argument checks are ported: the Constructor's error, given `EnvoyExtensions[i].Arguments`. */
const CONSTRUCTOR_CHECKS: Readonly<Record<string, (args: unknown, at: string) => GoError | undefined>> = {
  'builtin/lua': luaArgumentsError,
  'builtin/aws/lambda': awsLambdaArgumentsError,
  'builtin/ext-authz': extAuthzArgumentsError,
  'builtin/otel-access-logging': otelAccessLoggingArgumentsError,
  'builtin/wasm': wasmArgumentsError,
  'builtin/property-override': propertyOverrideArgumentsError,
};

/** ValidateExtensions: a multierror of every failing extension (the first failure of each), or undefined. */
export function envoyExtensionsError(entry: ApiEntry): GoError | undefined {
  const list = (entry.EnvoyExtensions as Extension[] | undefined) ?? [];
  let err: GoError | undefined;
  list.forEach((ext, i) => {
    const at = `EnvoyExtensions[${i}]`;
    const name = ext.Name ?? '';
    if (name === '') {
      err = append(err, leaf(`${at}.Name`, `invalid ${at}: Name is required`));
      return;
    }
    for (const field of ['EnvoyVersion', 'ConsulVersion'] as const) {
      const v = ext[field] ?? '';
      const e = v === '' ? undefined : goVersionConstraintError(v);
      if (e) {
        err = append(err, leaf(`${at}.${field}`, `invalid ${at}.${field}: ${e}`));
        return;
      }
    }
    // ConstructExtension: the name is looked up before any argument is read.
    if (!BUILT_IN.has(name)) {
      err = append(err, leaf(`${at}.Name`, `invalid ${at}[${name}]: name ${goQuote(name)} is not a built-in extension`));
      return;
    }
    // "invalid EnvoyExtensions[%d][%s]: %w" around the Constructor's error (a multierror stays one item):
    // first mapstructure's decode of the Arguments, which returns before any check of their values.
    const args = `${at}.Arguments`;
    const constructed = ARGUMENT_DECODERS[name]?.(ext.Arguments, args) ?? CONSTRUCTOR_CHECKS[name]?.(ext.Arguments, args);
    if (constructed) err = append(err, wrap(`invalid ${at}[${name}]: `, constructed));
  });
  return err;
}
