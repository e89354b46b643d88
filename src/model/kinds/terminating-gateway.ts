// terminating-gateway: services a terminating gateway represents (api/config_entry_gateways.go TerminatingGatewayConfigEntry).
import { aliased, bool, list, obj, pointer, str } from '../field-types.ts';
import type { EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';
import type { ResponseShape } from '../kind-definition.ts';

type LinkedService = { Name?: string; Namespace?: string; CAFile?: string; CertFile?: string; KeyFile?: string; Credential?: unknown };

/** TerminatingGatewayConfigEntry as encoding/json prints it. */
const responseShape: ResponseShape = { fields: [['Kind'], ['Name'], ['Services', null], ['Meta']] };

/**
 * Credential injection (Consul's 2026 sources): GatewayCredentialInjection on the gateway and
 * GatewayServiceCredential on each linked service. The snake_case spellings are those
 * agent/structs TestDecodeTerminatingGatewayCredential_SnakeCase decodes (credential_injection,
 * uds_path, message_timeout, binding_id); the field order follows the struct literals of
 * api TestAPI_ConfigEntries_TerminatingGatewayCredential and pbconfigentry
 * TestTerminatingGatewayProtoRoundTrip (the struct definitions themselves were not readable).
 * MessageTimeout is a Go string (`"250ms"`), not a time.Duration.
 */
// Pointers: CE's validateCredentialInjection refuses `e.CredentialInjection != nil` and
// `svc.Credential != nil` (config_entry_gateways_credential_ce.go), so `Credential {}` is a set pointer.
const credentialInjection = pointer(obj({ UDSPath: str, MessageTimeout: str }));
const serviceCredential = pointer(obj({ Mode: str, BindingID: str }));

/**
 * Consul CE's refusal, agent/structs/config_entry_gateways_credential_ce.go
 * validateCredentialInjection: CE carries the types so API clients compile, but neither stores nor
 * renders them. Texts as TestTerminatingGatewayCredentialInjection_CE pins them. Where Validate calls
 * it relative to the other checks is not readable; it is taken to run first (it needs nothing else).
 */
function credentialInjectionProblems(entry: Record<string, unknown>, services: readonly LinkedService[]): EntryProblem[] {
  if (entry.CredentialInjection !== undefined)
    return [{ field: 'CredentialInjection', message: 'credential injection is a consul enterprise feature', ceOnly: true }];
  const i = services.findIndex((s) => s.Credential !== undefined);
  if (i < 0) return [];
  return [
    {
      field: `Services[${i}].Credential`,
      message: `service ${JSON.stringify(services[i].Name ?? '')}: credential injection is a consul enterprise feature`,
      ceOnly: true,
    },
  ];
}

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
    CredentialInjection: credentialInjection,
    // api LinkedService (api/config_entry_gateways.go); DisableAutoHostRewrite has no alias tag.
    Services: list(
      obj({
        DisableAutoHostRewrite: aliased(bool),
        Namespace: str,
        Name: str,
        CAFile: str,
        CertFile: str,
        KeyFile: str,
        SNI: str,
        Credential: serviceCredential,
      }),
    ),
    ...meta,
    Partition: str,
    Namespace: str,
  },
  normalize: (entry) => ({ ...withKind(entry, 'terminating-gateway') }),
  validate(entry) {
    const services = (entry.Services as LinkedService[] | undefined) ?? [];
    const problems: EntryProblem[] = [...validateMeta(entry), ...credentialInjectionProblems(entry, services)];
    const seen = new Set<string>();
    services.forEach((s, i) => {
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
