// Which Consul version a plan is made for: consul-gitops.yaml's `consulVersion`, else the version
// the server reports (GET /v1/agent/self Config.Version), else the newest modelled. Pure: the
// caller reads the server; this decides and words the warnings and notices.
import { compareVersions, formatVersion, parseConsulVersion, SUPPORTED_CONSUL, type ConsulVersion } from '../model/consul-versions.ts';
import { quoteToken } from '../model/errors.ts';
import { unsupportedVersion } from './version-check.ts';
import { isEnterpriseVersion } from '../model/tenancy.ts';

/** What the server said about its version: the text of Config.Version, or why it could not be read. */
export type ServerVersion = { known: true; version: string } | { known: false; why: string };

/**
 * A problem with the chosen version, by code: `unsupported-consul-version` (outside the range
 * consul-gitops models: fields may be missing or unknown, so updates can need --allow-field-loss),
 * `target-version` (the configured version contradicts the server's).
 */
export interface VersionWarning {
  code: 'target-version' | 'unsupported-consul-version';
  message: string;
}

export interface TargetVersion {
  /** The version to plan for; undefined = the newest modelled (SUPPORTED_CONSUL.newest). */
  version?: string;
  /** Problems the user should fix (a configured version the server contradicts, one out of range). */
  warnings: VersionWarning[];
  /** How the version was chosen when it could not be read. */
  notices: string[];
}

export function chooseTargetVersion(target: string, configured: string | undefined, server: ServerVersion): TargetVersion {
  const warnings: VersionWarning[] = [];
  const notices: string[] = [];
  const t = `target ${quoteToken(target)}`;
  const detected = server.known ? parseConsulVersion(server.version) : undefined;
  const why = !server.known ? server.why : detected ? undefined : `GET /v1/agent/self reports Config.Version ${quoteToken(server.version)}, not a version`;
  let version: string | undefined;
  if (configured) {
    version = configured;
    // The configured version wins: agent/self is the agent answering, which may be a client agent
    // on another version than the servers that validate config entries.
    const mine = parseConsulVersion(configured);
    if (mine && detected && server.known && !sameRelease(configured, mine, detected))
      warnings.push({
        code: 'target-version',
        message: `${t}: consul-gitops.yaml says consulVersion ${quoteToken(configured)} but the server reports Consul ${quoteToken(server.version)}; planning for ${formatVersion(mine)} as configured: correct consulVersion, or remove it to use the server's version`,
      });
  } else if (detected) {
    // `+ent` is kept: it is how the plan knows an Enterprise server (tenancy fields, `default` namespaces)
    // before it has read a single entry.
    version = `${formatVersion(detected)}${server.known && isEnterpriseVersion(server.version) ? '+ent' : ''}`;
  } else {
    notices.push(
      `${t}: could not read the Consul version (${why}); planning for ${SUPPORTED_CONSUL.newest}, the newest modelled: set consulVersion in consul-gitops.yaml to name it`,
    );
  }
  const unsupported = version ? unsupportedVersion(version) : undefined;
  if (unsupported) warnings.push({ code: 'unsupported-consul-version', message: `${t}: ${unsupported}` });
  return { ...(version ? { version } : {}), warnings, notices };
}

/** `1.21` names every 1.21.x; `1.21.4` names one patch release. */
function sameRelease(text: string, configured: ConsulVersion, server: ConsulVersion): boolean {
  const patchGiven = /^v?\d+\.\d+\.\d+/.test(text.trim());
  return patchGiven ? compareVersions(configured, server) === 0 : configured.major === server.major && configured.minor === server.minor;
}
