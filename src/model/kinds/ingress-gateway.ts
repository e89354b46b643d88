// ingress-gateway: listeners and exposed services of an ingress gateway (api/config_entry_gateways.go IngressGatewayConfigEntry).
import type { ResponseShape } from '../kind-definition.ts';
import { asObject } from '../response-noise.ts';
import { aliased, bool, int, list, obj, str, strings, uint32 } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { gatewayTLSSDS as sds, httpHeaderModifiers, meta, passiveHealthCheck, validateMeta, withKind } from './common.ts';

export { passiveHealthCheck };

/** api GatewayTLSConfig (api/config_entry_gateways.go). */
const gatewayTLS = obj({ Enabled: bool, SDS: sds, TLSMinVersion: str, TLSMaxVersion: str, CipherSuites: strings });

const ingressService = obj({
  Name: str,
  Hosts: strings,
  Namespace: str,
  Partition: str,
  TLS: obj({ SDS: sds }),
  RequestHeaders: httpHeaderModifiers,
  ResponseHeaders: httpHeaderModifiers,
  MaxConnections: uint32,
  MaxPendingRequests: uint32,
  MaxConcurrentRequests: uint32,
  PassiveHealthCheck: passiveHealthCheck,
});

const HTTP_LIKE = ['http', 'http2', 'grpc'];
const PROTOCOLS = ['tcp', ...HTTP_LIKE];

type Listener = { Port?: number; Protocol?: string; Services?: Record<string, unknown>[]; TLS?: unknown };

/** IngressGatewayConfigEntry as encoding/json prints it: TLS.Enabled, and each listener's Services and their Hosts, always shown. */
const responseShape: ResponseShape = {
  fields: [['Kind'], ['Name'], ['TLS', {}], ['Listeners', null], ['Defaults'], ['Meta']],
  inner(out) {
    out.TLS = { Enabled: false, ...asObject(out.TLS) };
    if (Array.isArray(out.Listeners))
      out.Listeners = out.Listeners.map((l) => {
        const lis = asObject(l);
        const services = Array.isArray(lis.Services) ? lis.Services.map((s) => ({ ...asObject(s), Hosts: asObject(s).Hosts ?? null })) : null;
        return { ...lis, Services: services };
      });
  },
};

export const ingressGateway: KindDefinition = {
  kind: 'ingress-gateway',
  crdKind: 'IngressGateway',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'service', write: 'mesh' },
  responseShape,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    Partition: str,
    Namespace: str,
    TLS: gatewayTLS,
    Listeners: list(obj({ Port: int, Protocol: str, Services: list(ingressService), TLS: gatewayTLS })),
    ...meta,
    // IngressServiceConfig's three limits carry no alias tags (only case variants decode).
    Defaults: obj({
      MaxConnections: aliased(uint32),
      MaxPendingRequests: aliased(uint32),
      MaxConcurrentRequests: aliased(uint32),
      PassiveHealthCheck: passiveHealthCheck,
    }),
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'ingress-gateway') };
    const listeners = out.Listeners as Listener[] | undefined;
    if (listeners)
      out.Listeners = listeners.map((l) => ({ ...l, Protocol: String(l?.Protocol || 'tcp').toLowerCase() }));
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [...validateMeta(entry)];
    const tlsEnabled = Boolean((entry.TLS as { Enabled?: boolean } | undefined)?.Enabled);
    const ports = new Set<number>();
    ((entry.Listeners as Listener[] | undefined) ?? []).forEach((l, i) => {
      const at = `Listeners[${i}]`;
      const port = l.Port ?? 0;
      const protocol = l.Protocol ?? '';
      if (ports.has(port)) problems.push({ field: `${at}.Port`, message: `port ${port} declared on two listeners` });
      ports.add(port);
      if (!PROTOCOLS.includes(protocol)) {
        problems.push({
          field: `${at}.Protocol`,
          message: `protocol must be 'tcp', 'http', 'http2', or 'grpc'. '${protocol}' is an unsupported protocol`,
        });
        return;
      }
      const services = l.Services ?? [];
      if (services.length === 0) {
        problems.push({ field: `${at}.Services`, message: `No service declared for listener with port ${port}` });
        return;
      }
      if (!HTTP_LIKE.includes(protocol) && services.length > 1)
        problems.push({
          field: `${at}.Services`,
          message: `Multiple services per listener are only supported for L7 protocols, 'http', 'grpc' and 'http2' (listener on port ${port})`,
        });
      const hosts = new Set<string>();
      const names = new Set<string>();
      services.forEach((s, j) => {
        const sat = `${at}.Services[${j}]`;
        const name = (s.Name as string | undefined) ?? '';
        const sHosts = (s.Hosts as string[] | undefined) ?? [];
        if (protocol === 'tcp') {
          if (name === '*')
            problems.push({ field: `${sat}.Name`, message: `Wildcard service name is only valid for protocol = 'http' (listener on port ${port})` });
          if (sHosts.length)
            problems.push({
              field: `${sat}.Hosts`,
              message: `Associating hosts to a service is not supported for the ${protocol} protocol (listener on port ${port})`,
            });
        }
        if (!name) {
          problems.push({ field: `${sat}.Name`, message: `Service name cannot be blank (listener on port ${port})` });
          return;
        }
        if (name === '*' && sHosts.length)
          problems.push({ field: `${sat}.Hosts`, message: `Associating hosts to a wildcard service is not supported (listener on port ${port})` });
        if (names.has(name))
          problems.push({ field: `${sat}.Name`, message: `Service ${name} cannot be added multiple times (listener on port ${port})` });
        names.add(name);
        for (const h of sHosts) {
          if (hosts.has(h)) {
            problems.push({ field: `${sat}.Hosts`, message: `Hosts must be unique within a specific listener (listener on port ${port})` });
            continue;
          }
          hosts.add(h);
          if (h === '*') {
            if (tlsEnabled)
              problems.push({
                field: `${sat}.Hosts`,
                message: "Host '*' is not allowed when TLS is enabled, all hosts must be valid DNS records to add as a DNSSAN",
              });
          } else if (h.replace(/^\*\./, '').includes('*'))
            problems.push({
              field: `${sat}.Hosts`,
              message: `Host ${JSON.stringify(h)} is not valid, a wildcard specifier is only allowed as the leftmost label`,
            });
        }
      });
    });
    return problems;
  },
};
