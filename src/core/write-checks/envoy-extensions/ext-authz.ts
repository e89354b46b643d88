// builtin/ext-authz's Constructor (agent/envoyextensions/builtin/ext-authz/ext_authz.go newExtAuthz →
// fromArguments → normalize → validate; structs.go extAuthzConfig.validate, GrpcService/HttpService.validate,
// Target.validate, parseAddr, ListStringMatcher/StringMatcher.validate), which ValidateExtensions calls on
// every write of service-defaults and proxy-defaults. go-multierror flattens a list appended to a list;
// fmt.Errorf("...: %w") keeps it whole. StatusOnError must be a code of Envoy's StatusCode enum
// (envoy_type_v3.StatusCode_name). Not ported: the api-gateway ProxyType (Enterprise only since
// ext_authz_ce.go; CE's text was not readable).
import { goQuote } from '../../../model/go-quote.ts';
import { append, leaf, wrap, type GoError } from '../go-error.ts';
import { argument, argumentPath, stringArgument } from './arguments.ts';
import { asList, asStruct } from './structs.ts';
import { structField, targetError } from './target.ts';

const MATCHER_FIELDS = ['Contains', 'Exact', 'Prefix', 'SafeRegex', 'Suffix'];

/**
 * The numbers of envoy.type.v3.StatusCode (envoy/type/v3/http_status.proto, data-plane-api 84e84367),
 * the keys of go-control-plane's StatusCode_name; 0 is its `Empty`.
 */
const ENVOY_STATUS_CODES = new Set([
  0, 100, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411,
  412, 413, 414, 415, 416, 417, 421, 422, 423, 424, 426, 428, 429, 431, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** extAuthzConfig.validate's StatusOnError check, on the value mapstructure decoded into a *int. */
function statusOnErrorError(config: Record<string, unknown>, at: string): GoError | undefined {
  const found = argument(config, 'StatusOnError');
  let v = found?.value;
  if (Array.isArray(v) && v.length === 1) v = v[0];
  if (typeof v !== 'number') return undefined;
  // A float64 decoded into an int is truncated; int32(...) keeps the low 32 bits.
  const code = Math.trunc(v);
  if (ENVOY_STATUS_CODES.has(code | 0)) return undefined;
  // No space after the colon: Consul's two string literals meet there.
  return leaf(
    `${at}.${found!.key}`,
    `failed to validate Config.StatusOnError:status code ${code} is not supported by Envoy, please refer to the Envoy documentation for supported status codes`,
  );
}

/** ListStringMatcher.validate: each matcher needs exactly one pattern. Undefined when fine or not ported. */
function matchersError(parent: Record<string, unknown>, field: string, at: string): GoError | undefined {
  const found = argument(parent, field);
  const list = asList(found?.value);
  if (!list) return undefined;
  let err: GoError | undefined;
  list.forEach((m, i) => {
    const matcher = asStruct(m);
    if (!matcher) return;
    const values = MATCHER_FIELDS.map((f) => stringArgument(matcher, f));
    if (values.some((v) => v === undefined)) return;
    if (values.filter((v) => v !== '').length !== 1)
      err = append(
        err,
        wrap(
          `validation failed for matcher at index ${i}: `,
          leaf(`${at}.${found?.key ?? field}[${i}]`, 'exactly one of Contains, Exact, Prefix, SafeRegex or Suffix must be set'),
        ),
      );
  });
  return err;
}

/** AuthorizationResponse.fieldMap's fields; Consul walks the map in Go's random order, here in declaration order. */
const RESPONSE_MATCHERS = [
  'AllowedUpstreamHeaders',
  'AllowedUpstreamHeadersToAppend',
  'AllowedClientHeaders',
  'AllowedClientHeadersOnSuccess',
  'DynamicMetadataFromHeaders',
];

/** GrpcService.validate or HttpService.validate: a multierror, or undefined. */
function serviceError(service: Record<string, unknown>, kind: 'GrpcService' | 'HttpService', at: string): GoError | undefined {
  const target = structField(service, 'Target', at);
  if (target === 'skip') return undefined;
  let err: GoError | undefined;
  if (!target.map) err = append(err, leaf(target.at, `${kind}.Target must be set`));
  else err = append(err, targetError(target.map, target.at));
  if (kind === 'HttpService') {
    const request = structField(service, 'AuthorizationRequest', at);
    if (request !== 'skip' && request.map) {
      const headers = matchersError(request.map, 'AllowedHeaders', request.at);
      if (headers) err = append(err, append(undefined, wrap('validation failed for AuthorizationRequest.AllowedHeaders: ', headers)));
    }
    const response = structField(service, 'AuthorizationResponse', at);
    if (response !== 'skip' && response.map) {
      const map = response.map;
      for (const f of RESPONSE_MATCHERS) {
        const e = matchersError(map, f, response.at);
        if (e) err = append(err, wrap(`validation failed for AuthorizationResponse.${f}: `, e));
      }
    }
  }
  return err;
}

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function extAuthzArgumentsError(args: unknown, at: string): GoError | undefined {
  const proxyType = stringArgument(args, 'ProxyType');
  const listenerType = stringArgument(args, 'ListenerType');
  const config = structField(args, 'Config', at);
  if (proxyType === undefined || listenerType === undefined || config === 'skip') return undefined;
  let err: GoError | undefined;
  // normalize: ProxyType "" is connect-proxy, ListenerType "" is inbound.
  if (proxyType !== '' && proxyType !== 'connect-proxy' && proxyType !== 'api-gateway')
    err = append(err, leaf(argumentPath(at, args, 'ProxyType'), `unsupported ProxyType ${goQuote(proxyType)}, only "connect-proxy" is supported`));
  if (listenerType !== '' && listenerType !== 'inbound' && listenerType !== 'outbound')
    err = append(
      err,
      leaf(argumentPath(at, args, 'ListenerType'), `unexpected ListenerType ${goQuote(listenerType)}, supported values are "inbound" or "outbound"`),
    );
  // extAuthzConfig.validate: its list is appended, so flattened into this one.
  const grpc = structField(config.map, 'GrpcService', config.at);
  const http = structField(config.map, 'HttpService', config.at);
  if (grpc === 'skip' || http === 'skip') return err;
  if (!grpc.map === !http.map) err = append(err, leaf(config.at, 'exactly one of GrpcService or HttpService must be set'));
  const [kind, chosen] = http.map ? (['HttpService', http] as const) : (['GrpcService', grpc] as const);
  const inner = chosen.map ? serviceError(chosen.map, kind, chosen.at) : undefined;
  if (inner) err = append(err, wrap(`failed to validate Config.${kind}: `, inner));
  return config.map ? append(err, statusOnErrorError(config.map, config.at)) : err;
}
