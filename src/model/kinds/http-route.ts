// http-route: HTTP routing rules bound to api-gateway listeners (api/config_entry_routes.go HTTPRouteConfigEntry).
import { aliased, bool, durationNs, int, list, map, obj, pointer, str, strings, type FieldType } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { gatewayServiceTLS, meta, upstreamLimits, validateMeta, withKind } from './common.ts';
import { atLeast } from '../consul-versions.ts';
import { apiGatewayJWTProviders, ceJwtProblems, configEntryStatus, resourceReference } from './api-gateway.ts';
import { HTTP_METHODS, goQuote } from './service-router.ts';
import { normalizeParents, routeServiceLimitsProblem, validateParents, type RouteService } from './tcp-route.ts';

const headerFilter = obj({ Add: map(str), Remove: strings, Set: map(str) });

// None of the route filter structs carry alias tags: multi-word fields decode only by case variants.
// `URLRewrite`, `RetryFilter`, `TimeoutFilter`, `JWT` and `ExtAuthz` are pointers without omitempty
// (agent/structs/config_entry_routes.go HTTPFilters at hashicorp/consul 5c48b0b): GET answers a nil
// one as `null` and `RetryFilter {}` as its zero fields (none of them is omitempty), so the set block is
// kept; agent/xds reads each for non-nil (a `URLRewrite {}` rewrites the prefix to "").
const httpFilters: FieldType = obj({
  Headers: list(headerFilter),
  URLRewrite: aliased(pointer(obj({ Path: str }))),
  RetryFilter: aliased(
    pointer(
      obj({
        NumRetries: aliased(int),
        RetryOn: aliased(strings),
        RetryOnStatusCodes: aliased(list(int)),
        RetryOnConnectFailure: aliased(bool),
      }),
    ),
  ),
  TimeoutFilter: aliased(pointer(obj({ RequestTimeout: aliased(durationNs), IdleTimeout: aliased(durationNs) }))),
  JWT: pointer(obj({ Providers: apiGatewayJWTProviders })),
  // The newest Consul's per-route ext_authz switch (FIELD_SINCE): structs.HTTPFilters.ExtAuthz
  // *HTTPRouteExtAuthzFilter (agent/structs/config_entry_routes.go at hashicorp/consul 5c48b0b), an
  // empty struct in CE (config_entry_apigw_extauthz_ce.go; TestExtAuthzStructsEmptyInCE). The api
  // struct's `Enabled bool` (api/config_entry_routes.go at 03658a0) is Enterprise's field, so a CE
  // server refuses it as an invalid config key, as the decoder does here.
  // No alias tag (api HTTPFilters.ExtAuthz): `ext_authz` is an invalid config key. A pointer:
  // `ExtAuthz {}` is stored and GET answers `{}`, so it is the switch's whole value.
  ExtAuthz: aliased(pointer(obj({}))),
});
const httpResponseFilters = aliased(obj({ Headers: list(headerFilter) }));

const httpMatch = obj({
  Headers: list(obj({ Match: str, Name: str, Value: str })),
  Method: str,
  Path: obj({ Match: str, Value: str }),
  Query: list(obj({ Match: str, Name: str, Value: str })),
});

type Match = { Headers?: Record<string, string>[]; Method?: string; Path?: { Match?: string; Value?: string }; Query?: Record<string, string>[] };
type Rule = Record<string, unknown> & { Matches?: Match[]; Services?: (Record<string, unknown> & { Weight?: number })[] };

const HEADER_MATCHES = ['exact', 'prefix', 'regex', 'suffix', 'present'];
const QUERY_MATCHES = ['exact', 'present', 'regex'];

function validateMatch(m: Match, at: string, prefix: string): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const method = m.Method ?? '';
  if (method && !HTTP_METHODS.includes(method))
    problems.push({ field: `${at}.Method`, message: `${prefix}Method contains an invalid method ${goQuote(method)}` });
  (m.Query ?? []).forEach((q, i) => {
    const p = `${prefix}Query[${i}], `;
    if (!q.Name) problems.push({ field: `${at}.Query[${i}].Name`, message: `${p}missing required Name field` });
    else if (!QUERY_MATCHES.includes(q.Match ?? ''))
      problems.push({ field: `${at}.Query[${i}].Match`, message: `${p}match type should be one of present, exact, or regex` });
  });
  (m.Headers ?? []).forEach((h, i) => {
    const p = `${prefix}Headers[${i}], `;
    if (!h.Name) problems.push({ field: `${at}.Headers[${i}].Name`, message: `${p}missing required Name field` });
    else if (!HEADER_MATCHES.includes(h.Match ?? ''))
      problems.push({
        field: `${at}.Headers[${i}].Match`,
        message: `${p}match type should be one of present, exact, prefix, suffix, or regex`,
      });
  });
  const path = m.Path ?? {};
  const kind = path.Match ?? '';
  if (kind === 'exact' || kind === 'prefix') {
    if (!(path.Value ?? '').startsWith('/'))
      problems.push({
        field: `${at}.Path.Value`,
        message: `${prefix}Path, ${kind} type match doesn't start with '/': ${goQuote(path.Value ?? '')}`,
      });
  } else if (kind !== 'regex') problems.push({ field: `${at}.Path.Match`, message: `${prefix}Path, match type should be one of exact, prefix, or regex` });
  return problems;
}

/**
 * agent/structs/config_entry_routes.go HTTPRouteConfigEntry.Normalize: a service's Weight used to
 * become 1 when `<= 0`; newer Consul keeps 0 ("no traffic", so a backend can be drained) and only
 * turns a negative weight into 1. hashicorp/consul#23216 (in 2.0.0), backported to release/1.22.x as
 * #23305 (merged 2026-03-11) and released in 1.22.6 (March 23, 2026): CHANGELOG.md lists it under
 * 1.22.6 (post-release PR #23462). 1.22.0 to 1.22.5 still turn 0 into 1 (docs/consul-versions.md).
 */
export const ZERO_WEIGHT_KEPT_SINCE = '1.22.6';

type Service = Record<string, unknown> & { Weight?: number };

function normalizeWeight(s: Service, zeroMeansNoTraffic: boolean): Service {
  const w = typeof s.Weight === 'number' ? s.Weight : 0;
  if (w < 0 || (w === 0 && !zeroMeansNoTraffic)) return { ...s, Weight: 1 };
  return s;
}

type Filters = { JWT?: unknown } | undefined;

/** A rule's and each of its services' `Filters.JWT` keys, in the order mapstructure meets them. */
function ceJwtFilterProblems(rules: Rule[] | undefined): EntryProblem[] {
  const out: EntryProblem[] = [];
  (rules ?? []).forEach((r, i) => {
    out.push(...ceJwtProblems((r.Filters as Filters)?.JWT, `Rules[${i}].Filters.JWT`));
    (r.Services ?? []).forEach((s, j) => out.push(...ceJwtProblems((s.Filters as Filters)?.JWT, `Rules[${i}].Services[${j}].Filters.JWT`)));
  });
  return out;
}

export const httpRoute: KindDefinition = {
  kind: 'http-route',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    Parents: list(resourceReference),
    Rules: list(
      obj({
        Filters: httpFilters,
        ResponseFilters: httpResponseFilters,
        Matches: list(httpMatch),
        Services: list(
          obj({
            Name: str,
            Weight: int,
            Filters: httpFilters,
            ResponseFilters: httpResponseFilters,
            // api HTTPService.TLS *GatewayServiceTLSConfig{SDS}: the certificate the gateway serves
            // for this backend (consul-k8s translation.go translateHTTPFilters, RouteTLSSDSFilter).
            TLS: gatewayServiceTLS,
            // api HTTPService.Limits *UpstreamLimits: this backend's limits over the gateway's
            // `Defaults` (consul-k8s translation.go translateBackendRefLimits, RouteUpstreamLimitsFilter).
            // Both `json:",omitempty"` pointers in structs.HTTPService (5c48b0b): `{}` stored and answered.
            Limits: pointer(upstreamLimits),
            Partition: str,
            Namespace: str,
          }),
        ),
      }),
    ),
    Hostnames: strings,
    ...meta,
    Partition: str,
    Namespace: str,
    // Read-only: Consul ignores Status on write.
    Status: configEntryStatus,
  },
  normalize(entry, consul) {
    const zeroMeansNoTraffic = !consul || atLeast(consul, ZERO_WEIGHT_KEPT_SINCE);
    const out: ApiEntry = { ...withKind(entry, 'http-route') };
    const parents = normalizeParents(out.Parents);
    if (parents) out.Parents = parents;
    const rules = out.Rules as Rule[] | undefined;
    if (rules)
      out.Rules = rules.map((r) => {
        const n: Rule = { ...r };
        if (r.Matches)
          n.Matches = r.Matches.map((m) => {
            const nm: Match = { ...m };
            if (typeof m.Method === 'string') nm.Method = m.Method.toUpperCase();
            if (!m.Path?.Match) nm.Path = { Match: 'prefix', Value: '/' };
            return nm;
          });
        if (r.Services) n.Services = r.Services.map((s) => normalizeWeight(s, zeroMeansNoTraffic));
        return n;
      });
    return out;
  },
  validate(entry) {
    // CE's empty JWTFilter (config_entry_apigw_jwt_ce.go): a key inside is refused while decoding, before Validate runs.
    const problems: EntryProblem[] = ceJwtFilterProblems(entry.Rules as Rule[] | undefined);
    ((entry.Hostnames as string[] | undefined) ?? []).forEach((h, i) => {
      // dns.IsDomainName is approximated: labels of 1-63 octets, total ≤ 253.
      const labels = h.replace(/\.$/, '').split('.');
      if (!h || h.length > 254 || labels.some((l) => l.length === 0 || l.length > 63))
        problems.push({ field: `Hostnames[${i}]`, message: `host ${goQuote(h)} must be a valid DNS hostname` });
      else if (h.includes('*')) problems.push({ field: `Hostnames[${i}]`, message: `host ${goQuote(h)} must not be a wildcard` });
    });
    problems.push(...validateParents(entry.Parents as never), ...validateMeta(entry));
    ((entry.Rules as Rule[] | undefined) ?? []).forEach((r, i) => {
      (r.Matches ?? []).forEach((m, j) => {
        problems.push(...validateMatch(m, `Rules[${i}].Matches[${j}]`, `Rule[${i}], Match[${j}], `));
      });
      // validateHTTPService (hashicorp/consul 5c48b0b): UpstreamLimits.Validate of each service's
      // Limits. Its SDS step is left to gateway-tls-merge's warnings (docs/fidelity.md, stop 15).
      (r.Services ?? []).forEach((s, j) => {
        const at = `Rules[${i}].Services[${j}]`;
        const prefix = `Rule[${i}], Service[${j}], `;
        const p = routeServiceLimitsProblem(s as RouteService, at, prefix);
        if (p) problems.push(p);
      });
    });
    return problems;
  },
};
