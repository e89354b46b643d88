// mesh: the single mesh-wide entry; gates permissive mTLS and transparent-proxy egress.
import { bool, obj, str } from '../field-types.ts';
import type { EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, tenancy, tlsVersions, validateMeta, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';
import { asObject } from '../response-noise.ts';

const PATH_WITH_ESCAPED_SLASHES_ACTIONS = ['', 'DEFAULT', 'KEEP_UNCHANGED', 'REJECT_REQUEST', 'UNESCAPE_AND_REDIRECT', 'UNESCAPE_AND_FORWARD'];
const HEADERS_WITH_UNDERSCORES_ACTIONS = ['', 'ALLOW', 'REJECT_REQUEST', 'DROP_HEADER'];

/** MeshConfigEntry as encoding/json prints it: TransparentProxy always shows MeshDestinationsOnly. */
const responseShape: ResponseShape = {
  fields: [['Kind'], ['TransparentProxy', {}], ['AllowEnablingPermissiveMutualTLS'], ['ValidateClusters'], ['TLS'], ['HTTP'], ['Peering'], ['Meta']],
  inner(out) {
    out.TransparentProxy = { MeshDestinationsOnly: false, ...asObject(out.TransparentProxy) };
  },
};

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
    TLS: obj({ Incoming: obj(tlsVersions), Outgoing: obj(tlsVersions) }),
    HTTP: obj({
      SanitizeXForwardedClientCert: bool,
      Incoming: obj({
        RequestNormalization: obj({
          InsecureDisablePathNormalization: bool,
          MergeSlashes: bool,
          PathWithEscapedSlashesAction: str,
          HeadersWithUnderscoresAction: str,
        }),
      }),
    }),
    Peering: obj({ PeerThroughMeshGateways: bool }),
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
