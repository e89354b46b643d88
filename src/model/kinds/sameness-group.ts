// sameness-group: peers/partitions treated as one service set (api/config_entry_sameness_group.go).
// Consul CE refuses every write: `sameness-groups are an enterprise-only feature`.
import { bool, list, obj, str } from '../field-types.ts';
import type { KindDefinition } from '../kind-definition.ts';
import { meta, withKind } from './common.ts';

const ENTERPRISE_ONLY = 'sameness-groups are an enterprise-only feature';

export const samenessGroup: KindDefinition = {
  kind: 'sameness-group',
  crdKind: 'SamenessGroup',
  applyOrder: 15,
  orderRole: 'provider',
  edition: 'ce-refuses',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  enterpriseOnly: ENTERPRISE_ONLY,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    Partition: str,
    DefaultForFailover: bool,
    IncludeLocal: bool,
    Members: list(obj({ Partition: str, Peer: str })),
    ...meta,
  },
  // CE Validate (config_entry_sameness_group_ce.go) fails unconditionally: `enterpriseOnly` says so.
  normalize: (entry) => ({ ...withKind(entry, 'sameness-group') }),
};
