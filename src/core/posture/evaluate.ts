// The posture evaluation: every check over the gathered facts, and which failures gate the exit code.
import { aclDefaultDeny, anonymousServiceWrite, reconcilerTokenScope } from './acl-checks.ts';
import { externalCa } from './ca-check.ts';
import type { PostureCheck } from './check.ts';
import type { PostureFacts } from './facts.ts';
import type { Finding, PostureStatus } from './finding.ts';
import { intentionsCoverServices, intentionsDefaultDeny } from './intention-checks.ts';
import { meshDestinationsOnly, meshPermissiveLocked, meshTlsMinVersion, noPermissive } from './mesh-checks.ts';
import { sidecarPorts } from './sidecar-check.ts';
import { gossipEncryption, httpsApi, rpcTls } from './transport-checks.ts';

export const POSTURE_CHECKS: readonly PostureCheck[] = [
  aclDefaultDeny,
  anonymousServiceWrite,
  reconcilerTokenScope,
  httpsApi,
  gossipEncryption,
  rpcTls,
  externalCa,
  meshPermissiveLocked,
  meshDestinationsOnly,
  noPermissive,
  meshTlsMinVersion,
  intentionsDefaultDeny,
  intentionsCoverServices,
  sidecarPorts,
];

export const CHECK_IDS: readonly string[] = POSTURE_CHECKS.map((c) => c.id);

export function evaluatePosture(facts: PostureFacts): Finding[] {
  return POSTURE_CHECKS.map((c) => {
    const v = c.evaluate(facts);
    return {
      id: c.id,
      title: c.title,
      status: v.status,
      evidence: v.evidence,
      fix: v.fix,
      ...(v.permission ? { permission: v.permission } : {}),
      checklistLine: c.checklistLine,
    };
  });
}

export type PostureCounts = Record<PostureStatus, number>;

/** How many checks ended in each status: the plain data metrics (CloudWatch) and dashboards count. */
export function postureCounts(findings: readonly Finding[]): PostureCounts {
  const counts: PostureCounts = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

/**
 * The findings that make the audit exit 1. Without `require`, every failed check. With it, only the
 * named checks gate, and an `unknown` among them gates too: a required check nobody could verify is
 * not met. A warning never gates.
 */
export function gatingFindings(findings: readonly Finding[], require?: readonly string[]): Finding[] {
  if (!require) return findings.filter((f) => f.status === 'fail');
  const wanted = new Set(require);
  return findings.filter((f) => wanted.has(f.id) && (f.status === 'fail' || f.status === 'unknown'));
}

/** `--require` ids that name no check (an error, not silently ignored). */
export function unknownCheckIds(require: readonly string[]): string[] {
  return require.filter((id) => !CHECK_IDS.includes(id));
}
