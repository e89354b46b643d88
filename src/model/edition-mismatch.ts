// A target that claims Consul Enterprise (`consulVersion` ends in `+ent`) whose server answers as
// Consul CE: said once, naming the target and its consulVersion, before anything is written.
import { ConsulGitopsError } from '../errors.ts';
import { quoteToken } from './errors.ts';

/**
 * CE's answer to listing an Enterprise-only kind: CE's MakeConfigEntry (agent/structs/config_entry.go)
 * has no case for control-plane-request-limit, so `GET /v1/config/control-plane-request-limit`
 * answers 500 `invalid config entry kind: control-plane-request-limit`. Thrown by the Consul store
 * (src/adapters/consul/stores.ts), which alone sees the answer; the plan (src/app/make-plan.ts) names
 * the target in its place (targetClaimsEnterprise). A `config` error: consul-gitops.yaml is what is wrong.
 */
export class EnterpriseKindRefusedError extends ConsulGitopsError {
  /** The Enterprise-only kind that was listed. */
  readonly entryKind: string;
  /** How the call was answered (`GET /v1/config/…: 500 …`), never with a token. */
  readonly answer: string;

  constructor(entryKind: string, answer: string) {
    super('config', `the server answered as Consul CE, not Enterprise: listing ${entryKind} (${answer}); nothing was written`);
    this.entryKind = entryKind;
    this.answer = answer;
  }
}

/** Where the server was seen to be CE: its reported version, or its answer to an Enterprise-only kind. */
export type CeEvidence = { reportedVersion: string } | { listed: string; answer: string };

/** The error a plan stops with when a `+ent` target's server is Consul CE. */
export function targetClaimsEnterprise(target: string, consulVersion: string, evidence: CeEvidence): ConsulGitopsError {
  const seen =
    'reportedVersion' in evidence
      ? `the server reports Consul ${quoteToken(evidence.reportedVersion)} (GET /v1/agent/self), which is Consul CE`
      : `the server answered as Consul CE: listing ${evidence.listed} gave ${evidence.answer} (CE has no such kind)`;
  return new ConsulGitopsError(
    'config',
    `target ${quoteToken(target)}: consul-gitops.yaml says consulVersion ${quoteToken(consulVersion)}, Consul Enterprise, but ${seen}; nothing was written: point the target at its Enterprise server, or remove "+ent" from consulVersion`,
  );
}
