// Which Consul versions consul-gitops models, and the version that introduced each field newer than
// the oldest supported one: a file using such a field against an older Consul would be answered
// `invalid config key` (agent/structs/config_entry_ce.go validateUnusedKeys), so validate says so first.
// docs/consul-versions.md explains the choice of range and the sources.

export interface ConsulVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * HashiCorp supports the current and the two previous minor releases (N-2): on 2026-11-30 that is
 * 1.22, 2.0 (2026-05-22) and 2.1 (2026-10-21); the newest is modelled. A target outside the range is
 * still checked against its own version (FIELD_SINCE, version rules), and told it is unsupported.
 */
export const SUPPORTED_CONSUL = { oldest: '1.22.0', newest: '2.1.0' } as const;

export function parseConsulVersion(text: string): ConsulVersion | undefined {
  // `1.21.4`, `v1.22.0`, `1.22.0+ent`, `1.22.0-rc1`: the numeric core decides.
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function compareVersions(a: ConsulVersion, b: ConsulVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export const formatVersion = (v: ConsulVersion) => `${v.major}.${v.minor}.${v.patch}`;

/**
 * The versions `atLeast` compares against, parsed once each: they are a handful of literals (FIELD_SINCE,
 * SUPPORTED_CONSUL), and the dev server asks on every service-defaults write (furtherWritePermission),
 * where the regex cost more than the rest of that check.
 */
const parsedSince = new Map<string, ConsulVersion>();

function v(text: string): ConsulVersion {
  let parsed = parsedSince.get(text);
  if (!parsed) parsedSince.set(text, (parsed = parseConsulVersion(text)!));
  return parsed;
}

export function atLeast(version: ConsulVersion, since: string): boolean {
  return compareVersions(version, v(since)) >= 0;
}

/**
 * Per kind, field paths (as in src/model/consul-aliases.ts: `[]` a list element, `{}` a map value)
 * and the Consul version whose api structs first have them. Fields not listed exist in every
 * supported version. The evidence for each (Consul pull requests and their backports, consul-k8s
 * release tags and the consul/api version each pins) is in docs/consul-versions.md; entries still
 * marked † there are the best reading of it, not a release tag's source.
 */
/** api-gateway and http-route `ExtAuthz` (see FIELD_SINCE): the first Consul 2.0 patch after the backport of 2026-07-03. */
const EXT_AUTHZ_SINCE = '2.0.2';

export const FIELD_SINCE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // MaxRequestHeadersKB: hashicorp/consul#22679 (api-gateway listeners, merged to main in September
  // 2025, so in 1.22.0; also backported to release/1.21.x, #22730) and #22737 (service-defaults, merged
  // the same month). A later 1.21 patch has the api-gateway field too; which one is not known here.
  'service-defaults': {
    MaxRequestHeadersKB: '1.22.0',
    ...passiveHealthCheckSince('UpstreamConfig.Overrides[]'),
    ...passiveHealthCheckSince('UpstreamConfig.Defaults'),
    // UpstreamLimits.PassiveHealthCheck: .changelog/23783.txt files it as a feature ("add
    // `PassiveHealthCheck` to gateway-level default upstream limits and route service-level limit
    // overrides"), merged to main in August 2026, after 2.0.0 and before 2.1.0, no 2.0.x backport found.
    // One Go struct, so service-defaults' upstream Limits gain it with the gateway's.
    ...upstreamLimitsPassiveHealthCheckSince(['UpstreamConfig.Overrides[].Limits', 'UpstreamConfig.Defaults.Limits']),
  },
  'ingress-gateway': {
    ...passiveHealthCheckSince('Listeners[].Services[]'),
    ...passiveHealthCheckSince('Defaults'),
  },
  // SDS on api-gateway listeners and route services: consul-k8s writes them from v2.0.0 on (consul/api
  // v1.34.x, the Consul 2.0 line); its 1.9.x line (Consul 1.22, api v1.33.x) never does, so a 1.22
  // target is warned.
  // Gateway-level TLS (Consul PR #23647) and tcp-route service TLS are in the newest Consul source
  // only; consul-k8s 2.0.3 writes neither, so 2.0.0 is a lower bound (docs/consul-versions.md †).
  'api-gateway': {
    'Listeners[].MaxRequestHeadersKB': '1.22.0',
    'Listeners[].TLS.SDS': '2.0.0',
    TLS: '2.0.0',
    // `TLS { Enabled = true }` (zero-touch downstream TLS with the Connect leaf): .changelog/23647.txt
    // (hashicorp/consul, read at 8aa0091) files it as a feature of #23647, opened 2026-06-09, after
    // 2.0.0 (2026-05-22), no release/2.0.x backport seen: a 2.1.0 field (†: lower bound).
    'TLS.Enabled': '2.1.0',
    // Defaults *UpstreamLimits: hashicorp/consul#23551 checks its zero values and was backported to
    // release/2.0.x only (#23556, merged 2026-05-14, before 2.0.0); see docs/consul-versions.md.
    Defaults: '2.0.0',
    ...upstreamLimitsPassiveHealthCheckSince(['Defaults']),
    // ExtAuthz (gateway-wide and per-route, empty structs in CE): hashicorp/consul#23703, backported to
    // release/2.0.x as #23708 on 2026-07-03, six weeks after 2.0.0 (which lacks it). consul-k8s, released
    // with each Consul patch, first writes it in 2.0.2 (July 14, 2026: "Requires a Consul version with
    // API Gateway ext_authz support", GH-5444); its 2.0.1 (June 24, 2026, before the backport) does not.
    // So 2.0.2 is taken (†: the Consul 2.0.2 changelog itself was not readable; docs/consul-versions.md).
    ExtAuthz: EXT_AUTHZ_SINCE,
  },
  // Credential injection: in Consul's 2026 sources (agent/structs/config_entry_gateways_credential_ce.go,
  // api/config_entry_credential_injection_test.go) but in no release changelog found; dated as the
  // newest modelled version, so every older target is warned (docs/consul-versions.md).
  // mesh TLS ECDHCurves: in config_entry_mesh.go at hashicorp/consul 03658a0 (2026) with its checks
  // (validateECDHCurves), in no release changelog found and not in consul-k8s's Mesh CRD (a507b1d,
  // 2026-08-20): dated as the newest modelled version, a lower bound (docs/consul-versions.md †).
  mesh: {
    'TLS.Incoming.ECDHCurves': '2.1.0',
    'TLS.Outgoing.ECDHCurves': '2.1.0',
  },
  'terminating-gateway': {
    CredentialInjection: '2.1.0',
    'Services[].Credential': '2.1.0',
  },
  'http-route': {
    'Rules[].Filters.ExtAuthz': EXT_AUTHZ_SINCE,
    'Rules[].Services[].Filters.ExtAuthz': EXT_AUTHZ_SINCE,
    'Rules[].Services[].TLS': '2.0.0',
    // The route service's override of the gateway's Defaults, the same pull requests (#23551, #23556).
    'Rules[].Services[].Limits': '2.0.0',
    ...upstreamLimitsPassiveHealthCheckSince(['Rules[].Services[].Limits']),
  },
  'tcp-route': {
    'Services[].TLS': '2.0.0',
    // hashicorp/consul#23783 names tcp-route services with http-route's as the place of the override.
    'Services[].Limits': '2.0.0',
    ...upstreamLimitsPassiveHealthCheckSince(['Services[].Limits']),
  },
};

/**
 * PassiveHealthCheck's gateway-failure counters: hashicorp/consul#23563, merged to main on
 * 2026-05-19 and backported to release/2.0.x only (#23569), three days before Consul 2.0.0.
 */
function passiveHealthCheckSince(owner: string): Record<string, string> {
  const at = `${owner}.PassiveHealthCheck`;
  return {
    [`${at}.EnforcingConsecutiveGatewayFailure`]: '2.0.0',
    [`${at}.Consecutive5xx`]: '2.0.0',
    [`${at}.ConsecutiveGatewayFailure`]: '2.0.0',
  };
}

/** UpstreamLimits.PassiveHealthCheck under each place the struct is: Consul 2.1.0 (hashicorp/consul#23783). */
function upstreamLimitsPassiveHealthCheckSince(owners: readonly string[]): Record<string, string> {
  return Object.fromEntries(owners.map((owner) => [`${owner}.PassiveHealthCheck`, '2.1.0']));
}

/** Whether `version` has every dated field of one kind: then no walk over the entry is needed. */
function knowsEveryFieldOf(since: Readonly<Record<string, string>>, version: ConsulVersion): boolean {
  for (const k in since) if (!atLeast(version, since[k])) return false;
  return true;
}

/** A field path with its list indexes and map keys made generic: `Listeners[2].Services[0]` → `Listeners[].Services[]`. */
export function genericPath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

export interface TooNewField {
  /** The concrete path in the entry (`UpstreamConfig.Overrides[1].PassiveHealthCheck.Consecutive5xx`). */
  path: string;
  since: string;
}

/**
 * Fields of an entry (API form) that `version` does not know yet. `given`: the paths the file or
 * body wrote (decoded field positions), for a field whose value the decoder dropped as empty
 * (`ExtAuthz {}`): an older Consul still sees the key and refuses it.
 */
export function fieldsNewerThan(entry: Record<string, unknown> & { Kind: string }, version: ConsulVersion, given?: Iterable<string>): TooNewField[] {
  const since = FIELD_SINCE[entry.Kind];
  if (!since || knowsEveryFieldOf(since, version)) return [];
  const out: TooNewField[] = [];
  const visit = (value: unknown, path: string): void => {
    if (path) {
      const introduced = since[genericPath(path)];
      if (introduced && !atLeast(version, introduced)) {
        out.push({ path, since: introduced });
        return;
      }
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value && typeof value === 'object')
      for (const [k, item] of Object.entries(value)) if (!(path === '' && k === 'Kind')) visit(item, path ? `${path}.${k}` : k);
  };
  visit(entry, '');
  if (given)
    for (const path of given) {
      const introduced = since[genericPath(path)];
      if (!introduced || atLeast(version, introduced)) continue;
      // A field inside one already reported (or reported itself) is not reported again.
      if (out.some((f) => path === f.path || path.startsWith(`${f.path}.`) || path.startsWith(`${f.path}[`))) continue;
      out.push({ path, since: introduced });
    }
  return out;
}
