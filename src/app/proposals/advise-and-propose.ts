// The schedule's (and serve's timer's) advisor step for one target, after its drift check: read
// the default branch's tree, judge the permissive services from the target's stats source over
// its window, and bring the proposals' PRs and the posture dashboard up to date.
import type { ConfigEntryStore, StateStore } from '../../core/ports.ts';
import type { AdviceReport, AdvisorThresholds, TrafficSampleSource } from '../../core/advisor/model.ts';
import type { DesiredStateSource } from '../../adapters/github/ports.ts';
import { adviseStrict, type ConnectCatalog } from '../advise.ts';
import type { PostureIssue, ProposalPullRequests } from './ports.ts';
import { proposeStrict, type ProposeOutcome } from './propose-strict.ts';

export interface AdvisorRunDeps {
  source: DesiredStateSource;
  entries: ConfigEntryStore;
  state: StateStore;
  catalog: ConnectCatalog;
  traffic: TrafficSampleSource;
  /** Built for the event's repository (the runtime knows the GitHub client). */
  github(repo: { owner: string; repo: string }): Promise<{ pulls: ProposalPullRequests; dashboard: PostureIssue }>;
  now: () => Date;
}

export interface AdvisorRunSettings {
  target: string;
  dir: string;
  stateKeyPrefix: string;
  thresholds: AdvisorThresholds;
  expectNoInboundTraffic: readonly string[];
  grouping: 'per-service' | 'all';
  labels: readonly string[];
}

export type AdvisorRunOutcome = { kind: 'invalid'; errors: number } | { kind: 'proposed'; outcome: ProposeOutcome; report: AdviceReport };

export async function adviseAndPropose(deps: AdvisorRunDeps, settings: AdvisorRunSettings, job: { owner: string; repo: string; branch: string }): Promise<AdvisorRunOutcome> {
  const desired = await deps.source.read({ owner: job.owner, repo: job.repo, sha: job.branch }, settings.dir);
  const now = deps.now().getTime();
  const advised = await adviseStrict(desired.files, { entries: deps.entries, catalog: deps.catalog, traffic: deps.traffic }, { now, thresholds: settings.thresholds, expectNoInboundTraffic: settings.expectNoInboundTraffic });
  // An invalid tree is already reported by the drift check's issue: nothing is proposed on it.
  if (!advised.ok) return { kind: 'invalid', errors: advised.errors.length };
  const { pulls, dashboard } = await deps.github({ owner: job.owner, repo: job.repo });
  const outcome = await proposeStrict(advised.report, desired.files, { pulls, dashboard, state: deps.state, traffic: deps.traffic, catalog: deps.catalog }, {
    target: settings.target,
    stateKeyPrefix: settings.stateKeyPrefix,
    grouping: settings.grouping,
    labels: settings.labels,
    thresholds: settings.thresholds,
    now,
  });
  return { kind: 'proposed', outcome, report: advised.report };
}

export function advisorSummary(o: AdvisorRunOutcome): string {
  if (o.kind === 'invalid') return `advisor: ${o.errors} error(s) in the tree, nothing proposed`;
  const counts = new Map<string, number>();
  for (const a of o.outcome.actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${k}`);
  return `advisor: ${parts.length ? parts.join(', ') : 'nothing to propose'}`;
}
