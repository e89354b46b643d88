// inline-certificate: a PEM certificate and key stored in Consul (api/config_entry_inline_certificate.go).
import { str } from '../field-types.ts';
import type { EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/;

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
  validate(entry) {
    const problems: EntryProblem[] = [...validateMeta(entry)];
    // Consul goes on to parse the x509 certificate, check the key length and that the pair matches;
    // only the PEM framing is checked here.
    if (!PEM_BLOCK.test((entry.PrivateKey as string | undefined) ?? ''))
      problems.push({ field: 'PrivateKey', message: 'failed to parse private key PEM' });
    else if (!PEM_BLOCK.test((entry.Certificate as string | undefined) ?? ''))
      problems.push({ field: 'Certificate', message: 'failed to parse certificate PEM' });
    return problems;
  },
};
