// Field groups several kinds share, as the Go api structs share them.
import { bool, int, list, obj, opaque, str, stringMap, strings, type ObjectFields } from '../field-types.ts';
import type { ApiEntry, EntryProblem } from '../kind-definition.ts';

export const meshGateway = obj({ Mode: str });
export const transparentProxyConfig = obj({ OutboundListenerPort: int, DialedDirectly: bool });
export const exposeConfig = obj({
  Checks: bool,
  Paths: list(obj({ ListenerPort: int, Path: str, LocalPathPort: int, Protocol: str, ParsedFromCheck: bool })),
});
export const envoyExtensions = list(
  obj({ Name: str, Required: bool, Arguments: opaque, ConsulVersion: str, EnvoyVersion: str }),
);
export const accessLogs = obj({
  Enabled: bool,
  DisableListenerLogs: bool,
  Type: str,
  Path: str,
  JSONFormat: str,
  TextFormat: str,
});
export const tlsVersions = { TLSMinVersion: str, TLSMaxVersion: str, CipherSuites: strings };
export const meta: ObjectFields = { Meta: stringMap };

/** Partition and Namespace: enterprise identity fields the api structs carry on most kinds. */
export const tenancy: ObjectFields = { Partition: str, Namespace: str };

export const MUTUAL_TLS_MODES = ['', 'strict', 'permissive'] as const;

/** Consul's MutualTLSMode check, message verbatim (agent/structs/config_entry.go). */
export function validateMutualTLSMode(entry: ApiEntry): EntryProblem[] {
  const mode = (entry.MutualTLSMode as string | undefined) ?? '';
  if ((MUTUAL_TLS_MODES as readonly string[]).includes(mode)) return [];
  return [
    {
      field: 'MutualTLSMode',
      message: `Invalid MutualTLSMode "${mode}". Must be one of "", "strict", or "permissive".`,
    },
  ];
}

/** validateConfigEntryMeta (agent/structs/structs.go). */
export function validateMeta(entry: ApiEntry): EntryProblem[] {
  const m = entry.Meta as Record<string, string> | undefined;
  if (!m) return [];
  const problems: EntryProblem[] = [];
  const keys = Object.keys(m);
  if (keys.length > 64) problems.push({ field: 'Meta', message: 'Meta exceeds maximum element count 64' });
  for (const k of keys) {
    if (k.length > 128) problems.push({ field: `Meta.${k}`, message: `Meta key "${k}" exceeds maximum length 128` });
    if ((m[k] ?? '').length > 512)
      problems.push({ field: `Meta.${k}`, message: `Meta value for key "${k}" exceeds maximum length 512` });
  }
  return problems;
}

/** A shallow copy with Consul's canonical Kind: Normalize() never mutates its input. */
export function withKind(entry: ApiEntry, kind: string): ApiEntry {
  return { ...entry, Kind: kind };
}

/** `Name is required` and friends for kinds with a user-given name. */
export function requireName(entry: ApiEntry): EntryProblem[] {
  return entry.Name ? [] : [{ field: 'Name', message: 'Name is required' }];
}
