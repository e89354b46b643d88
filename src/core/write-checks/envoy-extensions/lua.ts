// builtin/lua's Constructor (agent/envoyextensions/builtin/lua/lua.go, Constructor → fromArguments →
// validate), which envoyextensions.ValidateExtensions calls when service-defaults or proxy-defaults is
// written: mapstructure.Decode of Arguments into { ProxyType, Listener, Script }, ProxyType "" taken
// as connect-proxy, then a multierror of every problem.
import { goQuote } from '../../../model/go-quote.ts';
import { append, leaf, type GoError } from '../go-error.ts';
import { argumentPath, stringArgument } from './arguments.ts';

/**
 * lua.go's validate accepts only connect-proxy; the current Lua extension page
 * (developer.hashicorp.com/consul/docs/envoy-extension/lua) lists api-gateway too. A ProxyType the
 * newest Consul may accept is never refused here.
 */
const PROXY_TYPES = ['connect-proxy', 'api-gateway'];

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function luaArgumentsError(args: unknown, at: string): GoError | undefined {
  const script = stringArgument(args, 'Script');
  const proxyType = stringArgument(args, 'ProxyType');
  const listener = stringArgument(args, 'Listener');
  // mapstructure.Decode refuses a value of another type with its own text, not ported: say nothing.
  if (script === undefined || proxyType === undefined || listener === undefined) return undefined;
  let err: GoError | undefined;
  if (script === '') err = append(err, leaf(argumentPath(at, args, 'Script'), 'missing Script value'));
  if (proxyType !== '' && !PROXY_TYPES.includes(proxyType))
    err = append(err, leaf(argumentPath(at, args, 'ProxyType'), `unexpected ProxyType ${goQuote(proxyType)}`));
  if (listener !== 'inbound' && listener !== 'outbound')
    err = append(err, leaf(argumentPath(at, args, 'Listener'), `unexpected Listener ${goQuote(listener)}`));
  return err;
}
