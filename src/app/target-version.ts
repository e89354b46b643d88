// The Consul version a plan is made for, chosen one way on every path that plans: CLI plan/apply,
// the reconcile function and `serve` (webhook), and the drift schedule. consul-gitops.yaml's
// `consulVersion`, else the version the server reports, else the newest modelled
// (src/core/target-version.ts decides and words it; the server is read through a port).
import { chooseTargetVersion, type ServerVersion, type TargetVersion } from '../core/target-version.ts';
import type { Plan, PlanOptions } from '../core/plan/plan.ts';
import { parseConsulVersion } from '../model/consul-versions.ts';
import { isEnterpriseVersion } from '../model/tenancy.ts';
import { targetClaimsEnterprise } from '../model/edition-mismatch.ts';

/** Port: the target's Consul version as its server reports it (src/adapters/consul/version-source.ts). */
export interface ConsulVersionSource {
  serverVersion(): Promise<ServerVersion>;
}

/**
 * The version to plan `target` for. Without a source (a caller that cannot reach the server's
 * agent endpoint) only the configured version counts, and no version means the newest modelled.
 */
export async function targetVersion(source: ConsulVersionSource | undefined, target: { name: string; consulVersion?: string }): Promise<TargetVersion> {
  if (!source && !target.consulVersion) return { warnings: [], notices: [] };
  // With a configured version and no source, the server's answer is never asked for: it only
  // confirms or contradicts the configured one.
  const server: ServerVersion = source ? await source.serverVersion() : { known: false, why: 'not read' };
  // A `+ent` target whose server reports a CE version (Enterprise's agent/self Config.Version carries
  // `+ent`: agent/config/runtime.go RuntimeConfig.VersionWithMetadata appends VersionMetadata, "ent") stops here, before the
  // plan lists the Enterprise-only kinds CE does not have, and before any write.
  if (
    target.consulVersion &&
    isEnterpriseVersion(target.consulVersion) &&
    server.known &&
    parseConsulVersion(server.version) &&
    !isEnterpriseVersion(server.version)
  )
    throw targetClaimsEnterprise(target.name, target.consulVersion, { reportedVersion: server.version });
  return chooseTargetVersion(target.name, target.consulVersion, server);
}

/** Plan options that follow the chosen version (Normalize rules, the fields it knows). */
export function withTargetVersion(options: PlanOptions, chosen: TargetVersion): PlanOptions {
  const { consulVersion: _configured, ...rest } = options;
  return chosen.version ? { ...rest, consulVersion: chosen.version } : rest;
}

/** The plan with the version's warnings and notices, so the PR comment says what the CLI prints. */
export function withTargetVersionNotes(plan: Plan, chosen: TargetVersion): Plan {
  const notes = [...chosen.warnings, ...chosen.notices.map((message) => ({ code: 'target-version' as const, message }))];
  if (!notes.length) return plan;
  return { ...plan, warnings: [...notes, ...plan.warnings] };
}
