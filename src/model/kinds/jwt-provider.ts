// jwt-provider: a JWT issuer and its key set, referenced by intentions and api-gateway policies
// (api/config_entry_jwt_provider.go JWTProviderConfigEntry).
import { bool, bytes, durationNs, int, list, obj, pointer, str, strings } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';

/** structs.DefaultClockSkewSeconds, filled in by Normalize when ClockSkewSeconds is 0. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;

type KeySet = {
  Local?: { JWKS?: string; Filename?: string };
  Remote?: {
    URI?: string;
    RetryPolicy?: { RetryPolicyBackOff?: { BaseInterval?: number; MaxInterval?: number } };
    JWKSCluster?: {
      DiscoveryType?: string;
      TLSCertificates?: {
        CaCertificateProviderInstance?: unknown;
        TrustedCA?: { Filename?: string; EnvironmentVariable?: string; InlineString?: string; InlineBytes?: string };
      };
    };
  };
};
type Location = { Header?: { Name?: string }; QueryParam?: { Name?: string }; Cookie?: { Name?: string } };

const DISCOVERY_TYPES = ['', 'STRICT_DNS', 'STATIC', 'LOGICAL_DNS', 'EDS', 'ORIGINAL_DST'];

function validateKeySet(jwks: KeySet): EntryProblem[] {
  const field = 'JSONWebKeySet';
  if (Boolean(jwks.Local) === Boolean(jwks.Remote)) return [{ field, message: 'must specify exactly one of Local or Remote JSON Web key set' }];
  if (jwks.Local) {
    if (Boolean(jwks.Local.JWKS) === Boolean(jwks.Local.Filename))
      return [{ field: `${field}.Local`, message: 'must specify exactly one of String or filename for local keyset' }];
    if (jwks.Local.JWKS && !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(jwks.Local.JWKS))
      return [{ field: `${field}.Local.JWKS`, message: 'JWKS must be valid base64 encoded string' }];
    return [];
  }
  const remote = jwks.Remote!;
  const problems: EntryProblem[] = [];
  // Consul also checks url.ParseRequestURI(URI) (`Remote JWKS URI is invalid: …`), not modelled here.
  if (!remote.URI) problems.push({ field: `${field}.Remote.URI`, message: 'Remote JWKS URI is required' });
  const backoff = remote.RetryPolicy?.RetryPolicyBackOff;
  if (backoff?.MaxInterval && (backoff.BaseInterval ?? 0) > backoff.MaxInterval)
    problems.push({
      field: `${field}.Remote.RetryPolicy.RetryPolicyBackOff`,
      message: "retry policy backoff's MaxInterval should be greater or equal to BaseInterval",
    });
  const cluster = remote.JWKSCluster;
  if (cluster) {
    if (!DISCOVERY_TYPES.includes(cluster.DiscoveryType ?? ''))
      problems.push({
        field: `${field}.Remote.JWKSCluster.DiscoveryType`,
        message: `unsupported jwks cluster discovery type: ${JSON.stringify(cluster.DiscoveryType)}`,
      });
    const tls = cluster.TLSCertificates;
    if (tls) {
      if (Boolean(tls.CaCertificateProviderInstance) === Boolean(tls.TrustedCA))
        problems.push({
          field: `${field}.Remote.JWKSCluster.TLSCertificates`,
          message: "must specify exactly one of: CaCertificateProviderInstance or TrustedCA for JKWS' TLSCertificates",
        });
      else if (tls.TrustedCA) {
        const ca = tls.TrustedCA;
        if ([ca.Filename, ca.EnvironmentVariable, ca.InlineString, ca.InlineBytes].filter(Boolean).length !== 1)
          problems.push({
            field: `${field}.Remote.JWKSCluster.TLSCertificates.TrustedCA`,
            message: "must specify exactly one of: Filename, EnvironmentVariable, InlineString or InlineBytes for JWKS' TrustedCA",
          });
      }
    }
  }
  return problems;
}

export const jwtProvider: KindDefinition = {
  kind: 'jwt-provider',
  crdKind: 'JWTProvider',
  applyOrder: 40,
  orderRole: 'provider',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  // Every struct below the entry is a Go pointer in the server struct (agent/structs/
  // config_entry_jwt_provider.go: JSONWebKeySet, Local, Remote, RetryPolicy, RetryPolicyBackOff,
  // JWKSCluster, TLSCertificates, CaCertificateProviderInstance, TrustedCA, each Location's Header,
  // QueryParam and Cookie, Forwarding, CacheConfig), so an empty block is a set one: stored,
  // answered, and seen by Validate (`Locations = [{ Header {} }]` is "JWT location header name must
  // be specified", not "must set exactly one of"). ClockSkewSeconds is a plain int (Normalize: 30).
  fields: {
    Name: str,
    JSONWebKeySet: pointer(
      obj({
        Local: pointer(obj({ JWKS: str, Filename: str })),
        Remote: pointer(
          obj({
            URI: str,
            RequestTimeoutMs: int,
            CacheDuration: durationNs,
            FetchAsynchronously: bool,
            UseSNI: bool,
            RetryPolicy: pointer(
              obj({
                NumRetries: int,
                RetryPolicyBackOff: pointer(obj({ BaseInterval: durationNs, MaxInterval: durationNs })),
              }),
            ),
            JWKSCluster: pointer(
              obj({
                DiscoveryType: str,
                TLSCertificates: pointer(
                  obj({
                    CaCertificateProviderInstance: pointer(obj({ InstanceName: str, CertificateName: str })),
                    // api JWKSTLSCertTrustedCA.InlineBytes is a []byte: a PUT body carries base64 of the text, Consul stores
                    // that string's bytes and GET answers their base64 (src/core/plan/live-bytes.ts).
                    TrustedCA: pointer(obj({ Filename: str, EnvironmentVariable: str, InlineString: str, InlineBytes: bytes })),
                  }),
                ),
                ConnectTimeout: durationNs,
              }),
            ),
          }),
        ),
      }),
    ),
    Issuer: str,
    Audiences: strings,
    Locations: list(
      obj({
        Header: pointer(obj({ Name: str, ValuePrefix: str, Forward: bool })),
        QueryParam: pointer(obj({ Name: str })),
        Cookie: pointer(obj({ Name: str })),
      }),
    ),
    Forwarding: pointer(obj({ HeaderName: str, PadForwardPayloadHeader: bool })),
    ClockSkewSeconds: int,
    CacheConfig: pointer(obj({ Size: int })),
    ...meta,
    Partition: str,
    Namespace: str,
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'jwt-provider') };
    if (!out.ClockSkewSeconds) out.ClockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS;
    return out;
  },
  validate(entry) {
    if (!entry.Name) return [{ field: 'Name', message: 'Name is required' }];
    const problems: EntryProblem[] = [...validateMeta(entry)];
    const jwks = entry.JSONWebKeySet as KeySet | undefined;
    if (!jwks) problems.push({ field: 'JSONWebKeySet', message: 'JSONWebKeySet is required' });
    else problems.push(...validateKeySet(jwks));
    ((entry.Locations as Location[] | undefined) ?? []).forEach((l, i) => {
      const field = `Locations[${i}]`;
      const set = [l.Header, l.QueryParam, l.Cookie].filter(Boolean).length;
      if (set !== 1) problems.push({ field, message: 'must set exactly one of: JWT location header, query param or cookie' });
      else if (l.Header && !l.Header.Name) problems.push({ field: `${field}.Header.Name`, message: 'JWT location header name must be specified' });
      else if (l.QueryParam && !l.QueryParam.Name)
        problems.push({ field: `${field}.QueryParam.Name`, message: 'JWT location query param name must be specified' });
      else if (l.Cookie && !l.Cookie.Name) problems.push({ field: `${field}.Cookie.Name`, message: 'JWT location cookie name must be specified' });
    });
    const fwd = entry.Forwarding as { HeaderName?: string } | undefined;
    if (fwd && !fwd.HeaderName) problems.push({ field: 'Forwarding.HeaderName', message: 'Header name required for forwarding config' });
    return problems;
  },
};
