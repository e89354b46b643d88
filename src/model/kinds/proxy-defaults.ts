// proxy-defaults: mesh-wide proxy settings; Consul only accepts the name `global`.
import { obj, opaque, str, strings } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import {
  accessLogs,
  envoyExtensions,
  exposeConfig,
  meshGateway,
  meta,
  tenancy,
  transparentProxyConfig,
  validateMeta,
  validateMutualTLSMode,
  withKind,
} from './common.ts';
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
    FailoverPolicy: obj({ Mode: str, Regions: strings }),
    PrioritizeByLocality: obj({ Mode: str }),
    ...meta,
  },
  normalize(entry) {
    const out: ApiEntry = withKind(entry, 'proxy-defaults');
    if (!out.Name) out.Name = 'global';
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [];
    const name = (entry.Name as string | undefined) ?? '';
    if (name !== 'global' && name !== '') problems.push({ field: 'Name', message: invalidName(name) });
    // AccessLogsConfig.Validate (agent/structs/connect_proxy_config.go), in its order. Not ported: its
    // last check, that JSONFormat parses as JSON (encoding/json's syntax error texts).
    const logs = entry.AccessLogs as { Type?: string; Path?: string; JSONFormat?: string; TextFormat?: string } | undefined;
    if (logs) {
      const type = logs.Type ?? '';
      if (!['', 'file', 'stdout', 'stderr'].includes(type)) problems.push({ field: 'AccessLogs.Type', message: `invalid access log type: ${type}` });
      if (type === 'file' && !logs.Path) problems.push({ field: 'AccessLogs.Path', message: 'path must be specified when using file type access logs' });
      if (logs.JSONFormat && logs.TextFormat) problems.push({ field: 'AccessLogs', message: 'cannot specify both access log JSONFormat and TextFormat' });
      if (type !== 'file' && logs.Path) problems.push({ field: 'AccessLogs.Path', message: 'path is only valid for file type access logs' });
    }
    problems.push(...validateMeta(entry), ...validateMutualTLSMode(entry));
    return problems;
  },
};

/** The protocol proxy-defaults sets for every service, as Consul's ComputeProtocol reads it. */
export function proxyDefaultsProtocol(entry: ApiEntry | undefined): string | undefined {
  const config = entry?.Config as Record<string, unknown> | undefined;
  if (!config) return undefined;
  for (const [k, v] of Object.entries(config)) if (k.toLowerCase() === 'protocol' && v != null) return fieldText(v).toLowerCase();
  return undefined;
}
