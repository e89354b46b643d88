// api-gateway: listeners of a Consul API gateway (api/config_entry_gateways.go APIGatewayConfigEntry).
import { aliased, int, list, obj, str, strings, time, type FieldType } from '../field-types.ts';
import type { ApiEntry, EntryProblem, KindDefinition } from '../kind-definition.ts';
import { meta, validateMeta, withKind } from './common.ts';
import { goQuote } from './service-router.ts';

/** api ResourceReference (api/config_entry_status.go): `SectionName` carries no alias tag. */
export const resourceReference: FieldType = obj({ Kind: str, Name: str, SectionName: aliased(str), Partition: str, Namespace: str });

/**
 * api ConfigEntryStatus: written by Consul's gateway controller. It is in the api struct, so it
 * decodes, but Consul ignores it on write and it must never be diffed.
 */
export const configEntryStatus: FieldType = obj({
  Conditions: list(
    obj({ Type: str, Status: str, Reason: str, Message: str, Resource: resourceReference, LastTransitionTime: aliased(time) }),
  ),
});

/** APIGatewayJWTProvider (name + claims to verify), used by gateway policies and http-route JWT filters. */
export const apiGatewayJWTProviders: FieldType = list(
  obj({ Name: str, VerifyClaims: list(obj({ Path: strings, Value: str })) }),
);

const policy = obj({ JWT: obj({ Providers: apiGatewayJWTProviders }) });

type Listener = {
  Name?: string;
  Hostname?: string;
  Port?: number;
  Protocol?: string;
  TLS?: { Certificates?: { Kind?: string; Name?: string }[] };
};

const LISTENER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CERTIFICATE_KINDS = ['inline-certificate', 'file-system-certificate'];

export const apiGateway: KindDefinition = {
  kind: 'api-gateway',
  applyOrder: 75,
  orderRole: 'dependent',
  edition: 'ce',
  scope: 'named',
  setsMutualTlsMode: false,
  holdsSecrets: false,
  acl: { read: 'mesh', write: 'mesh' },
  responseShape: 'as-stored',
  nameRule: { rule: 'named', wildcardAllowed: false },
  fields: {
    Name: str,
    ...meta,
    Listeners: list(
      obj({
        Name: str,
        Hostname: str,
        Port: int,
        Protocol: str,
        TLS: obj({
          Certificates: list(resourceReference),
          // The api struct tags these tls_max_version / tls_min_version.
          MaxVersion: aliased(str, 'tls_max_version'),
          MinVersion: aliased(str, 'tls_min_version'),
          CipherSuites: strings,
        }),
        Override: policy,
        Default: policy,
      }),
    ),
    // Read-only: Consul ignores Status on write.
    Status: configEntryStatus,
    Partition: str,
    Namespace: str,
  },
  normalize(entry) {
    const out: ApiEntry = { ...withKind(entry, 'api-gateway') };
    const listeners = out.Listeners as Listener[] | undefined;
    if (listeners)
      out.Listeners = listeners.map((l) => {
        const n: Listener = { ...l };
        if (typeof l?.Protocol === 'string') n.Protocol = l.Protocol.toLowerCase();
        if (l?.TLS?.Certificates)
          n.TLS = { ...l.TLS, Certificates: l.TLS.Certificates.map((c) => (c.Kind ? c : { ...c, Kind: 'inline-certificate' })) };
        return n;
      });
    return out;
  },
  validate(entry) {
    const problems: EntryProblem[] = [...validateMeta(entry)];
    const listeners = (entry.Listeners as Listener[] | undefined) ?? [];
    if (listeners.length === 0) return [...problems, { field: 'Listeners', message: 'api gateway must have at least one listener' }];
    const names = new Set<string>();
    listeners.forEach((l, i) => {
      const name = l.Name ?? '';
      if (!LISTENER_NAME.test(name))
        problems.push({
          field: `Listeners[${i}].Name`,
          message: `listener name ${goQuote(name)} is invalid, must be at least 1 character and contain only letters, numbers, or dashes`,
        });
      else if (names.has(name)) problems.push({ field: `Listeners[${i}].Name`, message: `found multiple listeners with the name ${goQuote(name)}` });
      names.add(name);
    });
    const byPort = new Map<number, Listener>();
    listeners.forEach((l, i) => {
      const merged = byPort.get(l.Port ?? 0);
      if (merged && ((merged.Hostname ?? '') !== (l.Hostname ?? '') || (merged.Protocol ?? '') !== (l.Protocol ?? '')))
        problems.push({ field: `Listeners[${i}]`, message: `listeners ${goQuote(merged.Name ?? '')} and ${goQuote(l.Name ?? '')} cannot be merged` });
      byPort.set(l.Port ?? 0, l);
    });
    listeners.forEach((l, i) => {
      const at = `Listeners[${i}]`;
      const protocol = l.Protocol ?? '';
      const port = l.Port ?? 0;
      const hostname = l.Hostname ?? '';
      if (protocol !== 'http' && protocol !== 'tcp')
        problems.push({ field: `${at}.Protocol`, message: `unsupported listener protocol ${goQuote(protocol)}, must be one of 'tcp', or 'http'` });
      if (protocol === 'tcp' && hostname)
        problems.push({ field: `${at}.Hostname`, message: 'hostname specification is not supported when using TCP' });
      if (port <= 0 || port > 65535) problems.push({ field: `${at}.Port`, message: `listener port ${port} not in the range 1-65535` });
      if (hostname.replace(/^\*\./, '').includes('*'))
        problems.push({
          field: `${at}.Hostname`,
          message: `host ${goQuote(hostname)} is not valid, a wildcard specifier is only allowed as the left-most label`,
        });
      (l.TLS?.Certificates ?? []).forEach((c, j) => {
        const field = `${at}.TLS.Certificates[${j}]`;
        if (!CERTIFICATE_KINDS.includes(c.Kind ?? ''))
          problems.push({
            field,
            message: `unsupported certificate kind: ${goQuote(c.Kind ?? '')}, must be 'inline-certificate' or 'file-system-certificate'`,
          });
        else if (!c.Name) problems.push({ field, message: 'certificate reference must have a name' });
      });
    });
    return problems;
  },
};
