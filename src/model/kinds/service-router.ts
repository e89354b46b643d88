// service-router: L7 routing rules for one service (api/config_entry_discoverychain.go ServiceRouterConfigEntry).
import { bool, durationStr, list, obj, pointer, str, strings, uint32 } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { httpHeaderModifiers, meta, tenancy, validateMeta, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { routerRelatedServices } from '../related-services.ts';

// Shared definition lives in common.ts; re-exported for the splitter, which imports it from here.
export { httpHeaderModifiers };

const httpMatch = obj({
  PathExact: str,
  PathPrefix: str,
  PathRegex: str,
  CaseInsensitive: bool,
  Header: list(obj({ Name: str, Present: bool, Exact: str, Prefix: str, Suffix: str, Regex: str, Invert: bool })),
  QueryParam: list(obj({ Name: str, Present: bool, Exact: str, Regex: str })),
  Methods: strings,
});

const destination = obj({
  Service: str,
  ServiceSubset: str,
  Namespace: str,
  Partition: str,
  PrefixRewrite: str,
  // Custom MarshalJSON: Go duration strings.
  RequestTimeout: durationStr,
  IdleTimeout: durationStr,
  NumRetries: uint32, // api: uint32
  RetryOnConnectFailure: bool,
  RetryOnStatusCodes: list(uint32),
  RetryOn: strings,
  RequestHeaders: httpHeaderModifiers,
  ResponseHeaders: httpHeaderModifiers,
});

/** Consul's isValidHTTPMethod (net/http method names). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];

const RETRY_CONDITIONS = [
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];

/** Go's %q for the strings config entries carry (printable text). */
export const goQuote = (s: string): string => JSON.stringify(s);

type Route = {
  Match?: { HTTP?: Record<string, unknown> & { Methods?: string[] } };
  Destination?: Record<string, unknown>;
};

/** ServiceRouterConfigEntry as encoding/json prints it. */
const responseShape: ResponseShape = { fields: [['Kind'], ['Name'], ['Routes', null], ['Meta']] };

export const serviceRouter: KindDefinition = {
  kind: 'service-router',
  crdKind: 'ServiceRouter',
  applyOrder: 70,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  relatedServices: routerRelatedServices,
  acl: { read: 'service', write: 'service' },
  responseShape,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    ...tenancy,
    // ServiceRoute's `Match *ServiceRouteMatch`, its `HTTP *ServiceRouteHTTPMatch` and `Destination
    // *ServiceRouteDestination` are pointers, every field inside `omitempty` (agent/structs/
    // config_entry_discoverychain.go): `Match { HTTP {} }` or `Destination {}` is stored and GET
    // answers it as written.
    Routes: list(obj({ Match: pointer(obj({ HTTP: pointer(httpMatch) })), Destination: pointer(destination) })),
    ...meta,
  },
  normalize(entry) {
    // withKind makes a new top level (common.ts), so writing Routes to it leaves the input alone.
    const out: ApiEntry = withKind(entry, 'service-router');
    const routes = out.Routes as Route[] | undefined;
    if (routes)
      out.Routes = routes.map((r) => {
        const http = r?.Match?.HTTP;
        if (!http?.Methods) return r;
        return { ...r, Match: { ...r.Match, HTTP: { ...http, Methods: http.Methods.map((m) => String(m).toUpperCase()) } } };
      });
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [];
    if (!entry.Name) problems.push({ field: 'Name', message: 'Name is required' });
    problems.push(...validateMeta(entry));
    ((entry.Routes as Route[] | undefined) ?? []).forEach((route, i) => {
      const at = `Routes[${i}]`;
      let eligibleForPrefixRewrite = false;
      const http = route?.Match?.HTTP;
      if (http) {
        const hat = `${at}.Match.HTTP`;
        let pathParts = 0;
        for (const k of ['PathExact', 'PathPrefix'] as const) {
          const v = http[k] as string | undefined;
          if (!v) continue;
          eligibleForPrefixRewrite = true;
          pathParts++;
          if (!v.startsWith('/')) problems.push({ field: `${hat}.${k}`, message: `Route[${i}] ${k} doesn't start with '/': ${goQuote(v)}` });
        }
        if (http.PathRegex) pathParts++;
        if (pathParts > 1) problems.push({ field: hat, message: `Route[${i}] should only contain at most one of PathExact, PathPrefix, or PathRegex` });
        ((http.Header as Record<string, unknown>[] | undefined) ?? []).forEach((h, j) => {
          if (!h?.Name) {
            problems.push({ field: `${hat}.Header[${j}].Name`, message: `Route[${i}] Header[${j}] missing required Name field` });
            return;
          }
          const parts = ['Present', 'Exact', 'Regex', 'Prefix', 'Suffix'].filter((f) => h[f]).length;
          if (parts !== 1)
            problems.push({
              field: `${hat}.Header[${j}]`,
              message: `Route[${i}] Header[${j}] should only contain one of Present, Exact, Prefix, Suffix, or Regex`,
            });
        });
        ((http.QueryParam as Record<string, unknown>[] | undefined) ?? []).forEach((q, j) => {
          if (!q?.Name) {
            problems.push({ field: `${hat}.QueryParam[${j}].Name`, message: `Route[${i}] QueryParam[${j}] missing required Name field` });
            return;
          }
          const parts = ['Present', 'Exact', 'Regex'].filter((f) => q[f]).length;
          if (parts !== 1)
            problems.push({
              field: `${hat}.QueryParam[${j}]`,
              message: `Route[${i}] QueryParam[${j}] should only contain one of Present, Exact, or Regex`,
            });
        });
        const seen = new Set<string>();
        for (const m of http.Methods ?? []) {
          if (!HTTP_METHODS.includes(m)) problems.push({ field: `${hat}.Methods`, message: `Route[${i}] Methods contains an invalid method ${goQuote(m)}` });
          else if (seen.has(m)) problems.push({ field: `${hat}.Methods`, message: `Route[${i}] Methods contains ${goQuote(m)} more than once` });
          seen.add(m);
        }
      }
      const dest = route?.Destination;
      if (dest) {
        if (dest.PrefixRewrite && !eligibleForPrefixRewrite)
          problems.push({
            field: `${at}.Destination.PrefixRewrite`,
            message: `Route[${i}] cannot make use of PrefixRewrite without configuring either PathExact or PathPrefix`,
          });
        for (const r of (dest.RetryOn as string[] | undefined) ?? [])
          if (!RETRY_CONDITIONS.includes(r))
            problems.push({ field: `${at}.Destination.RetryOn`, message: `Route[${i}] contains an invalid retry condition: ${goQuote(r)}` });
      }
    });
    return problems;
  },
};
