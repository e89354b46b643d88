// bound-api-gateway: written only by Consul's gateway controller (routes and certificates bound to an
// api-gateway). Never managed from files; writes are refused with `Permission denied: only writeable by controller`.
import { list, obj, str } from '../field-types.ts';
import type { KindDefinition } from '../kind-definition.ts';
import { meta, withKind } from './common.ts';
import { resourceReference } from './api-gateway.ts';

export const boundApiGateway: KindDefinition = {
  kind: 'bound-api-gateway',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  controllerOwned: true,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    Listeners: list(obj({ Name: str, Routes: list(resourceReference), Certificates: list(resourceReference) })),
    ...meta,
    Partition: str,
    Namespace: str,
  },
  normalize: (entry) => ({ ...withKind(entry, 'bound-api-gateway') }),
};
