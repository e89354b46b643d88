// proxy-defaults' Validate() as Consul runs it (agent/structs/config_entry.go ProxyConfigEntry.Validate):
// the name, AccessLogsConfig.Validate (agent/structs/connect_proxy_config.go), validateConfigEntryMeta,
// validateOpaqueProxyConfig, envoyextensions.ValidateExtensions, FailoverPolicy.validate, in CE
// PrioritizeByLocality.validate (config_entry_discoverychain_ce.go), then MutualTLSMode.validate.
// Consul returns the first error; `validate` reports them all.
import type { ApiEntry } from '../../model/kind-definition.ts';
import { goQuote } from '../../model/go-quote.ts';
import { goJsonUnmarshalError } from '../go-json-text.ts';
import { envoyExtensionsError } from './envoy-extensions.ts';
import { ceOnlyLeaf, leaf, wrap, type GoError } from './go-error.ts';
import { metaError, mutualTLSModeError } from './shared.ts';

/** Stays under the 104-byte socket path limit of OpenBSD, FreeBSD and macOS with a 32-byte file name. */
const MAX_SOCKET_DIR_LEN = 70;
const FAILOVER_POLICY_MODES = ['', 'sequential', 'order-by-locality'];
const LOG_SINK_TYPES = ['', 'file', 'stdout', 'stderr'];

type AccessLogs = { Type?: string; Path?: string; JSONFormat?: string; TextFormat?: string };

/**
 * AccessLogsConfig.Validate, in its order. Consul returns the first; each is listed here so that
 * `validate` names them all. JSONFormat must be one JSON value: json.Unmarshal into a
 * json.RawMessage, whose error is wrapped with %w.
 */
function accessLogsErrors(logs: AccessLogs | undefined): GoError[] {
  if (!logs) return [];
  const errors: GoError[] = [];
  const type = logs.Type ?? '';
  if (!LOG_SINK_TYPES.includes(type)) errors.push(leaf('AccessLogs.Type', `invalid access log type: ${type}`));
  if (type === 'file' && !logs.Path) errors.push(leaf('AccessLogs.Path', 'path must be specified when using file type access logs'));
  if (logs.JSONFormat && logs.TextFormat) errors.push(leaf('AccessLogs', 'cannot specify both access log JSONFormat and TextFormat'));
  if (type !== 'file' && logs.Path) errors.push(leaf('AccessLogs.Path', 'path is only valid for file type access logs'));
  const json = logs.JSONFormat ? goJsonUnmarshalError(logs.JSONFormat) : undefined;
  if (json !== undefined) errors.push(wrap('invalid access log json for JSON format: ', leaf('AccessLogs.JSONFormat', json)));
  return errors;
}

/** validateOpaqueProxyConfig, wrapped as `Config: %w`. The key is matched exactly, and only a string value counts. */
function opaqueConfigError(entry: ApiEntry): GoError | undefined {
  const dir = (entry.Config as Record<string, unknown> | undefined)?.envoy_hcp_metrics_bind_socket_dir;
  if (typeof dir !== 'string' || Buffer.byteLength(dir) <= MAX_SOCKET_DIR_LEN) return undefined;
  return wrap(
    'Config: ',
    leaf('Config.envoy_hcp_metrics_bind_socket_dir', `envoy_hcp_metrics_bind_socket_dir length ${Buffer.byteLength(dir)} exceeds max ${MAX_SOCKET_DIR_LEN}`),
  );
}

/** Consul's errors in its order: the first is what Consul answers. */
export function proxyDefaultsErrors(entry: ApiEntry): GoError[] {
  const name = (entry.Name as string | undefined) ?? '';
  const failover = entry.FailoverPolicy as { Mode?: string } | undefined;
  const locality = entry.PrioritizeByLocality as { Mode?: string } | undefined;
  const all: (GoError | undefined)[] = [
    name !== 'global' && name !== '' ? leaf('Name', `invalid name (${goQuote(name)}), only "global" is supported`) : undefined,
    ...accessLogsErrors(entry.AccessLogs as AccessLogs | undefined),
    metaError(entry),
    opaqueConfigError(entry),
    // ValidateExtensions' list is returned unwrapped: Consul answers with the whole list's text.
    envoyExtensionsError(entry),
    failover && !FAILOVER_POLICY_MODES.includes(failover.Mode ?? '')
      ? leaf('FailoverPolicy.Mode', "Failover-policy mode must be one of '', 'sequential', or 'order-by-locality'")
      : undefined,
    // CE: any non-zero value is refused; the trailing space is Consul's. Enterprise accepts it.
    locality && (locality.Mode ?? '') !== '' ? ceOnlyLeaf('PrioritizeByLocality.Mode', 'Prioritize-by-locality requires Consul Enterprise ') : undefined,
    mutualTLSModeError(entry),
  ];
  return all.filter((e): e is GoError => e !== undefined);
}
