// The service target ext-authz and otel-access-logging share, each in its own copy in Consul
// (builtin/ext-authz/structs.go and builtin/otel-access-logging/structs.go: Target.validate, parseAddr),
// with the same texts, and how a nested struct argument is read.
import { goQuote } from '../../../model/go-quote.ts';
import { parseGoDuration } from '../../../decode/duration.ts';
import { append, leaf, type GoError } from '../go-error.ts';
import { argument, argumentPath, stringArgument } from './arguments.ts';
import { asStruct } from './structs.ts';

/** A struct field's map and the path `validate` names it by; undefined map when absent; 'skip' when its type is not ported. */
export function structField(parent: unknown, field: string, at: string): { map: Record<string, unknown> | undefined; at: string } | 'skip' {
  const found = argument(parent, field);
  const path = `${at}.${found?.key ?? field}`;
  if (found === undefined || found.value === undefined || found.value === null) return { map: undefined, at: path };
  const map = asStruct(found.value);
  return map ? { map, at: path } : 'skip';
}

/** time.ParseDuration's error text for a duration it refuses. */
export function durationError(text: string): string | undefined {
  if (parseGoDuration(text) !== undefined) return undefined;
  const unit = /^[-+]?(?:\d+\.?\d*|\.\d+)([^\d.]+)/.exec(text);
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)$/.test(text)) return `time: missing unit in duration ${goQuote(text)}`;
  if (unit && !/^(ns|us|µs|μs|ms|s|m|h)/.test(unit[1])) return `time: unknown unit ${goQuote(unit[1].replace(/[\d.].*$/, ''))} in duration ${goQuote(text)}`;
  return `time: invalid duration ${goQuote(text)}`;
}

/** parseAddr: host and port of `host:port`, an optional `proto://` stripped; undefined when it is not that. */
function parseAddr(uri: string): string | undefined {
  const cut = uri.indexOf('://');
  const s = cut >= 0 ? uri.slice(cut + 3) : uri;
  const idx = s.lastIndexOf(':');
  if (idx === -1 || idx === s.length - 1) return undefined;
  // strconv.Atoi: an optional sign, then decimal digits only.
  if (!/^[+-]?\d+$/.test(s.slice(idx + 1))) return undefined;
  return idx === 0 ? 'localhost' : s.slice(0, idx);
}

/** Target.validate: a multierror, or undefined. */
export function targetError(target: Record<string, unknown>, at: string): GoError | undefined {
  const uri = stringArgument(target, 'URI');
  const timeout = stringArgument(target, 'Timeout');
  const service = structField(target, 'Service', at);
  if (uri === undefined || timeout === undefined || service === 'skip') return undefined;
  const name = service.map ? stringArgument(service.map, 'Name') : '';
  if (name === undefined) return undefined;
  let err: GoError | undefined;
  if ((uri !== '') === (name !== '')) err = append(err, leaf(at, 'exactly one of Target.Service or Target.URI must be set'));
  if (uri !== '') {
    const host = parseAddr(uri);
    const uriAt = argumentPath(at, target, 'URI');
    if (host === undefined) err = append(err, leaf(uriAt, `invalid format for Target.URI ${goQuote(uri)}: expected host:port`));
    else if (!['localhost', '127.0.0.1', '::1'].includes(host))
      err = append(err, leaf(uriAt, `invalid host for Target.URI ${goQuote(uri)}: expected "localhost", "127.0.0.1", or "::1"`));
  }
  const bad = timeout === '' ? undefined : durationError(timeout);
  if (bad) err = append(err, leaf(argumentPath(at, target, 'Timeout'), `failed to parse Target.Timeout ${goQuote(timeout)} as a duration: ${bad}`));
  return err;
}
