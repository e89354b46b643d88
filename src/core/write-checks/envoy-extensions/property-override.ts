// builtin/property-override's Constructor (agent/envoyextensions/builtin/property-override/
// property_override.go: Constructor → a WeaklyTypedInput decoder with decode.HookWeakDecodeFromSlice →
// propertyOverride.validate, Patch.validate, ResourceFilter.validate, then PatchStruct's dry run,
// ./patch-struct.ts), which envoyextensions.ValidateExtensions calls on every write of service-defaults
// and proxy-defaults. Ported from the newest version read (BUSL header, commit 0d66da3): each patch's
// error is wrapped "invalid Patches[%d]: ", ResourceFilter.Services needs TrafficDirection outbound,
// an empty ProxyType is connect-proxy and connect-proxy is the only one accepted. Pinned by
// property_override_test.go TestConstructor ("multiple patches includes indexed errors", "non-empty
// services with invalid traffic direction", "invalid ProxyType", "unsupported ProxyType").
import { goQuote } from '../../../model/go-quote.ts';
import { append, leaf, wrap, type GoError } from '../go-error.ts';
import { argument, argumentPath, weakStringArgument } from './arguments.ts';
import { patchStructError } from './patch-struct.ts';
import { asList, asStruct } from './structs.ts';

/** ResourceTypes, extensioncommon.TrafficDirections, Ops and validProxyTypes, in declaration order. */
const RESOURCE_TYPES = ['cluster', 'cluster-load-assignment', 'route', 'listener'];
const TRAFFIC_DIRECTIONS = ['inbound', 'outbound'];
const OPS = ['add', 'remove'];
const PROXY_TYPES = ['connect-proxy'];

/**
 * StringSet.CheckRequired (envoyextensions/extensioncommon/resources.go). Consul lists the supported
 * values in Go map order, which changes from run to run; they are listed here in declaration order.
 */
function checkRequired(set: readonly string[], v: string, fieldName: string, field: string): GoError | undefined {
  if (set.includes(v)) return undefined;
  if (v === '') return leaf(field, `field ${fieldName} is required`);
  return leaf(field, `invalid ${fieldName} '${goQuote(v)}'; supported values: ${set.join(', ')}`);
}

/** The resource type and direction once ResourceFilter.validate passes, else its first problem. */
function resourceFilterError(patch: unknown, at: string): GoError | { resourceType: string } | undefined {
  const found = argument(patch, 'ResourceFilter');
  const filter = found?.value === undefined || found.value === null ? {} : asStruct(found.value);
  const fat = `${at}.${found?.key ?? 'ResourceFilter'}`;
  if (filter === undefined) return undefined;
  const resourceType = weakStringArgument(filter, 'ResourceType');
  const direction = weakStringArgument(filter, 'TrafficDirection');
  const services = argument(filter, 'Services');
  const serviceList = asList(services?.value);
  if (resourceType === undefined || direction === undefined || serviceList === undefined) return undefined;
  // isEmpty: no Services, no TrafficDirection, no ResourceType.
  if (serviceList.length === 0 && direction === '' && resourceType === '') return leaf(fat, 'field ResourceFilter is required');
  const typeError = checkRequired(RESOURCE_TYPES, resourceType, 'ResourceType', argumentPath(fat, filter, 'ResourceType'));
  if (typeError) return typeError;
  const directionError = checkRequired(TRAFFIC_DIRECTIONS, direction, 'TrafficDirection', argumentPath(fat, filter, 'TrafficDirection'));
  if (directionError) return directionError;
  const servicesAt = `${fat}.${services?.key ?? 'Services'}`;
  if (serviceList.length > 0 && direction !== 'outbound')
    return leaf(servicesAt, 'patch contains non-empty ResourceFilter.Services but ResourceFilter.TrafficDirection is not "outbound"');
  // ServiceName.validate (api.CompoundServiceName squashed into it).
  for (const [k, s] of serviceList.entries()) {
    const service = asStruct(s);
    const name = service ? weakStringArgument(service, 'Name') : undefined;
    if (name === '') return leaf(`${servicesAt}[${k}]`, 'service name is required');
  }
  return { resourceType };
}

/** WeakDecode's bool: strconv.ParseBool for strings, non-zero for numbers. */
function weakBool(v: unknown): boolean {
  if (Array.isArray(v) && v.length === 1) return weakBool(v[0]);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return typeof v === 'string' && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

/** Patch.validate: its first problem. */
function patchError(item: unknown, at: string, debug: boolean): GoError | undefined {
  const patch = asStruct(item);
  if (!patch) return undefined;
  const filter = resourceFilterError(patch, at);
  if (filter === undefined || !('resourceType' in filter)) return filter;
  const op = weakStringArgument(patch, 'Op');
  const path = weakStringArgument(patch, 'Path');
  if (op === undefined || path === undefined) return undefined;
  const opError = checkRequired(OPS, op, 'Op', argumentPath(at, patch, 'Op'));
  if (opError) return opError;
  const value = argument(patch, 'Value')?.value;
  if (value !== undefined && value !== null && op !== 'add') return leaf(argumentPath(at, patch, 'Value'), `field Value is not supported for ${op} operation`);
  // "Attempt to execute the patch by applying it to a dummy empty struct."
  const dryRun = patchStructError(filter.resourceType, op, path, value, debug);
  if (!dryRun) return undefined;
  return { leaf: dryRun.text, display: dryRun.line, field: argumentPath(at, patch, dryRun.onPath ? 'Path' : 'Value') };
}

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function propertyOverrideArgumentsError(args: unknown, at: string): GoError | undefined {
  const patches = argument(args, 'Patches');
  const list = asList(patches?.value);
  if (list === undefined) return undefined;
  if (list.length === 0) return leaf(argumentPath(at, args, 'Patches'), 'at least one patch is required');
  const debug = weakBool(argument(args, 'Debug')?.value);
  let err: GoError | undefined;
  list.forEach((p, k) => {
    const e = patchError(p, `${at}.${patches?.key ?? 'Patches'}[${k}]`, debug);
    if (e) err = append(err, wrap(`invalid Patches[${k}]: `, e));
  });
  // An empty ProxyType is connect-proxy.
  const proxyType = weakStringArgument(args, 'ProxyType');
  if (proxyType !== undefined && proxyType !== '') err = append(err, checkRequired(PROXY_TYPES, proxyType, 'ProxyType', argumentPath(at, args, 'ProxyType')));
  return err;
}
