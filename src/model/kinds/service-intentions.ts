// service-intentions: who may call a destination service (L4 action or L7 permissions).
import { bool, int, list, obj, pointer, str, stringMap, strings, time } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, tenancy, validateMeta, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { asObject } from '../response-noise.ts';
import { fieldText } from '../field-text.ts';
import { setOwn } from '../own-key.ts';

// `JWT *IntentionJWTRequirement` (the entry's and each permission's) and `HTTP
// *IntentionHTTPPermission` are pointers with `omitempty` fields inside (agent/structs/
// config_entry_intentions.go): `HTTP {}` is a set, empty permission ("…HTTP should not be empty"),
// not a missing one ("…HTTP is required"), and `JWT {}` is stored and answered as `{}`.
const jwtRequirement = pointer(
  obj({
    Providers: list(obj({ Name: str, VerifyClaims: list(obj({ Path: strings, Value: str })) })),
  }),
);

const permission = obj({
  Action: str,
  HTTP: pointer(
    obj({
      PathExact: str,
      PathPrefix: str,
      PathRegex: str,
      Header: list(
        obj({
          Name: str,
          Present: bool,
          Exact: str,
          Prefix: str,
          Suffix: str,
          Contains: str,
          Regex: str,
          IgnoreCase: bool,
          Invert: bool,
        }),
      ),
      Methods: strings,
    }),
  ),
  JWT: jwtRequirement,
});

const source = obj({
  Name: str,
  Peer: str,
  Partition: str,
  Namespace: str,
  SamenessGroup: str,
  Action: str,
  Permissions: list(permission),
  Precedence: int,
  Type: str,
  Description: str,
  LegacyID: str,
  LegacyMeta: stringMap,
  LegacyCreateTime: time,
  LegacyUpdateTime: time,
});

type Source = Record<string, unknown> & { Name?: string; Action?: string; Permissions?: Permission[] };
type Permission = { Action?: string; HTTP?: Record<string, unknown> & { Methods?: string[]; Header?: Record<string, unknown>[] } };

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/** computeIntentionPrecedence for CE (no namespaces): exact destination 9, wildcard 6; minus 1 for a wildcard source. */
export function intentionPrecedence(destination: string, sourceName: string): number {
  return (destination === '*' ? 6 : 9) - (sourceName === '*' ? 1 : 0);
}

/** Fields Consul's Normalize clears on each source (SourceIntention.LegacyID, LegacyCreateTime, LegacyUpdateTime). */
const LEGACY_SOURCE_FIELDS = new Set(['LegacyID', 'LegacyCreateTime', 'LegacyUpdateTime']);

/**
 * A copy of the source without its legacy fields, keys in the source's order: what
 * `{ ...s }` then three `delete`s made, built key by key. The spread plus deletes was about ten
 * times slower per source, and every source of every entry, file and Consul's, is normalised per plan.
 */
function sourceWithoutLegacy(s: Source): Source {
  const n: Record<string, unknown> = {};
  for (const k in s) {
    if (!Object.hasOwn(s, k) || LEGACY_SOURCE_FIELDS.has(k)) continue;
    const v = (s as Record<string, unknown>)[k];
    // A key named __proto__ stays an own property, as the spread kept it.
    setOwn(n, k, v);
  }
  return n;
}

/** ServiceIntentionsConfigEntry as encoding/json prints it; each source always shows Precedence and Type. */
const responseShape: ResponseShape = {
  fields: [['Kind'], ['Name'], ['Sources', null], ['JWT'], ['Meta']],
  inner(out) {
    if (!Array.isArray(out.Sources)) return;
    out.Sources = out.Sources.map((s) => {
      // SourceIntention field order: …, Action, Permissions, Precedence, LegacyID, Type, Description, …
      const src = asObject(s);
      const next: Record<string, unknown> = {};
      for (const k of ['Name', 'Peer', 'SamenessGroup', 'Action', 'Permissions']) if (k in src) next[k] = src[k];
      next.Precedence = src.Precedence ?? 0;
      next.Type = src.Type ?? '';
      for (const [k, v] of Object.entries(src)) if (!(k in next)) next[k] = v;
      return next;
    });
  },
};

export const serviceIntentions: KindDefinition = {
  kind: 'service-intentions',
  crdKind: 'ServiceIntentions',
  applyOrder: 80,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'intention', write: 'intention' },
  responseShape,
  nameRule: { rule: 'named', wildcardAllowed: true },
  fields: { Name: str, ...tenancy, Sources: list(source), JWT: jwtRequirement, ...meta },
  normalize(entry) {
    const out: ApiEntry = withKind(entry, 'service-intentions');
    const destination = (out.Name as string | undefined) ?? '';
    const sources = ((out.Sources as Source[] | undefined) ?? []).map((s) => {
      const n = sourceWithoutLegacy(s);
      n.Type = s.Type || 'consul';
      n.Precedence = intentionPrecedence(destination, s.Name ?? '');
      if (s.Permissions)
        n.Permissions = s.Permissions.map((p) => (p.HTTP?.Methods ? { ...p, HTTP: { ...p.HTTP, Methods: p.HTTP.Methods.map((m) => m.toUpperCase()) } } : p));
      return n;
    });
    // Array.prototype.sort is stable, as Consul's sort.SliceStable.
    sources.sort((a, b) => (b.Precedence as number) - (a.Precedence as number));
    if (out.Sources !== undefined) out.Sources = sources;
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [];
    const name = (entry.Name as string | undefined) ?? '';
    if (!name) problems.push({ field: 'Name', message: 'Name is required' });
    else if (name !== '*' && name.includes('*')) problems.push({ field: 'Name', message: "Name: wildcard character '*' cannot be used with partial values" });
    const sources = (entry.Sources as Source[] | undefined) ?? [];
    if (sources.length === 0) problems.push({ field: 'Sources', message: 'At least one source is required' });
    // Duplicates are looked for only among two or more sources: one source (nearly every entry) needs no set and no key.
    const seen = sources.length > 1 ? new Set<string>() : undefined;
    sources.forEach((s, i) => {
      const at = `Sources[${i}]`;
      if (!s.Name) problems.push({ field: `${at}.Name`, message: `${at}.Name is required` });
      else if (s.Name !== '*' && s.Name.includes('*'))
        problems.push({ field: `${at}.Name`, message: `${at}.Name: wildcard character '*' cannot be used with partial values` });
      if (seen) {
        // Concatenated, not an array mapped and joined: validation asks this of every source of every entry.
        const key = `${fieldText(s.Peer)}/${fieldText(s.Partition)}/${fieldText(s.Namespace)}/${fieldText(s.Name)}`;
        if (seen.has(key)) problems.push({ field: `${at}.Name`, message: `${at} defines "${s.Name}" more than once` });
        seen.add(key);
      }
      if (typeof s.Description === 'string' && s.Description.length > 512)
        problems.push({ field: `${at}.Description`, message: `${at}.Description exceeds maximum length 512` });
      if (s.LegacyMeta) problems.push({ field: `${at}.LegacyMeta`, message: `${at}.LegacyMeta must be omitted` });
      if (s.Type && s.Type !== 'consul') problems.push({ field: `${at}.Type`, message: `${at}.Type must be set to 'consul'` });
      const perms = s.Permissions ?? [];
      if (perms.length === 0) {
        if (s.Action !== 'allow' && s.Action !== 'deny') problems.push({ field: `${at}.Action`, message: `${at}.Action must be set to 'allow' or 'deny'` });
        return;
      }
      if (s.Action) problems.push({ field: `${at}.Action`, message: `${at}.Action must be omitted if Permissions are specified` });
      if (name === '*')
        problems.push({ field: `${at}.Permissions`, message: `${at}.Permissions cannot be specified on intentions with wildcarded destinations` });
      perms.forEach((p, j) => {
        const pat = `${at}.Permissions[${j}]`;
        if (p.Action !== 'allow' && p.Action !== 'deny') problems.push({ field: `${pat}.Action`, message: `${pat}.Action must be set to 'allow' or 'deny'` });
        const http = p.HTTP;
        if (!http) {
          problems.push({ field: `${pat}.HTTP`, message: `${pat}.HTTP is required` });
          return;
        }
        const paths = ['PathExact', 'PathPrefix', 'PathRegex'].filter((k) => http[k]);
        if (paths.length > 1)
          problems.push({ field: `${pat}.HTTP`, message: `${pat}.HTTP should only contain at most one of PathExact, PathPrefix, or PathRegex` });
        for (const k of ['PathExact', 'PathPrefix'] as const) {
          const v = http[k];
          if (typeof v === 'string' && v && !v.startsWith('/'))
            problems.push({ field: `${pat}.HTTP.${k}`, message: `${pat}.HTTP.${k} doesn't start with '/': "${v}"` });
        }
        if (paths.length === 0 && !http.Header?.length && !http.Methods?.length)
          problems.push({ field: `${pat}.HTTP`, message: `${pat}.HTTP should not be empty` });
        http.Header?.forEach((h, k) => {
          const set = ['Present', 'Exact', 'Prefix', 'Suffix', 'Contains', 'Regex'].filter((f) => h[f]);
          if (!h.Name) problems.push({ field: `${pat}.HTTP.Header[${k}].Name`, message: `${pat}.Header[${k}] missing required Name field` });
          if (set.length > 1)
            problems.push({
              field: `${pat}.HTTP.Header[${k}]`,
              message: `${pat}.Header[${k}] should only contain one of Present, Exact, Prefix, Suffix, Contains, or Regex`,
            });
        });
        const dup = new Set<string>();
        http.Methods?.forEach((m) => {
          if (!HTTP_METHODS.includes(m)) problems.push({ field: `${pat}.HTTP.Methods`, message: `${pat}.Methods contains an invalid method "${m}"` });
          if (dup.has(m)) problems.push({ field: `${pat}.HTTP.Methods`, message: `${pat}.Methods contains "${m}" more than once` });
          dup.add(m);
        });
      });
    });
    problems.push(...validateMeta(entry));
    return problems;
  },
};

/** True when any source uses L7 permissions, which need an HTTP-like destination protocol. */
export function hasL7Permissions(entry: ApiEntry): boolean {
  return ((entry.Sources as Source[] | undefined) ?? []).some((s) => (s.Permissions ?? []).length > 0);
}
