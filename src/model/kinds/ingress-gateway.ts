// ingress-gateway: listeners and exposed services of an ingress gateway (api/config_entry_gateways.go IngressGatewayConfigEntry).
import type { ResponseShape } from '../kind-definition.ts';
import { asObject } from '../response-noise.ts';
import { aliased, int, list, obj, pointer, str, strings, uint32 } from '../field-types.ts';
import type { ApiEntry, KindDefinition } from '../kind-definition.ts';
import { gatewayServiceTLS, gatewayTLSConfig as gatewayTLS, httpHeaderModifiers, meta, passiveHealthCheck, withKind } from './common.ts';

export { passiveHealthCheck };

const ingressService = obj({
  Name: str,
  Hosts: strings,
  Namespace: str,
  Partition: str,
  TLS: gatewayServiceTLS,
  RequestHeaders: httpHeaderModifiers,
  ResponseHeaders: httpHeaderModifiers,
  MaxConnections: uint32,
  MaxPendingRequests: uint32,
  MaxConcurrentRequests: uint32,
  PassiveHealthCheck: passiveHealthCheck,
});

type Listener = { Port?: number; Protocol?: string; Services?: Record<string, unknown>[]; TLS?: unknown };

/**
 * IngressGatewayConfigEntry as encoding/json prints it: TLS.Enabled, and each listener's Services and
 * their Hosts, always shown; a set listener TLS shows its Enabled, a set Defaults its three limits.
 */
const responseShape: ResponseShape = {
  fields: [['Kind'], ['Name'], ['TLS', {}], ['Listeners', null], ['Defaults'], ['Meta']],
  inner(out) {
    out.TLS = { Enabled: false, ...asObject(out.TLS) };
    if (out.Defaults && typeof out.Defaults === 'object')
      out.Defaults = { MaxConnections: 0, MaxPendingRequests: 0, MaxConcurrentRequests: 0, ...asObject(out.Defaults) };
    if (Array.isArray(out.Listeners))
      out.Listeners = out.Listeners.map((l) => {
        const lis = asObject(l);
        const services = Array.isArray(lis.Services) ? lis.Services.map((s) => ({ ...asObject(s), Hosts: asObject(s).Hosts ?? null })) : null;
        const shown: Record<string, unknown> = { ...lis, Services: services };
        if (lis.TLS && typeof lis.TLS === 'object') shown.TLS = { Enabled: false, ...asObject(lis.TLS) };
        return shown;
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
    // The gateway's TLS is a value (GET always answers it, with `Enabled`); a listener's is
    // `TLS *GatewayTLSConfig \`json:",omitempty"\`` (agent/structs/config_entry_gateways.go IngressListener):
    // `TLS {}` is stored and GET answers `{"Enabled": false}` (Enabled has no omitempty).
    Listeners: list(obj({ Port: int, Protocol: str, Services: list(ingressService), TLS: pointer(gatewayTLS) })),
    ...meta,
    // IngressServiceConfig's three limits carry no alias tags (only case variants decode).
    // `Defaults *IngressServiceConfig \`json:",omitempty"\`` with plain uint32 limits without omitempty
    // (agent/structs/config_entry_gateways.go): `Defaults {}` is stored and GET answers its three zeros.
    Defaults: pointer(
      obj({
        MaxConnections: aliased(uint32),
        MaxPendingRequests: aliased(uint32),
        MaxConcurrentRequests: aliased(uint32),
        PassiveHealthCheck: passiveHealthCheck,
      }),
    ),
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'ingress-gateway') };
    const listeners = out.Listeners as Listener[] | undefined;
    if (listeners) out.Listeners = listeners.map((l) => ({ ...l, Protocol: String(l?.Protocol || 'tcp').toLowerCase() }));
    return out;
  },
  // Validate: Consul's own, ported whole in src/core/write-checks (entry-rules.ts CONSUL_VALIDATE).
};
