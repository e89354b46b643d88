// control-plane-request-limit: server-side IP rate limits (api/config_entry_rate_limit_ip.go RateLimitIPConfigEntry).
// Listed in AllConfigEntryKinds, but CE MakeConfigEntry has no case for it, so CE refuses the kind.
import { aliased, float, obj, pointer, str, type FieldSpec, type FieldType } from '../field-types.ts';
import type { KindDefinition } from '../kind-definition.ts';
import { meta, withKind } from './common.ts';

// No alias tags anywhere in this struct: multi-word fields decode only by case variants.
// Each category is `*ReadWriteRatesConfig \`json:",omitempty"\`` (api/config_entry_rate_limit_ip.go at
// hashicorp/consul 55dbb73, agent/structs/config_entry_rate_limit_ip.go) whose ReadRate/WriteRate have
// no omitempty: `ACL {}` is a set pointer, stored, and GET answers `{ "ReadRate": 0, "WriteRate": 0 }`.
const rates: FieldSpec = aliased(pointer(obj({ ReadRate: aliased(float), WriteRate: aliased(float) })));
const category = (): FieldType | FieldSpec => rates;

export const controlPlaneRequestLimit: KindDefinition = {
  kind: 'control-plane-request-limit',
  crdKind: 'ControlPlaneRequestLimit',
  applyOrder: 25,
  orderRole: 'provider',
  edition: 'enterprise',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  enterpriseOnly: 'invalid config entry kind: control-plane-request-limit',
  // RateLimitIPConfigEntry.Validate returns nil: no name restriction in the open-source structs.
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    Mode: str,
    ...meta,
    ReadRate: aliased(float),
    WriteRate: aliased(float),
    ACL: category(),
    Catalog: category(),
    ConfigEntry: category(),
    ConnectCA: category(),
    Coordinate: category(),
    DiscoveryChain: category(),
    ServerDiscovery: category(),
    Health: category(),
    Intention: category(),
    KV: category(),
    Tenancy: category(),
    PreparedQuery: category(),
    Session: category(),
    Txn: category(),
    AutoConfig: category(),
    FederationState: category(),
    Internal: category(),
    PeerStream: category(),
    Peering: category(),
    DataPlane: category(),
    DNS: category(),
    Subscribe: category(),
    Resource: category(),
    Partition: str,
    Namespace: str,
  },
  normalize: (entry) => ({ ...withKind(entry, 'control-plane-request-limit') }),
};
