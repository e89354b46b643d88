// The api-gateway listener TLS Consul builds when it programs the gateway's Envoy: gateway-level TLS
// with each listener's TLS laid over it (agent/xds listeners for api-gateway, resolveAPIListenerTLSConfig,
// newest Consul; see docs/consul-versions.md). Consul accepts the write and fails later, when it builds
// the listeners, with the errors below; validate says so first, as a warning, since the write succeeds.
import { configEntryError, type ConfigEntryError } from '../model/errors.ts';
import { positionOf, type DecodedEntry } from '../decode/entry-source.ts';

type SDS = { ClusterName?: string; CertResource?: string };
type GatewayTLS = { SDS?: SDS; TLSMinVersion?: string; CipherSuites?: string[] };
type ListenerTLS = { SDS?: SDS; MinVersion?: string; CipherSuites?: string[] };
type Listener = { TLS?: ListenerTLS };

/** agent/xds tlsVersionsWithConfigurableCipherSuites: unset, TLS_AUTO and TLS 1.0 to 1.2. */
const CIPHERS_CONFIGURABLE = ['', 'TLS_AUTO', 'TLSv1_0', 'TLSv1_1', 'TLSv1_2'];

export interface ListenerTLSProblem {
  field: string;
  /** Consul's error text, verbatim. */
  message: string;
}

/** The errors resolveAPIListenerTLSConfig would return for each listener of one api-gateway (API form). */
export function apiGatewayListenerTLSProblems(entry: Record<string, unknown>): ListenerTLSProblem[] {
  if (entry.Kind !== 'api-gateway') return [];
  const gateway = (entry.TLS ?? {}) as GatewayTLS;
  const listeners = (Array.isArray(entry.Listeners) ? entry.Listeners : []) as Listener[];
  const problems: ListenerTLSProblem[] = [];
  listeners.forEach((l, i) => {
    const tls = l?.TLS ?? {};
    const at = `Listeners[${i}].TLS`;
    // A listener's SDS fills its blanks from the gateway's.
    let sds: SDS | undefined = gateway.SDS ? { ...gateway.SDS } : undefined;
    if (tls.SDS) sds = { ClusterName: tls.SDS.ClusterName || sds?.ClusterName || '', CertResource: tls.SDS.CertResource || sds?.CertResource || '' };
    if (sds) {
      const hasCluster = !!sds.ClusterName;
      const hasCert = !!sds.CertResource;
      if (hasCert && !hasCluster) {
        problems.push({ field: tls.SDS ? `${at}.SDS` : 'TLS.SDS', message: 'invalid TLS.SDS configuration: ClusterName is required when CertResource is set' });
        return;
      }
      if (tls.SDS && hasCluster && !hasCert) {
        problems.push({ field: `${at}.SDS`, message: 'invalid TLS.SDS configuration: CertResource is required when ClusterName is set' });
        return;
      }
    }
    const minVersion = tls.MinVersion || gateway.TLSMinVersion || '';
    const ciphers = tls.CipherSuites?.length ? tls.CipherSuites : (gateway.CipherSuites ?? []);
    // A listener that sets both itself is refused at write time (write-checks/api-gateway.ts).
    const ownConflict = !!tls.CipherSuites?.length && !!tls.MinVersion;
    if (ciphers.length && !CIPHERS_CONFIGURABLE.includes(minVersion) && !ownConflict)
      problems.push({
        field: tls.MinVersion ? `${at}.MinVersion` : 'TLS.TLSMinVersion',
        message: `configuring CipherSuites is only applicable to connections negotiated with TLS 1.2 or earlier, TLSMinVersion is set to ${minVersion} in config`,
      });
  });
  return problems;
}

/** One warning per listener whose merged TLS Consul would refuse when it builds the gateway. */
export function gatewayTLSWarnings(entries: readonly DecodedEntry[]): ConfigEntryError[] {
  return entries.flatMap((d) =>
    // Gateway-level TLS that fails for every listener is said once.
    unique(apiGatewayListenerTLSProblems(d.entry)).map((p) =>
      configEntryError(
        'validate',
        d.file,
        positionOf(d, p.field),
        p.field,
        `Consul accepts this entry, but then fails to build the gateway's listeners: ${p.message}`,
        'set both ClusterName and CertResource where the listener and gateway TLS meet, and CipherSuites only with a TLSMinVersion of TLSv1_2 or lower',
      ),
    ),
  );
}

function unique(problems: ListenerTLSProblem[]): ListenerTLSProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
