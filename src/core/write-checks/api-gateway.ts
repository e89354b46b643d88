// api-gateway's Validate() as Consul runs it (agent/structs/config_entry_gateways.go
// APIGatewayConfigEntry.Validate at hashicorp/consul 5c48b0b, 2026: meta, the gateway-level TLS
// versions and ciphers (validateGatewayTLSConfig), Defaults (UpstreamLimits.Validate),
// validateListenerNames, validateMergedListeners, validateListeners with validateTLSConfig). Consul returns the first error; every listener is checked here. The gateway
// TLS and Defaults only exist in the newest Consul, so their checks never fire for an older target's
// files (version-check warns of the fields first).
import type { ApiEntry } from '../../model/kind-definition.ts';
import { ceJwtProblems } from '../../model/kinds/api-gateway.ts';
import { ceOnlyLeaf, leaf, type GoError } from './go-error.ts';
import { metaError } from './shared.ts';
import { tlsConfigError } from './tls.ts';
import { upstreamLimitsError } from './upstream-limits.ts';

type Sds = { ClusterName?: string; CertResource?: string };
type Listener = {
  Name?: string;
  Hostname?: string;
  Port?: number;
  Protocol?: string;
  TLS?: { Certificates?: { Kind?: string; Name?: string }[]; SDS?: Sds; MinVersion?: string; MaxVersion?: string; CipherSuites?: string[] };
  Override?: { JWT?: unknown };
  Default?: { JWT?: unknown };
};
type GatewayTLS = { SDS?: Sds; TLSMinVersion?: string; TLSMaxVersion?: string; CipherSuites?: string[] };

const LISTENER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CERTIFICATE_KINDS = ['inline-certificate', 'file-system-certificate'];
const TLS_FIELD = { min: 'TLSMinVersion', max: 'TLSMaxVersion', ciphers: 'CipherSuites' } as const;

/**
 * validateGatewayTLSConfig(e.TLS, false, "gateway"): versions and ciphers. Its SDS step (and
 * validateListeners' listener SDS checks) are left to src/core/gateway-tls-merge.ts's warnings: the
 * releases modelled accept such entries and fail when building listeners (docs/fidelity.md, stop 15).
 */
function gatewayTLSError(tls: GatewayTLS | undefined): GoError | undefined {
  const e = tlsConfigError(tls?.TLSMinVersion ?? '', tls?.TLSMaxVersion ?? '', tls?.CipherSuites ?? []);
  return e && leaf(`TLS.${TLS_FIELD[e.field]}`, e.message);
}
const q = (s: string) => JSON.stringify(s);

/**
 * Keys inside a listener policy's `JWT`: CE's APIGatewayJWTRequirement is an empty struct
 * (config_entry_apigw_jwt_ce.go), so decoding refuses them before Validate runs; `ceOnly`, as
 * Enterprise stores `Providers`. Listed with Validate's errors, which a `+ent` target still gets.
 */
function ceJwtErrors(listeners: Listener[]): GoError[] {
  const out: GoError[] = [];
  listeners.forEach((l, i) => {
    for (const policy of ['Override', 'Default'] as const)
      for (const p of ceJwtProblems(l?.[policy]?.JWT, `Listeners[${i}].${policy}.JWT`)) out.push(ceOnlyLeaf(p.field, p.message));
  });
  return out;
}

export function apiGatewayErrors(entry: ApiEntry): GoError[] {
  const jwt = ceJwtErrors((entry.Listeners as Listener[] | undefined) ?? []);
  const rest = validateErrors(entry);
  return jwt.length ? [...jwt, ...rest] : rest;
}

function validateErrors(entry: ApiEntry): GoError[] {
  const meta = metaError(entry);
  if (meta) return [meta];
  const gatewayTLS = gatewayTLSError(entry.TLS as GatewayTLS | undefined);
  if (gatewayTLS) return [gatewayTLS];
  if (entry.Defaults) {
    const e = upstreamLimitsError(entry.Defaults, 'Defaults');
    if (e) return [e];
  }
  const listeners = (entry.Listeners as Listener[] | undefined) ?? [];
  if (listeners.length === 0) return [leaf('Listeners', 'api gateway must have at least one listener')];
  const errors: GoError[] = [];
  const names = new Set<string>();
  listeners.forEach((l, i) => {
    const name = l.Name ?? '';
    if (!LISTENER_NAME.test(name))
      errors.push(
        leaf(`Listeners[${i}].Name`, `listener name ${q(name)} is invalid, must be at least 1 character and contain only letters, numbers, or dashes`),
      );
    else if (names.has(name)) errors.push(leaf(`Listeners[${i}].Name`, `found multiple listeners with the name ${q(name)}`));
    names.add(name);
  });
  const byPort = new Map<number, Listener>();
  listeners.forEach((l, i) => {
    const merged = byPort.get(l.Port ?? 0);
    if (merged && ((merged.Hostname ?? '') !== (l.Hostname ?? '') || (merged.Protocol ?? '') !== (l.Protocol ?? '')))
      errors.push(leaf(`Listeners[${i}]`, `listeners ${q(merged.Name ?? '')} and ${q(l.Name ?? '')} cannot be merged`));
    byPort.set(l.Port ?? 0, l);
  });
  listeners.forEach((l, i) => {
    const e = listenerError(l, `Listeners[${i}]`);
    if (e) errors.push(e);
  });
  return errors;
}

function listenerError(l: Listener, at: string): GoError | undefined {
  const protocol = l.Protocol ?? '';
  const hostname = l.Hostname ?? '';
  const port = l.Port ?? 0;
  if (protocol !== 'http' && protocol !== 'tcp') return leaf(`${at}.Protocol`, `unsupported listener protocol ${q(protocol)}, must be one of 'tcp', or 'http'`);
  if (protocol === 'tcp' && hostname) return leaf(`${at}.Hostname`, 'hostname specification is not supported when using TCP');
  if (port <= 0 || port > 65535) return leaf(`${at}.Port`, `listener port ${port} not in the range 1-65535`);
  if (hostname.replace(/^\*\./, '').includes('*'))
    return leaf(`${at}.Hostname`, `host ${q(hostname)} is not valid, a wildcard specifier is only allowed as the left-most label`);
  const certs = l.TLS?.Certificates ?? [];
  for (let j = 0; j < certs.length; j++) {
    const c = certs[j];
    const field = `${at}.TLS.Certificates[${j}]`;
    if (!CERTIFICATE_KINDS.includes(c.Kind ?? ''))
      return leaf(field, `unsupported certificate kind: ${q(c.Kind ?? '')}, must be 'file-system-certificate' or 'inline-certificate'`);
    if (!c.Name) return leaf(field, 'certificate reference must have a name');
  }
  const tls = tlsConfigError(l.TLS?.MinVersion ?? '', l.TLS?.MaxVersion ?? '', l.TLS?.CipherSuites ?? []);
  if (tls) return leaf(`${at}.TLS.${{ min: 'MinVersion', max: 'MaxVersion', ciphers: 'CipherSuites' }[tls.field]}`, tls.message);
  return undefined;
}
