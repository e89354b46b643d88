// service-defaults' Validate() as Consul runs it (agent/structs/config_entry.go
// ServiceConfigEntry.Validate, UpstreamConfig.validate, PassiveHealthCheck.Validate and
// UpstreamLimits.Validate (./upstream-limits.ts), validateEndpointAddress, envoyextensions.ValidateExtensions), in Consul's
// order and with its early returns.
import { isIP } from 'node:net';
import type { ApiEntry } from '../../model/kind-definition.ts';
import { append, ceOnlyLeaf, leaf, wrap, type GoError } from './go-error.ts';
import { metaError, mutualTLSModeError } from './shared.ts';
import { envoyExtensionsError } from './envoy-extensions.ts';
import { fieldText } from '../../model/field-text.ts';
import { passiveHealthCheckError, upstreamLimitsError, type PassiveHealthCheck, type UpstreamLimits } from './upstream-limits.ts';

type Upstream = Record<string, unknown> & {
  Name?: string;
  Namespace?: string;
  Partition?: string;
  Peer?: string;
  Limits?: UpstreamLimits;
  PassiveHealthCheck?: PassiveHealthCheck;
  BalanceOutboundConnections?: string;
};

/** isValidConnectionBalance. */
const validBalance = (v: unknown) => v === undefined || v === '' || v === 'exact_balance';

/** UpstreamConfig.validate(named): name rules return alone; the rest is a multierror. */
function upstreamError(u: Upstream, named: boolean, at: string): GoError | undefined {
  if (named) {
    if (!u.Name) return leaf(`${at}.Name`, 'Name is required');
    if (u.Name === '*') return leaf(`${at}.Name`, 'Wildcard name is not supported');
    if (u.Namespace === '*') return leaf(`${at}.Namespace`, 'Wildcard namespace is not supported');
  } else {
    if (u.Name) return leaf(`${at}.Name`, 'Name must be empty');
    if (u.Namespace) return leaf(`${at}.Namespace`, 'Namespace must be empty');
    if (u.Partition) return leaf(`${at}.Partition`, 'Partition must be empty');
  }
  let err: GoError | undefined;
  if (u.PassiveHealthCheck) err = append(err, passiveHealthCheckError(u.PassiveHealthCheck, `${at}.PassiveHealthCheck`));
  if (u.Limits) err = append(err, upstreamLimitsError(u.Limits, `${at}.Limits`));
  if (!validBalance(u.BalanceOutboundConnections))
    err = append(err, leaf(`${at}.BalanceOutboundConnections`, `invalid value for balance_outbound_connections: ${String(u.BalanceOutboundConnections)}`));
  return err;
}

/**
 * miekg/dns IsDomainName as validateEndpointAddress uses it: any characters, but no empty label,
 * no label of 64 or more bytes, at most 255 bytes in wire form.
 */
export function isDomainName(s: string): boolean {
  if (s.length === 0) return false;
  const fqdn = s.endsWith('.') ? s : `${s}.`;
  if (fqdn === '.') return true;
  let begin = 0;
  let off = 0;
  for (let i = 0; i < fqdn.length; i++) {
    if (fqdn[i] !== '.') continue;
    const len = Buffer.byteLength(fqdn.slice(begin, i));
    if (len === 0) return false; // a leading dot, or two dots back to back
    if (len >= 64) return false;
    off += 1 + len;
    if (off > 256) return false;
    begin = i + 1;
  }
  return true;
}

/** validateEndpointAddress: an IP, or a host name without a wildcard. */
function endpointAddressValid(address: string): boolean {
  return isIP(address) !== 0 || (isDomainName(address) && !address.includes('*'));
}

/** ServiceConfigEntry.Validate. */
export function serviceDefaultsError(entry: ApiEntry): GoError | undefined {
  if (!entry.Name) return leaf('Name', 'Name is required');
  if (entry.Name === '*') return leaf('Name', 'service-defaults name must be the name of a service, and not a wildcard');
  let err = metaError(entry);
  if (!validBalance(entry.BalanceInboundConnections))
    err = append(err, leaf('BalanceInboundConnections', `invalid value for balance_inbound_connections: ${fieldText(entry.BalanceInboundConnections)}`));
  const upstream = entry.UpstreamConfig as { Overrides?: Upstream[]; Defaults?: Upstream } | undefined;
  const destination = entry.Destination as { Addresses?: string[]; Port?: number } | undefined;
  // External endpoints are invalid with an upstream configuration: Consul returns here, so
  // nothing below (not even MutualTLSMode) is checked.
  if (upstream && destination) return append(err, leaf('UpstreamConfig', 'UpstreamConfig and Destination are mutually exclusive for service defaults'));
  if (upstream) {
    (upstream.Overrides ?? []).forEach((o, i) => {
      const e = upstreamError(o, true, `UpstreamConfig.Overrides[${i}]`);
      // PeeredServiceName().String(): the bare name in CE.
      if (e) err = append(err, wrap(`error in upstream override for ${o.Name ?? ''}: `, e));
    });
    if (upstream.Defaults) {
      const e = upstreamError(upstream.Defaults, false, 'UpstreamConfig.Defaults');
      if (e) err = append(err, wrap('error in upstream defaults: ', e));
    }
  }
  if (destination) {
    const addresses = destination.Addresses ?? [];
    if (addresses.length === 0) err = append(err, leaf('Destination.Addresses', 'Destination must contain at least one valid address'));
    const seen = new Set<string>();
    addresses.forEach((a, i) => {
      const field = `Destination.Addresses[${i}]`;
      if (seen.has(a)) {
        err = append(err, leaf(field, `Duplicate address '${a}' is not allowed`));
        return;
      }
      seen.add(a);
      if (!endpointAddressValid(a))
        err = append(err, leaf(field, `Destination address '${a}' is invalid Could not validate address ${a} as an IP or Hostname`));
    });
    const port = destination.Port ?? 0;
    if (port < 1 || port > 65535) err = append(err, leaf('Destination.Port', `Invalid Port number ${port}`));
  }
  // validateRatelimit (config_entry_ce.go): any set RateLimits (`rl != nil`, so `{}` too) is refused
  // on CE; Enterprise accepts it (its own checks live in *_ent.go, not public).
  if (entry.RateLimits) err = append(err, ceOnlyLeaf('RateLimits', 'invalid rate_limits config. Rate limiting is a consul enterprise feature'));
  // multierror.Append flattens ValidateExtensions' own list into this one.
  err = append(err, envoyExtensionsError(entry));
  const mtls = mutualTLSModeError(entry);
  if (mtls) return mtls;
  return err;
}
