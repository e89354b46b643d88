// ingress-gateway's Validate() as Consul runs it (agent/structs/config_entry_gateways.go
// IngressGatewayConfigEntry.Validate, validateServiceSDS, validateHost, validateGatewayTLSConfig;
// HTTPHeaderModifiers.Validate in config_entry_discoverychain.go). Consul stops at the first
// error; every listener and service is still checked here, each with Consul's text.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { leaf, type GoError } from './go-error.ts';
import { isDomainName } from './service-defaults.ts';
import { metaError } from './shared.ts';
import { tlsConfigError } from './tls.ts';

type Sds = { ClusterName?: string; CertResource?: string };
type GatewayTLS = { Enabled?: boolean; SDS?: Sds; TLSMinVersion?: string; TLSMaxVersion?: string; CipherSuites?: string[] };
type Headers = { Add?: Record<string, string>; Set?: Record<string, string>; Remove?: string[] };
type Service = { Name?: string; Namespace?: string; Hosts?: string[]; TLS?: { SDS?: Sds }; RequestHeaders?: Headers; ResponseHeaders?: Headers };
type Listener = { Port?: number; Protocol?: string; Services?: Service[]; TLS?: GatewayTLS };

const PROTOCOLS = ['tcp', 'http', 'http2', 'grpc'];
const HTTP_LIKE = new Set(['http', 'http2', 'grpc']);

function gatewayTLSError(tls: GatewayTLS | undefined, at: string): GoError | undefined {
  const e = tlsConfigError(tls?.TLSMinVersion ?? '', tls?.TLSMaxVersion ?? '', tls?.CipherSuites ?? []);
  if (!e) return undefined;
  const field = { min: 'TLSMinVersion', max: 'TLSMaxVersion', ciphers: 'CipherSuites' }[e.field];
  return leaf(`${at}.${field}`, e.message);
}

const headersSet = (h: Headers | undefined) =>
  h !== undefined && (Object.keys(h.Add ?? {}).length > 0 || Object.keys(h.Set ?? {}).length > 0 || (h.Remove ?? []).length > 0);

/** validateServiceSDS: gateway, listener and service SDS settings must agree. */
function sdsError(gw: GatewayTLS | undefined, lis: Listener, svc: Service, at: string, svcAt: string): GoError | undefined {
  const port = lis.Port ?? 0;
  let gwCluster = false;
  let gwCert = false;
  if (gw?.SDS) {
    if (!gw.SDS.ClusterName && gw.SDS.CertResource) return leaf('TLS.SDS.ClusterName', 'TLS.SDS.ClusterName is required if CertResource is set');
    gwCluster = Boolean(gw.SDS.ClusterName);
    gwCert = Boolean(gw.SDS.CertResource);
  }
  const lisCert = Boolean(lis.TLS?.SDS?.CertResource);
  const lisCluster = Boolean(lis.TLS?.SDS?.ClusterName);
  if (gwCluster && !gwCert && !lisCert)
    return leaf(`${at}.TLS.SDS.CertResource`, `TLS.SDS.CertResource is required if ClusterName is set for gateway (listener on port ${port})`);
  if (lisCluster && !lisCert)
    return leaf(`${at}.TLS.SDS.CertResource`, `TLS.SDS.CertResource is required if ClusterName is set for listener (listener on port ${port})`);
  if (lisCert && !lisCluster && !gwCluster)
    return leaf(`${at}.TLS.SDS.ClusterName`, `TLS.SDS.ClusterName is required if CertResource is set (listener on port ${port})`);
  const svcSds = svc.TLS?.SDS;
  if (svcSds?.CertResource) {
    const name = svc.Name ?? '';
    if ((svc.Hosts ?? []).length < 1)
      return leaf(
        `${svcAt}.Hosts`,
        `A service specifying TLS.SDS.CertResource must have at least one item in Hosts (service "${name}" on listener on port ${port})`,
      );
    if (!svcSds.ClusterName && !lisCluster && !gwCluster)
      return leaf(`${svcAt}.TLS.SDS.ClusterName`, `TLS.SDS.ClusterName is required if CertResource is set (service "${name}" on listener on port ${port})`);
  }
  return undefined;
}

/** validateHost. */
function hostError(tlsEnabled: boolean, host: string, field: string): GoError | undefined {
  if (host === '*') {
    return tlsEnabled ? leaf(field, "Host '*' is not allowed when TLS is enabled, all hosts must be valid DNS records to add as a DNSSAN") : undefined;
  }
  if (!isDomainName(host)) return leaf(field, `Host ${JSON.stringify(host)} must be a valid DNS hostname`);
  if (host.replace(/^\*\./, '').includes('*'))
    return leaf(field, `Host ${JSON.stringify(host)} is not valid, a wildcard specifier is only allowed as the leftmost label`);
  return undefined;
}

/** Each listener's first error (Consul's `return`), in Consul's order; Consul answers with the first of all. */
export function ingressGatewayErrors(entry: ApiEntry): GoError[] {
  const meta = metaError(entry);
  if (meta) return [meta];
  const gw = entry.TLS as GatewayTLS | undefined;
  const gwTLS = gatewayTLSError(gw, 'TLS');
  if (gwTLS) return [gwTLS];
  const errors: GoError[] = [];
  const ports = new Set<number>();
  ((entry.Listeners as Listener[] | undefined) ?? []).forEach((l, i) => {
    const at = `Listeners[${i}]`;
    const e = listenerError(gw, l, at, ports);
    if (e) errors.push(...e);
  });
  return errors;
}

function listenerError(gw: GatewayTLS | undefined, l: Listener, at: string, ports: Set<number>): GoError[] | undefined {
  const port = l.Port ?? 0;
  const protocol = l.Protocol ?? '';
  if (ports.has(port)) return [leaf(`${at}.Port`, `port ${port} declared on two listeners`)];
  ports.add(port);
  if (!PROTOCOLS.includes(protocol))
    return [leaf(`${at}.Protocol`, `protocol must be 'tcp', 'http', 'http2', or 'grpc'. '${protocol}' is an unsupported protocol`)];
  const services = l.Services ?? [];
  if (services.length === 0) return [leaf(`${at}.Services`, `No service declared for listener with port ${port}`)];
  if (!HTTP_LIKE.has(protocol) && services.length > 1)
    return [
      leaf(`${at}.Services`, `Multiple services per listener are only supported for L7 protocols, 'http', 'grpc' and 'http2' (listener on port ${port})`),
    ];
  if (l.TLS) {
    const e = gatewayTLSError(l.TLS, `${at}.TLS`);
    if (e) return [e];
  }
  const hosts = new Set<string>();
  const names = new Set<string>();
  const errors: GoError[] = [];
  services.forEach((s, j) => {
    const e = serviceError(gw, l, s, at, `${at}.Services[${j}]`, hosts, names);
    if (e) errors.push(e);
  });
  return errors;
}

function serviceError(
  gw: GatewayTLS | undefined,
  l: Listener,
  s: Service,
  at: string,
  sat: string,
  hosts: Set<string>,
  names: Set<string>,
): GoError | undefined {
  const port = l.Port ?? 0;
  const protocol = l.Protocol ?? '';
  const name = s.Name ?? '';
  const where = `(service ${JSON.stringify(name)} on listener on port ${port})`;
  if (headersSet(s.RequestHeaders) && !HTTP_LIKE.has(protocol))
    return leaf(`${sat}.RequestHeaders`, `request headers only valid for http, http2 and grpc protocols ${where}`);
  if (headersSet(s.ResponseHeaders) && !HTTP_LIKE.has(protocol))
    return leaf(`${sat}.ResponseHeaders`, `response headers only valid for http, http2 and grpc protocols ${where}`);
  const sHosts = s.Hosts ?? [];
  if (protocol === 'tcp') {
    if (name === '*') return leaf(`${sat}.Name`, `Wildcard service name is only valid for protocol = 'http' (listener on port ${port})`);
    if (sHosts.length) return leaf(`${sat}.Hosts`, `Associating hosts to a service is not supported for the ${protocol} protocol (listener on port ${port})`);
  }
  if (!name) return leaf(`${sat}.Name`, `Service name cannot be blank (listener on port ${port})`);
  if (name === '*' && sHosts.length) return leaf(`${sat}.Hosts`, `Associating hosts to a wildcard service is not supported (listener on port ${port})`);
  if (s.Namespace === '*') return leaf(`${sat}.Namespace`, `Wildcard namespace is not supported for ingress services (listener on port ${port})`);
  if (names.has(name)) return leaf(`${sat}.Name`, `Service ${name} cannot be added multiple times (listener on port ${port})`);
  names.add(name);
  const sds = sdsError(gw, l, s, at, sat);
  if (sds) return sds;
  for (const h of sHosts) {
    if (hosts.has(h)) return leaf(`${sat}.Hosts`, `Hosts must be unique within a specific listener (listener on port ${port})`);
    hosts.add(h);
    const e = hostError(gw?.Enabled === true, h, `${sat}.Hosts`);
    if (e) return e;
  }
  return undefined;
}
