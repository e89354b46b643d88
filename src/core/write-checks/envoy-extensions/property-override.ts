// builtin/property-override's Constructor (agent/envoyextensions/builtin/property-override/
// property_override.go: Constructor → mapstructure.WeakDecode → propertyOverride.validate, Patch.validate,
// ResourceFilter.validate), which envoyextensions.ValidateExtensions calls on every write of
// service-defaults and proxy-defaults. Not ported: the last step of Patch.validate, PatchStruct, which
// applies the Path to an empty Envoy Cluster/Listener/RouteConfiguration/ClusterLoadAssignment proto
// (it needs Envoy's proto schema); a Path Envoy does not have passes here.
import { goQuote } from '../../../model/go-quote.ts';
import { append, leaf, type GoError } from '../go-error.ts';
import { argument, argumentPath, weakStringArgument } from './arguments.ts';
import { asList, asStruct } from './structs.ts';

/** ResourceTypes, extensioncommon.TrafficDirections, Ops and validProxyTypes, in declaration order. */
const RESOURCE_TYPES = ['cluster', 'cluster-load-assignment', 'route', 'listener'];
const TRAFFIC_DIRECTIONS = ['inbound', 'outbound'];
const OPS = ['add', 'remove'];
const PROXY_TYPES = ['connect-proxy', 'terminating-gateway'];

/**
 * StringSet.CheckRequired (envoyextensions/extensioncommon/resources.go). Consul lists the supported
 * values in Go map order, which changes from run to run; they are listed here in declaration order.
 */
function checkRequired(set: readonly string[], v: string, fieldName: string, field: string): GoError | undefined {
  if (set.includes(v)) return undefined;
  if (v === '') return leaf(field, `field ${fieldName} is required`);
  return leaf(field, `invalid ${fieldName} '${goQuote(v)}'; supported values: ${set.join(', ')}`);
}

/** ResourceFilter.validate: the first problem. Undefined also where a value's type is not ported. */
function resourceFilterError(patch: unknown, at: string): GoError | undefined {
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
  // ServiceName.validate. Only an absent or empty Name is refused: a refusal the real decoder makes whatever it does with the embedded CompoundServiceName.
  for (const [k, s] of serviceList.entries()) {
    const service = asStruct(s);
    const name = service ? weakStringArgument(service, 'Name') : undefined;
    if (name === '') return leaf(`${fat}.${services?.key ?? 'Services'}[${k}]`, 'service name is required');
  }
  return undefined;
}

/** Patch.validate up to PatchStruct. */
function patchError(item: unknown, at: string): GoError | undefined {
  const patch = asStruct(item);
  if (!patch) return undefined;
  const filterError = resourceFilterError(patch, at);
  if (filterError) return filterError;
  const op = weakStringArgument(patch, 'Op');
  if (op === undefined) return undefined;
  const opError = checkRequired(OPS, op, 'Op', argumentPath(at, patch, 'Op'));
  if (opError) return opError;
  const value = argument(patch, 'Value')?.value;
  if (value !== undefined && value !== null && op !== 'add') return leaf(argumentPath(at, patch, 'Value'), `field Value is not supported for ${op} operation`);
  return undefined;
}

/** The Constructor's error for these Arguments, or undefined. `at` is `EnvoyExtensions[i].Arguments`. */
export function propertyOverrideArgumentsError(args: unknown, at: string): GoError | undefined {
  const patches = argument(args, 'Patches');
  const list = asList(patches?.value);
  if (list === undefined) return undefined;
  if (list.length === 0) return leaf(argumentPath(at, args, 'Patches'), 'at least one patch is required');
  let err: GoError | undefined;
  list.forEach((p, k) => {
    err = append(err, patchError(p, `${at}.${patches?.key ?? 'Patches'}[${k}]`));
  });
  // An empty ProxyType is not refused: the readable sources refuse it ("field ProxyType is required"),
  // the extension's documentation gives it the default connect-proxy; the newest Consul was not readable.
  const proxyType = weakStringArgument(args, 'ProxyType');
  if (proxyType !== undefined && proxyType !== '') err = append(err, checkRequired(PROXY_TYPES, proxyType, 'ProxyType', argumentPath(at, args, 'ProxyType')));
  return err;
}
