// file-system-certificate: certificate and key paths on the gateway's disk (api FileSystemCertificateConfigEntry).
import { str } from '../field-types.ts';
import type { KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';

export const fileSystemCertificate: KindDefinition = {
  kind: 'file-system-certificate',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: { Name: str, Certificate: str, PrivateKey: str, ...meta, Partition: str, Namespace: str },
  normalize: (entry) => ({ ...withKind(entry, 'file-system-certificate') }),
  validate: (entry) => validateMeta(entry),
};
