// inline-certificate: a PEM certificate and key stored in Consul (api/config_entry_inline_certificate.go).
import { str } from '../field-types.ts';
import type { KindDefinition } from '../kind-definition.ts';
import { meta, withKind } from './common.ts';

export const inlineCertificate: KindDefinition = {
  kind: 'inline-certificate',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: true,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: { Name: str, Certificate: str, PrivateKey: str, ...meta, Partition: str, Namespace: str },
  normalize: (entry) => ({ ...withKind(entry, 'inline-certificate') }),
  // Validate: Consul's own, ported whole in src/core/write-checks (entry-rules.ts CONSUL_VALIDATE).
};
