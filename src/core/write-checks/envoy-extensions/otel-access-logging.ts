// builtin/otel-access-logging's Constructor (agent/envoyextensions/builtin/otel-access-logging/
// otel_access_logging.go fromArguments → normalize → validate; structs.go AccessLog/CommonConfig.normalize,
// GrpcService.validate, Target.validate), which ValidateExtensions calls on every write of service-defaults
// and proxy-defaults. normalize's errors ("missing CommonConfig", "missing GrpcService") come back
// alone, before validate's multierror. mapstructure.Decode's own errors (a BufferFlushInterval written
// "5s": its `*time.Duration` is decoded without a duration hook) come first (./argument-types.ts).
import { goQuote } from '../../../model/go-quote.ts';
import { append, leaf, wrap, type GoError } from '../go-error.ts';
import { argumentPath, stringArgument } from './arguments.ts';
import { structField, targetError } from './target.ts';

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function otelAccessLoggingArgumentsError(args: unknown, at: string): GoError | undefined {
  const proxyType = stringArgument(args, 'ProxyType');
  const listenerType = stringArgument(args, 'ListenerType');
  const config = structField(args, 'Config', at);
  if (proxyType === undefined || listenerType === undefined || config === 'skip') return undefined;
  const common = structField(config.map, 'CommonConfig', config.at);
  if (common === 'skip') return undefined;
  if (!common.map) return leaf(common.at, 'missing CommonConfig');
  const grpc = structField(common.map, 'GrpcService', common.at);
  if (grpc === 'skip') return undefined;
  if (!grpc.map) return leaf(grpc.at, 'missing GrpcService');
  let err: GoError | undefined;
  // normalize: ProxyType "" is connect-proxy, ListenerType "" is inbound.
  if (proxyType !== '' && proxyType !== 'connect-proxy')
    err = append(err, leaf(argumentPath(at, args, 'ProxyType'), `unsupported ProxyType ${goQuote(proxyType)}, only "connect-proxy" is supported`));
  if (listenerType !== '' && listenerType !== 'inbound' && listenerType !== 'outbound')
    err = append(err, leaf(argumentPath(at, args, 'ListenerType'), `unexpected Listener ${goQuote(listenerType)}`));
  // CommonConfig.validate → GrpcService.validate, wrapped; the list it sits in is flattened into this one.
  const target = structField(grpc.map, 'Target', grpc.at);
  if (target === 'skip') return err;
  const inner = target.map ? targetError(target.map, target.at) : append(undefined, leaf(target.at, 'GrpcService.Target must be set'));
  if (inner) err = append(err, wrap('failed to validate Config.GrpcService: ', inner));
  return err;
}
