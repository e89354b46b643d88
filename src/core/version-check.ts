// Fields a target's Consul version does not know yet: Consul would refuse the write with
// `invalid config key` (agent/structs/config_entry_ce.go validateUnusedKeys). Found from the files
// alone, before anything is written; the version comes from consul-gitops.yaml (`consulVersion`) or,
// for plan and apply, from the server (core/target-version.ts).
import { configEntryError, quoteToken, type ConfigEntryError } from '../model/errors.ts';
import { fieldsNewerThan, formatVersion, parseConsulVersion, SUPPORTED_CONSUL, compareVersions, type ConsulVersion } from '../model/consul-versions.ts';
import { positionOf, type DecodedEntry } from '../decode/entry-source.ts';

export interface VersionedTarget {
  name: string;
  dir: string;
  consulVersion?: string;
}

/** The target a file belongs to: the one whose directory holds it (the longest match wins). */
function targetOf(file: string, targets: readonly VersionedTarget[]): VersionedTarget | undefined {
  const norm = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');
  const f = norm(file);
  return targets
    .filter((t) => f === norm(t.dir) || f.startsWith(`${norm(t.dir)}/`) || norm(t.dir) === '.')
    .sort((a, b) => norm(b.dir).length - norm(a.dir).length)[0];
}

/**
 * One warning per field a file uses that its target's Consul version does not know, and one per
 * check of the newest Consul source whose release is not known (newestSourceWarnings).
 */
export function versionWarnings(entries: readonly DecodedEntry[], targets: readonly VersionedTarget[]): ConfigEntryError[] {
  return entries.flatMap((d) => {
    const target = targetOf(d.file, targets);
    const newest = newestSourceWarnings(d);
    return target ? [...entryVersionWarnings(d, target), ...newest] : newest;
  });
}

/** ServiceConfigEntry.Validate's protocol switch (agent/structs/config_entry.go at hashicorp/consul 03658a0). */
const SERVICE_DEFAULTS_PROTOCOLS = ['', 'http', 'http2', 'grpc', 'tcp'];

/**
 * Checks the newest Consul source makes at write time that no release is known to have: the write
 * may succeed on the target or be refused, so validate warns (as it does for the newest source's
 * SDS rules, core/gateway-tls-merge.ts) and the dev server, which emulates released behaviour, accepts.
 * service-defaults `Protocol`: ServiceConfigEntry.Validate at 03658a0 refuses anything but "",
 * http, http2, grpc and tcp after Normalize lower-cases it (`invalid value for protocol: %v`); the
 * 1.2x sources read before it have no such switch (any protocol, tcp on the listener).
 */
export function newestSourceWarnings(d: DecodedEntry): ConfigEntryError[] {
  if (d.entry.Kind !== 'service-defaults' || typeof d.entry.Protocol !== 'string') return [];
  const protocol = d.entry.Protocol.toLowerCase();
  if (SERVICE_DEFAULTS_PROTOCOLS.includes(protocol)) return [];
  return [
    configEntryError(
      'validate',
      d.file,
      positionOf(d, 'Protocol'),
      'Protocol',
      `the newest Consul source refuses this write with "invalid value for protocol: ${protocol}" (ServiceConfigEntry.Validate, release not known); older Consul accepts it and treats the service as tcp`,
      'use one of tcp, http, http2 or grpc',
    ),
  ];
}

/** The warnings of one entry against `target`'s version (none when it states no version). */
export function entryVersionWarnings(d: DecodedEntry, target: Pick<VersionedTarget, 'name' | 'consulVersion'>): ConfigEntryError[] {
  const version = target.consulVersion ? parseConsulVersion(target.consulVersion) : undefined;
  if (!version) return [];
  return fieldsNewerThan(d.entry, version, d.fieldPositions.keys()).map((f) =>
    configEntryError(
      'validate',
      d.file,
      positionOf(d, f.path),
      f.path,
      `Consul ${formatVersion(version)} (target ${quoteToken(target.name)}) does not know this field, added in Consul ${f.since}: it would refuse the write with invalid config key ${quoteToken(f.path)}`,
      `remove the field, or raise consulVersion in consul-gitops.yaml once the target runs Consul ${f.since} or newer`,
    ),
  );
}

/**
 * A target's consulVersion outside the range consul-gitops supports. An older one is still checked
 * against its own version (a 1.21 target is warned about a 1.22 field): only HashiCorp's support,
 * and consul-gitops', has ended.
 */
export function unsupportedVersion(version: string): string | undefined {
  const v = parseConsulVersion(version);
  if (!v) return undefined;
  const oldest = parseConsulVersion(SUPPORTED_CONSUL.oldest)!;
  const newest = parseConsulVersion(SUPPORTED_CONSUL.newest)!;
  if (compareVersions(v, oldest) < 0)
    return `Consul ${version} is older than the oldest version consul-gitops supports (${SUPPORTED_CONSUL.oldest}): fields and rules are still checked as Consul ${formatVersion(v)} has them, but it is not supported: upgrade the target`;
  if (v.major > newest.major || (v.major === newest.major && v.minor > newest.minor))
    return `Consul ${version} is newer than the newest version consul-gitops models (${SUPPORTED_CONSUL.newest}): fields it added are unknown here (plan shows them as "would be removed")`;
  return undefined;
}

export type { ConsulVersion };
