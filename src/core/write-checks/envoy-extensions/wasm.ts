// builtin/wasm's Constructor (agent/envoyextensions/builtin/wasm/wasm.go construct → fromArguments;
// structs.go newWasmConfig → normalize → wasmConfig.validate), which ValidateExtensions calls on every
// write of service-defaults and proxy-defaults: a multierror of every problem, in validate's order.
// normalize: ProxyType "" is connect-proxy and Runtime "" is v8; Protocol and ListenerType have no default.
// HttpURI.URI goes through Go's url.Parse (../go-url.ts parseURLError).
import { goQuote } from '../../../model/go-quote.ts';
import { parseGoDuration } from '../../../decode/duration.ts';
import { append, leaf, type GoError } from '../go-error.ts';
import { parseURLError } from '../go-url.ts';
import { argument, argumentPath, stringArgument } from './arguments.ts';
import { durationError, structField } from './target.ts';

/** wasm.go supportedRuntimes. */
const RUNTIMES = ['v8', 'wamr', 'wavm', 'wasmtime'];

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function wasmArgumentsError(args: unknown, at: string): GoError | undefined {
  const protocol = stringArgument(args, 'Protocol');
  const proxyType = stringArgument(args, 'ProxyType');
  const listenerType = stringArgument(args, 'ListenerType');
  const plugin = structField(args, 'PluginConfig', at);
  if (protocol === undefined || proxyType === undefined || listenerType === undefined || plugin === 'skip') return undefined;
  const vm = structField(plugin.map, 'VmConfig', plugin.at);
  if (vm === 'skip') return undefined;
  const runtime = stringArgument(vm.map, 'Runtime');
  const code = structField(vm.map, 'Code', vm.at);
  if (runtime === undefined || code === 'skip') return undefined;
  const local = structField(code.map, 'Local', code.at);
  const remote = structField(code.map, 'Remote', code.at);
  if (local === 'skip' || remote === 'skip') return undefined;
  const httpURI = structField(remote.map, 'HttpURI', remote.at);
  const retry = structField(remote.map, 'RetryPolicy', remote.at);
  if (httpURI === 'skip' || retry === 'skip') return undefined;
  const service = structField(httpURI.map, 'Service', httpURI.at);
  const backoff = structField(retry.map, 'RetryBackOff', retry.at);
  if (service === 'skip' || backoff === 'skip') return undefined;
  const filename = stringArgument(local.map, 'Filename');
  const serviceName = stringArgument(service.map, 'Name');
  const uri = stringArgument(httpURI.map, 'URI');
  const timeout = stringArgument(httpURI.map, 'Timeout');
  const sha = stringArgument(remote.map, 'SHA256');
  const base = stringArgument(backoff.map, 'BaseInterval');
  const max = stringArgument(backoff.map, 'MaxInterval');
  const retries = argument(retry.map, 'NumRetries')?.value;
  if ([filename, serviceName, uri, timeout, sha, base, max].some((v) => v === undefined)) return undefined;
  if (retries !== undefined && retries !== null && typeof retries !== 'number') return undefined;

  let err: GoError | undefined;
  const add = (field: string, message: string) => (err = append(err, leaf(field, message)));
  if (protocol !== 'tcp' && protocol !== 'http') add(argumentPath(at, args, 'Protocol'), `unsupported Protocol ${goQuote(protocol)}, expected "tcp" or "http"`);
  if (proxyType !== '' && proxyType !== 'connect-proxy')
    add(argumentPath(at, args, 'ProxyType'), `unsupported ProxyType ${goQuote(proxyType)}, only "connect-proxy" is supported`);
  if (listenerType !== 'inbound' && listenerType !== 'outbound')
    add(argumentPath(at, args, 'ListenerType'), `unsupported ListenerType ${goQuote(listenerType)}, expected "inbound" or "outbound"`);
  if (runtime !== '' && !RUNTIMES.includes(runtime)) add(argumentPath(vm.at, vm.map, 'Runtime'), `unsupported runtime ${goQuote(runtime)}`);
  const isLocal = filename !== '';
  const isRemote = serviceName !== '' || uri !== '';
  if (isLocal === isRemote) add(code.at, 'VmConfig.Code must provide exactly one of Local or Remote data source');
  // A local data source ends validation.
  if (isLocal) return err;
  if (serviceName === '' || uri === '') add(httpURI.at, 'both Service and URI are required for Remote data sources');
  if (sha === '') add(argumentPath(remote.at, remote.map, 'SHA256'), 'SHA256 checksum is required for Remote data sources');
  // structs.go validate: `if _, err := url.Parse(httpURI.URI); err != nil` (an empty URI parses).
  const uriError = parseURLError(uri!);
  if (uriError) add(argumentPath(httpURI.at, httpURI.map, 'URI'), `invalid HttpURI.URI: ${uriError}`);
  const timeoutError = timeout ? durationError(timeout) : undefined;
  if (timeoutError)
    add(argumentPath(httpURI.at, httpURI.map, 'Timeout'), `failed to parse HttpURI.Timeout ${goQuote(timeout!)} as a duration: ${timeoutError}`);
  if (typeof retries === 'number' && Math.trunc(retries) < 0)
    add(argumentPath(retry.at, retry.map, 'NumRetries'), 'RetryPolicy.NumRetries must be greater than or equal to 0');
  // time.ParseDuration leaves 0 behind on error, which the comparisons below then see.
  const baseError = base ? durationError(base) : undefined;
  const maxError = max ? durationError(max) : undefined;
  if (baseError) add(argumentPath(backoff.at, backoff.map, 'BaseInterval'), `failed to parse RetryBackOff.BaseInterval ${goQuote(base!)}: ${baseError}`);
  if (maxError) add(argumentPath(backoff.at, backoff.map, 'MaxInterval'), `failed to parse RetryBackOff.MaxInterval ${goQuote(max!)}: ${maxError}`);
  const baseNs = base && !baseError ? (parseGoDuration(base) ?? 0) : 0;
  const maxNs = max && !maxError ? (parseGoDuration(max) ?? 0) : 0;
  if (base && baseNs <= 0)
    add(
      argumentPath(backoff.at, backoff.map, 'BaseInterval'),
      `RetryBackOff.BaseInterval ${goQuote(base)} must be greater than zero and less than or equal to RetryBackOff.MaxInterval ${goQuote(max!)}`,
    );
  if (max && maxNs < baseNs)
    add(
      argumentPath(backoff.at, backoff.map, 'MaxInterval'),
      `RetryBackOff.MaxInterval ${goQuote(max)} must be greater than or equal to RetryBackOff.BaseInterval ${goQuote(base!)}`,
    );
  return err;
}
