// mesh: the single mesh-wide entry; gates permissive mTLS and transparent-proxy egress.
import { bool, obj, pointer, str, strings } from '../field-types.ts';
import type { EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, tenancy, tlsVersions, validateMeta, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { asObject } from '../response-noise.ts';

const PATH_WITH_ESCAPED_SLASHES_ACTIONS = ['', 'DEFAULT', 'KEEP_UNCHANGED', 'REJECT_REQUEST', 'UNESCAPE_AND_REDIRECT', 'UNESCAPE_AND_FORWARD'];
const HEADERS_WITH_UNDERSCORES_ACTIONS = ['', 'ALLOW', 'REJECT_REQUEST', 'DROP_HEADER'];

/**
 * MeshConfigEntry as encoding/json prints it (agent/structs/config_entry_mesh.go): TransparentProxy
 * always shows MeshDestinationsOnly; a set `HTTP`, `RequestNormalization` or `Peering` pointer shows
 * its fields without `omitempty` (SanitizeXForwardedClientCert, the four normalisation settings,
 * PeerThroughMeshGateways) even when zero.
 */
const responseShape: ResponseShape = {
  fields: [['Kind'], ['TransparentProxy', {}], ['AllowEnablingPermissiveMutualTLS'], ['ValidateClusters'], ['TLS'], ['HTTP'], ['Peering'], ['Meta']],
  inner(out) {
    out.TransparentProxy = { MeshDestinationsOnly: false, ...asObject(out.TransparentProxy) };
    if (out.HTTP) {
      const http = asObject(out.HTTP);
      const next: Record<string, unknown> = { SanitizeXForwardedClientCert: false, ...http };
      const incoming = http.Incoming ? asObject(http.Incoming) : undefined;
      if (incoming?.RequestNormalization)
        next.Incoming = {
          ...incoming,
          RequestNormalization: {
            InsecureDisablePathNormalization: false,
            MergeSlashes: false,
            PathWithEscapedSlashesAction: '',
            HeadersWithUnderscoresAction: '',
            ...asObject(incoming.RequestNormalization),
          },
        };
      out.HTTP = next;
    }
    if (out.Peering) out.Peering = { PeerThroughMeshGateways: false, ...asObject(out.Peering) };
  },
};

/**
 * MeshDirectionalTLSConfig (agent/structs/config_entry_mesh.go at hashicorp/consul 03658a0): the TLS
 * versions and ciphers, and the newest source's `ECDHCurves []string \`json:",omitempty" alias:"ecdh_curves"\``,
 * the ECDH/KEM curves offered in the handshake (Envoy TlsParameters.ecdh_curves names; checked by
 * validateECDHCurves, src/core/write-checks/mesh.ts). Its release is not known (FIELD_SINCE, †).
 */
const meshDirectionalTLS = obj({ ...tlsVersions, ECDHCurves: strings });

export const mesh: KindDefinition = {
  kind: 'mesh',
  crdKind: 'Mesh',
  applyOrder: 10,
  orderRole: 'provider',
  edition: 'ce',
  scope: 'mesh-wide',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'none', write: 'mesh' },
  responseShape,
  nameRule: { rule: 'implicit', name: 'mesh' },
  fields: {
    ...tenancy,
    TransparentProxy: obj({ MeshDestinationsOnly: bool }),
    AllowEnablingPermissiveMutualTLS: bool,
    ValidateClusters: bool,
    // `TLS *MeshTLSConfig`, its `Incoming`/`Outgoing *MeshDirectionalTLSConfig`, `HTTP *MeshHTTPConfig`,
    // its `Incoming *MeshDirectionalHTTPConfig` and that one's `RequestNormalization`, and `Peering
    // *PeeringMeshConfig` are pointers (agent/structs/config_entry_mesh.go MeshConfigEntry at
    // hashicorp/consul 03658a0): an empty block is stored and answered (responseShape adds the zero
    // fields encoding/json prints), and MeshConfigEntry.Validate checks a set TLS direction.
    TLS: pointer(obj({ Incoming: pointer(meshDirectionalTLS), Outgoing: pointer(meshDirectionalTLS) })),
    HTTP: pointer(
      obj({
        SanitizeXForwardedClientCert: bool,
        Incoming: pointer(
          obj({
            RequestNormalization: pointer(
              obj({
                InsecureDisablePathNormalization: bool,
                MergeSlashes: bool,
                PathWithEscapedSlashesAction: str,
                HeadersWithUnderscoresAction: str,
              }),
            ),
          }),
        ),
      }),
    ),
    Peering: pointer(obj({ PeerThroughMeshGateways: bool })),
    ...meta,
  },
  normalize: (entry) => withKind(entry, 'mesh'),
  validate(entry) {
    const problems: EntryProblem[] = [...validateMeta(entry)];
    const rn = ((entry.HTTP as { Incoming?: { RequestNormalization?: unknown } } | undefined)?.Incoming?.RequestNormalization ?? {}) as Record<
      string,
      string | undefined
    >;
    const escaped = rn.PathWithEscapedSlashesAction ?? '';
    if (!PATH_WITH_ESCAPED_SLASHES_ACTIONS.includes(escaped))
      problems.push({
        field: 'HTTP.Incoming.RequestNormalization.PathWithEscapedSlashesAction',
        message: `error in HTTP incoming request normalization configuration: no matching PathWithEscapedSlashesAction value found for ${escaped}, please specify one of [${PATH_WITH_ESCAPED_SLASHES_ACTIONS.map((a) => `"${a}"`).join(', ')}]`,
      });
    const underscores = rn.HeadersWithUnderscoresAction ?? '';
    if (!HEADERS_WITH_UNDERSCORES_ACTIONS.includes(underscores))
      problems.push({
        field: 'HTTP.Incoming.RequestNormalization.HeadersWithUnderscoresAction',
        message: `error in HTTP incoming request normalization configuration: no matching HeadersWithUnderscoresAction value found for ${underscores}, please specify one of [${HEADERS_WITH_UNDERSCORES_ACTIONS.map((a) => `"${a}"`).join(', ')}]`,
      });
    return problems;
  },
};
