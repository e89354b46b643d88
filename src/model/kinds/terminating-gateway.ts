// terminating-gateway: services a terminating gateway represents (api/config_entry_gateways.go TerminatingGatewayConfigEntry).
import { aliased, bool, list, obj, str } from '../field-types.ts';
import type { EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';

type LinkedService = { Name?: string; Namespace?: string; CAFile?: string; CertFile?: string; KeyFile?: string };

/** TerminatingGatewayConfigEntry as encoding/json prints it. */
const responseShape: ResponseShape = { fields: [['Kind'], ['Name'], ['Services', null], ['Meta']] };

export const terminatingGateway: KindDefinition = {
  kind: 'terminating-gateway',
  crdKind: 'TerminatingGateway',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'service', write: 'mesh' },
  responseShape,
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    // api LinkedService (api/config_entry_gateways.go); DisableAutoHostRewrite has no alias tag.
    Services: list(obj({ DisableAutoHostRewrite: aliased(bool), Namespace: str, Name: str, CAFile: str, CertFile: str, KeyFile: str, SNI: str })),
    ...meta,
    Partition: str,
    Namespace: str,
  },
  normalize: (entry) => ({ ...withKind(entry, 'terminating-gateway') }),
  validate(entry) {
    const problems: EntryProblem[] = [...validateMeta(entry)];
    const seen = new Set<string>();
    ((entry.Services as LinkedService[] | undefined) ?? []).forEach((s, i) => {
      const at = `Services[${i}]`;
      if (!s.Name) {
        problems.push({ field: `${at}.Name`, message: 'Service name cannot be blank.' });
        return;
      }
      if (seen.has(s.Name))
        problems.push({ field: `${at}.Name`, message: `Service ${JSON.stringify(s.Name)} was specified more than once within a namespace` });
      seen.add(s.Name);
      if ((s.CertFile || s.KeyFile) && !(s.CAFile && s.CertFile && s.KeyFile))
        problems.push({
          field: at,
          message: `Service ${JSON.stringify(s.Name)} must have a CertFile, CAFile, and KeyFile specified for TLS origination`,
        });
    });
    return problems;
  },
};
