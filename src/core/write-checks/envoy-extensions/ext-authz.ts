// builtin/ext-authz's Constructor (agent/envoyextensions/builtin/ext-authz/ext_authz.go newExtAuthz →
// fromArguments → normalize → validate; structs.go extAuthzConfig.validate, GrpcService/HttpService.validate,
// Target.validate, parseAddr, ListStringMatcher/StringMatcher.validate), which ValidateExtensions calls on
// every write of service-defaults and proxy-defaults. go-multierror flattens a list appended to a list;
// fmt.Errorf("...: %w") keeps it whole. Not ported: StatusOnError (the Envoy StatusCode enum), the
// api-gateway ProxyType (Enterprise only since ext_authz_ce.go; CE's text was not readable).
import { goQuote } from '../../../model/go-quote.ts';
import { append, leaf, wrap, type GoError } from '../go-error.ts';
import { argument, argumentPath, stringArgument } from './arguments.ts';
import { asList, asStruct } from './structs.ts';
import { structField, targetError } from './target.ts';

const MATCHER_FIELDS = ['Contains', 'Exact', 'Prefix', 'SafeRegex', 'Suffix'];

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
  return err;
}
