// proxy-defaults: mesh-wide proxy settings; Consul only accepts the name `global`. Its Validate() is
// ported whole, in Consul's order, in src/core/write-checks/proxy-defaults.ts.
import { obj, opaque, pointer, str, strings } from '../field-types.ts';
import type { ApiEntry, KindDefinition } from '../kind-definition.ts';
import { accessLogs, envoyExtensions, exposeConfig, meshGateway, meta, tenancy, transparentProxyConfig, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { goQuote } from '../go-quote.ts';
import { fieldText } from '../field-text.ts';

const invalidName = (name: string) => `invalid name (${goQuote(name)}), only "global" is supported`;

/** ProxyConfigEntry as encoding/json prints it. */
const responseShape: ResponseShape = {
  fields: [
    ['Kind'],
    ['Name'],
    ['Config', null],
    ['Mode'],
    ['TransparentProxy', {}],
    ['MutualTLSMode'],
    ['MeshGateway', {}],
    ['Expose', {}],
    ['AccessLogs', {}],
    ['EnvoyExtensions'],
    ['FailoverPolicy'],
    ['PrioritizeByLocality'],
    ['Meta'],
  ],
};

export const proxyDefaults: KindDefinition = {
  kind: 'proxy-defaults',
  crdKind: 'ProxyDefaults',
  applyOrder: 20,
  orderRole: 'provider',
  edition: 'ce',
  scope: 'mesh-wide',
  setsMutualTlsMode: true,
  holdsSecrets: false,
  acl: { read: 'none', write: 'mesh' },
  responseShape,
  // ProxyConfigEntry.Normalize (agent/structs/config_entry.go): "" becomes "global", any other name is refused.
  nameRule: { rule: 'fixed', name: 'global', message: invalidName, normalized: true },
  fields: {
    Name: str,
    ...tenancy,
    Mode: str,
    TransparentProxy: transparentProxyConfig,
    MutualTLSMode: str,
    Config: opaque,
    MeshGateway: meshGateway,
    Expose: exposeConfig,
    AccessLogs: accessLogs,
    EnvoyExtensions: envoyExtensions,
    // `FailoverPolicy *ServiceResolverFailoverPolicy` and `PrioritizeByLocality
    // *ServiceResolverPrioritizeByLocality`, both `json:",omitempty"` (agent/structs/config_entry.go
    // ProxyConfigEntry), with omitempty fields: `FailoverPolicy {}` is stored and GET answers `{}`.
    FailoverPolicy: pointer(obj({ Mode: str, Regions: strings })),
    PrioritizeByLocality: pointer(obj({ Mode: str })),
    ...meta,
  },
  normalize(entry) {
    const out: ApiEntry = withKind(entry, 'proxy-defaults');
    if (!out.Name) out.Name = 'global';
    return out;
  },
};

/** The protocol proxy-defaults sets for every service, as Consul's ComputeProtocol reads it. */
export function proxyDefaultsProtocol(entry: ApiEntry | undefined): string | undefined {
  const config = entry?.Config as Record<string, unknown> | undefined;
  if (!config) return undefined;
  for (const [k, v] of Object.entries(config)) if (k.toLowerCase() === 'protocol' && v != null) return fieldText(v).toLowerCase();
  return undefined;
}
