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

/** The SDS a listener ends up with: its own, blanks filled from the gateway's. */
function mergedSDS(gateway: GatewayTLS, tls: ListenerTLS): SDS | undefined {
  let sds: SDS | undefined = gateway.SDS ? { ...gateway.SDS } : undefined;
  if (tls.SDS) sds = { ClusterName: tls.SDS.ClusterName || sds?.ClusterName || '', CertResource: tls.SDS.CertResource || sds?.CertResource || '' };
  return sds;
}

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
    const sds = mergedSDS(gateway, tls);
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

/** A tree's api-gateways by Name (the first of a name, as a search of the tree finds it): made once per tree, see apiGatewaysOf. */
export type ApiGateways = ReadonlyMap<unknown, Record<string, unknown>>;

/**
 * The api-gateways of `entries` by Name, for the routes' checks: once per tree, not a search of the
 * whole tree per route parent (10,000 routes with SDS services against 10,000 entries: 10^8 reads).
 */
export function apiGatewaysOf(entries: readonly Record<string, unknown>[]): ApiGateways {
  // Keyed by the Name as it is (not only strings), so a lookup matches what `===` matched.
  const out = new Map<unknown, Record<string, unknown>>();
  for (const e of entries) if (e.Kind === 'api-gateway' && !out.has(e.Name)) out.set(e.Name, e);
  return out;
}

type Route = {
  Kind?: string;
  Name?: string;
  Parents?: { Kind?: string; Name?: string; SectionName?: string }[];
  Services?: { Name?: string; TLS?: { SDS?: SDS } }[];
  Rules?: { Services?: { Name?: string; TLS?: { SDS?: SDS } }[] }[];
};

/**
 * agent/xds collectAPIGatewayServiceSDSOverridesWithResolvedTLS: a route service's SDS without a
 * ClusterName takes the listener's (merged) one; with none there, building the listener fails. Judged
 * for the gateways of the same tree, on the listeners a parent reference can bind to: the named
 * section, else every listener of the route's protocol.
 */
export function routeServiceTLSProblems(route: Record<string, unknown>, gateways: ApiGateways): ListenerTLSProblem[] {
  const r = route as Route;
  const protocol = r.Kind === 'http-route' ? 'http' : r.Kind === 'tcp-route' ? 'tcp' : undefined;
  if (!protocol) return [];
  const services =
    protocol === 'tcp'
      ? (r.Services ?? []).map((svc, j) => ({ svc, at: `Services[${j}]` }))
      : (r.Rules ?? []).flatMap((rule, i) => (rule?.Services ?? []).map((svc, j) => ({ svc, at: `Rules[${i}].Services[${j}]` })));
  const clusterless = services.filter(({ svc }) => svc?.TLS?.SDS && !svc.TLS.SDS.ClusterName);
  if (!clusterless.length) return [];
  const listeners = (r.Parents ?? []).flatMap((p) => {
    if ((p.Kind ?? 'api-gateway') !== 'api-gateway') return [];
    const gateway = gateways.get(p.Name);
    if (!gateway) return [];
    const all = (Array.isArray(gateway.Listeners) ? gateway.Listeners : []) as (Listener & { Name?: string; Protocol?: string })[];
    const bound = p.SectionName ? all.filter((l) => l?.Name === p.SectionName) : all.filter((l) => (l?.Protocol ?? '').toLowerCase() === protocol);
    return bound.map((l) => mergedSDS((gateway.TLS ?? {}) as GatewayTLS, l?.TLS ?? {}));
  });
  if (!listeners.some((sds) => !sds?.ClusterName)) return [];
  return clusterless.map(({ svc, at }) => ({
    field: `${at}.TLS.SDS`,
    message: `route ${JSON.stringify(r.Name ?? '')} service ${JSON.stringify(svc.Name ?? '')} sets TLS.SDS without ClusterName and no listener or gateway TLS.SDS.ClusterName is available`,
  }));
}

/** One warning per listener or route service whose merged TLS Consul would refuse when it builds the gateway. */
export function gatewayTLSWarnings(entries: readonly DecodedEntry[]): ConfigEntryError[] {
  const gateways = apiGatewaysOf(entries.map((d) => d.entry as Record<string, unknown>));
  return entries.flatMap((d) => entryGatewayTLSWarnings(d, gateways));
}

/** The warnings of one entry, judged with the api-gateways of its tree (apiGatewaysOf: routes need their gateways). */
export function entryGatewayTLSWarnings(d: DecodedEntry, gateways: ApiGateways): ConfigEntryError[] {
  // Gateway-level TLS that fails for every listener is said once.
  return unique([...apiGatewayListenerTLSProblems(d.entry), ...routeServiceTLSProblems(d.entry, gateways)]).map((p) =>
    configEntryError(
      'validate',
      d.file,
      positionOf(d, p.field),
      p.field,
      `Consul accepts this entry, but then fails to build the gateway's listeners: ${p.message}`,
      'give TLS.SDS a ClusterName at the gateway, listener or route service, a CertResource with every ClusterName a listener sets, and CipherSuites only with a TLSMinVersion of TLSv1_2 or lower',
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
