// proxy-defaults checks the registry's Validate lacks, from ProxyConfigEntry.Validate
// (agent/structs/config_entry.go): validateOpaqueProxyConfig, envoyextensions.ValidateExtensions,
// FailoverPolicy.validate and, in CE, PrioritizeByLocality.validate (config_entry_discoverychain_ce.go).
// Consul runs them after Meta and before MutualTLSMode, returning the first.
import type { ApiEntry, EntryProblem } from '../../model/kind-definition.ts';
import { envoyExtensionsError } from './envoy-extensions.ts';
import { goErrorProblems, goErrorText } from './go-error.ts';

/** Stays under the 104-byte socket path limit of OpenBSD, FreeBSD and macOS with a 32-byte file name. */
const MAX_SOCKET_DIR_LEN = 70;
const FAILOVER_POLICY_MODES = ['', 'sequential', 'order-by-locality'];

export function proxyDefaultsProblems(entry: ApiEntry): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const config = entry.Config as Record<string, unknown> | undefined;
  // The opaque map's key is matched exactly, and only a string value counts (`path, _ := ...(string)`).
  const dir = config?.envoy_hcp_metrics_bind_socket_dir;
  if (typeof dir === 'string' && Buffer.byteLength(dir) > MAX_SOCKET_DIR_LEN)
    problems.push({
      field: 'Config.envoy_hcp_metrics_bind_socket_dir',
      message: `Config: envoy_hcp_metrics_bind_socket_dir length ${Buffer.byteLength(dir)} exceeds max ${MAX_SOCKET_DIR_LEN}`,
    });
  // ValidateExtensions' list is returned unwrapped: Consul answers with the whole list's text.
  const extensions = envoyExtensionsError(entry);
  if (extensions) {
    const consulText = goErrorText(extensions);
    problems.push(...goErrorProblems(extensions).map((p) => ({ ...p, consulText })));
  }
  const failover = entry.FailoverPolicy as { Mode?: string } | undefined;
  if (failover && !FAILOVER_POLICY_MODES.includes(failover.Mode ?? ''))
    problems.push({ field: 'FailoverPolicy.Mode', message: "Failover-policy mode must be one of '', 'sequential', or 'order-by-locality'" });
  const locality = entry.PrioritizeByLocality as { Mode?: string } | undefined;
  // CE: any non-zero value is refused; the trailing space is Consul's.
  if (locality && (locality.Mode ?? '') !== '')
    problems.push({ field: 'PrioritizeByLocality.Mode', message: 'Prioritize-by-locality requires Consul Enterprise ' });
  return problems;
}
