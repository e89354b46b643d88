// The schedule's (and serve's timer's) advisor step for one target, after its drift check: read
// the default branch's tree, judge the permissive services from the target's stats source over
// its window, and bring the proposals' PRs and the posture dashboard up to date; the dashboard
// also carries the production-checklist findings (`audit --posture`) read in the same run.
import type { ConfigEntryStore, StateStore } from '../ports/config-entry-store.ts';
import type { AdviceReport, AdvisorThresholds, TrafficSampleSource } from '../../core/advisor/model.ts';
import type { DesiredStateSource } from '../ports/github.ts';
import { adviseStrict, type AdviseOptions, type AdvisePorts, type ConnectCatalog } from '../advise.ts';
import type { PostureIssue, ProposalPullRequests } from '../ports/proposal-pull-requests.ts';
import { proposeStrict, type ProposeOutcome } from './propose-strict.ts';
import { auditPosture, type PostureReport, type PostureSource } from '../posture.ts';
import type { SecurityPosture } from '../../reports/posture-dashboard.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';

export interface AdvisorRunDeps {
  source: DesiredStateSource;
  entries: ConfigEntryStore;
  state: StateStore;
  catalog: ConnectCatalog;
  traffic: TrafficSampleSource;
  /** Built for the event's repository (the runtime knows the GitHub client). */
  github(repo: { owner: string; repo: string }): Promise<{ pulls: ProposalPullRequests; dashboard: PostureIssue }>;
  now: () => Date;
  /** The posture audit's reads; absent: the dashboard has no security section. */
  posture?: PostureSource;
  /** Services permissive in namespaces the target does not manage (AdvisePorts.outside); the lockdown waits for them. */
  outside?: AdvisePorts['outside'];
}

export interface AdvisorRunSettings {
  target: string;
  dir: string;
  stateKeyPrefix: string;
  thresholds: AdvisorThresholds;
  expectNoInboundTraffic: readonly string[];
  grouping: 'per-service' | 'all';
  labels: readonly string[];
  /** The target's `crdNamespaces`: CRDs read as plan reads them. */
  crdNamespaces?: CrdNamespaces;
  /** The target's `prune` and `massDelete`: drift hints name the apply that is not refused (AdviseOptions.apply). */
  apply?: AdviseOptions['apply'];
}

export type AdvisorRunOutcome =
  { kind: 'invalid'; errors: number } | { kind: 'proposed'; outcome: ProposeOutcome; report: AdviceReport; posture?: PostureReport };

/**
 * The production checklist for the dashboard, as the schedule and `advise --open-prs` both read it.
 * It is read, never gated on: a Consul that answers nothing here still gets its proposals. Its
 * `mesh-no-permissive` check sees sidecars registered with their own permissive
 * `Proxy.MutualTLSMode`, which no config entry in Git shows: proposeStrict keeps the issue open on it.
 */
export async function readSecurityPosture(source: PostureSource): Promise<{ posture?: PostureReport; security: SecurityPosture }> {
  try {
    const posture = await auditPosture(source);
    return { posture, security: { known: true, findings: posture.findings, counts: posture.counts } };
  } catch (e) {
    return { security: { known: false, why: e instanceof Error ? e.message : String(e) } };
  }
}

export async function adviseAndPropose(
  deps: AdvisorRunDeps,
  settings: AdvisorRunSettings,
  job: { owner: string; repo: string; branch: string },
): Promise<AdvisorRunOutcome> {
  const desired = await deps.source.read({ owner: job.owner, repo: job.repo, sha: job.branch }, settings.dir);
  const now = deps.now().getTime();
  const advised = await adviseStrict(
    desired.files,
    // The sidecars' own registrations, read as `advise` reads them (the posture's mTLS reads): a
    // posture read that fails elsewhere (the token endpoint) must not hide them from the lockdown gate.
    {
      entries: deps.entries,
      catalog: deps.catalog,
      traffic: deps.traffic,
      ...(deps.posture ? { sidecars: deps.posture.mtls } : {}),
      ...(deps.outside ? { outside: deps.outside } : {}),
    },
    {
      now,
      thresholds: settings.thresholds,
      expectNoInboundTraffic: settings.expectNoInboundTraffic,
      ...(settings.crdNamespaces ? { crdNamespaces: settings.crdNamespaces } : {}),
      ...(settings.apply ? { apply: settings.apply } : {}),
    },
  );
  // An invalid tree is already reported by the drift check's issue: nothing is proposed on it.
  if (!advised.ok) return { kind: 'invalid', errors: advised.errors.length };
  const { pulls, dashboard } = await deps.github({ owner: job.owner, repo: job.repo });
  const { posture, security } = deps.posture ? await readSecurityPosture(deps.posture) : {};
  const report = advised.report;
  const outcome = await proposeStrict(
    report,
    desired.files,
    { pulls, dashboard, state: deps.state, traffic: deps.traffic, catalog: deps.catalog },
    {
      target: settings.target,
      stateKeyPrefix: settings.stateKeyPrefix,
      grouping: settings.grouping,
      labels: settings.labels,
      thresholds: settings.thresholds,
      now,
      ...(security ? { security } : {}),
      ...(settings.crdNamespaces ? { crdNamespaces: settings.crdNamespaces } : {}),
    },
  );
  return { kind: 'proposed', outcome, report, ...(posture ? { posture } : {}) };
}

export function advisorSummary(o: AdvisorRunOutcome): string {
  if (o.kind === 'invalid') return `advisor: ${o.errors} error(s) in the tree, nothing proposed`;
  const counts = new Map<string, number>();
  for (const a of o.outcome.actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${k}`);
  const c = o.posture?.counts;
  return `advisor: ${parts.length ? parts.join(', ') : 'nothing to propose'}${c ? `; posture: ${c.fail} fail, ${c.unknown} unknown, ${c.warn} warn, ${c.pass} pass` : ''}`;
}
