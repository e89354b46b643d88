// `advise --write-branch`: every ready-for-strict verdict becomes its proposal commit on a local
// branch (the same commit a pull request would carry), and when Git has no permissive service left,
// the mesh lockdown too. Also the one place a verdict becomes a proposal (change, title, body), so
// the demo shows exactly what a branch or a PR would hold.
import type { SourceFile } from '../core/parse-files.ts';
import { renderTree } from '../core/render.ts';
import type { ApiEntry } from '../model/kind-definition.ts';
import type { AdviceReport, AdvisorThresholds, ServiceRef, ServiceVerdict, TrafficSampleSource } from '../core/advisor/model.ts';
import { judgePassthrough, type PassthroughJudgement } from '../core/advisor/passthrough.ts';
import { lockdownBranchName, strictBranchName } from '../core/proposals/branch-name.ts';
import { intentionSourcesFor } from '../core/proposals/intention-sources.ts';
import { gitPosture } from '../core/proposals/git-posture.ts';
import { lockdownHeldBack } from '../core/proposals/lockdown-gate.ts';
import { proposeMeshLockdown } from '../core/proposals/propose-lockdown.ts';
import { proposeStrictMode } from '../core/proposals/propose-strict.ts';
import type { FileChange } from '../core/proposals/proposal.ts';
import { lockdownBody, lockdownTitle } from '../reports/lockdown-pr.ts';
import { strictProposalBody, strictProposalTitle } from '../reports/strict-pr.ts';
import type { ConnectCatalog } from './advise.ts';
import type { BranchWriteResult, ProposalBranchWriter } from './ports/proposal-branches.ts';
import { fieldText } from '../model/field-text.ts';
import type { CrdNamespaces } from '../model/tenancy.ts';

/** A proposal ready to be written: the branch, the commit message's parts and the change. */
export interface ProposalDraft {
  branch: string;
  title: string;
  body: string;
  changes: FileChange[];
}

export type DraftOutcome = { ok: true; draft: ProposalDraft } | { ok: false; reason: string };

export interface StrictDraft {
  service: ServiceRef;
  outcome: DraftOutcome;
}

/**
 * The protocol of a service whose mode comes from proxy-defaults, when Git says it (the
 * proxy-defaults of its partition sets `Config.protocol`); never guessed.
 */
function knownProtocol(entries: readonly ApiEntry[], v: ServiceVerdict): string | undefined {
  if (v.origin.kind !== 'proxy-defaults') return undefined;
  const partition = (v.service.partition || 'default').toLowerCase();
  const pd = entries.find((e) => e.Kind === 'proxy-defaults' && (fieldText(e.Partition) || 'default').toLowerCase() === partition);
  const protocol = (pd?.Config as Record<string, unknown> | undefined)?.protocol;
  return typeof protocol === 'string' && protocol ? protocol : undefined;
}

/**
 * The strict-mode proposal of every ready-for-strict service. `files`: paths relative to `--dir`;
 * `crdNamespaces`: the target's, so a CRD is the entry of the Consul namespace consul-k8s maps it to.
 */
export function strictDrafts(files: readonly SourceFile[], report: AdviceReport, crdNamespaces?: CrdNamespaces): StrictDraft[] {
  const entries = renderTree(files, crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {}).entries.map((e) => e.normalized);
  return report.services
    .filter((v) => v.verdict === 'ready-for-strict')
    .map((v) => {
      const protocol = knownProtocol(entries, v);
      const proposal = proposeStrictMode({
        files,
        service: v.service,
        origin: v.origin,
        ...(protocol ? { protocol } : {}),
        ...(crdNamespaces ? { crdNamespaces } : {}),
      });
      if (!proposal.ok) return { service: v.service, outcome: { ok: false, reason: proposal.reason } };
      const body = strictProposalBody({
        verdict: v,
        changes: proposal.changes,
        intentionSources: intentionSourcesFor(entries, v.service),
        statsSource: report.source,
      });
      return {
        service: v.service,
        outcome: { ok: true, draft: { branch: strictBranchName(v.service), title: strictProposalTitle(v), body, changes: proposal.changes } },
      };
    });
}

export interface LockdownDraft {
  passthrough: PassthroughJudgement;
  outcome: DraftOutcome;
}

/**
 * The mesh lockdown, once no service is permissive as Git will leave it (the report judged none).
 * MeshDestinationsOnly only when every sidecar's passthrough counters show nothing over the window.
 */
export async function lockdownDraft(
  files: readonly SourceFile[],
  report: AdviceReport,
  ports: { catalog: ConnectCatalog; traffic: TrafficSampleSource },
  options: { target: string; thresholds: AdvisorThresholds; crdNamespaces?: CrdNamespaces },
): Promise<LockdownDraft | undefined> {
  if (report.services.length > 0) return undefined;
  const services = await ports.catalog.connectEnabledServices();
  const samples = services.length ? await ports.traffic.samples(services, report.window) : [];
  const passthrough = judgePassthrough(samples, report.window, options.thresholds);
  const proposal = proposeMeshLockdown({
    files,
    meshDestinationsOnly: passthrough.meshDestinationsOnly,
    ...(options.crdNamespaces ? { crdNamespaces: options.crdNamespaces } : {}),
  });
  if (!proposal.ok) return { passthrough, outcome: { ok: false, reason: proposal.reason } };
  const outsideMesh = passthrough.outsideMesh;
  const body = lockdownBody({
    target: options.target,
    changes: proposal.changes,
    meshDestinationsOnly: passthrough.meshDestinationsOnly,
    outsideMesh,
    window: report.window,
    unknown: passthrough.unknown,
  });
  return {
    passthrough,
    outcome: { ok: true, draft: { branch: lockdownBranchName(options.target), title: lockdownTitle(passthrough), body, changes: proposal.changes } },
  };
}

export type BranchOutcome = { subject: string; written: BranchWriteResult } | { subject: string; refused: string };

export interface WriteBranchesResult {
  branches: BranchOutcome[];
  /** The passthrough judgement behind the lockdown, when one was proposed. */
  passthrough?: PassthroughJudgement;
}

export async function writeProposalBranches(
  files: readonly SourceFile[],
  report: AdviceReport,
  ports: { branches: ProposalBranchWriter; catalog: ConnectCatalog; traffic: TrafficSampleSource },
  options: { target: string; thresholds: AdvisorThresholds; crdNamespaces?: CrdNamespaces },
): Promise<WriteBranchesResult> {
  const write = async (subject: string, outcome: DraftOutcome): Promise<BranchOutcome> => {
    if (!outcome.ok) return { subject, refused: outcome.reason };
    const { branch, title, body, changes } = outcome.draft;
    return { subject, written: await ports.branches.write({ branch, message: `${title}\n\n${body}`, changes }) };
  };
  const branches: BranchOutcome[] = [];
  // One at a time: the branches share the repository's refs and object store.
  for (const d of strictDrafts(files, report, options.crdNamespaces)) branches.push(await write(d.service.name, d.outcome));
  // Git has no permissive service, but Consul keeps some permissive: through entries consul-gitops
  // does not write, drift apply does not repair, or sidecars registered permissive. Asked before any
  // lockdown is drafted, as `advise --open-prs` asks it (propose-strict.ts).
  const crd = options.crdNamespaces;
  const entries = renderTree(files, crd ? { crdNamespacesOf: () => crd } : {}).entries.map((e) => e.normalized);
  const heldBack = lockdownHeldBack(gitPosture(entries), report);
  const lockdown = heldBack ? undefined : await lockdownDraft(files, report, ports, options);
  if (heldBack) branches.push({ subject: 'mesh lockdown', refused: heldBack });
  else if (lockdown) branches.push(await write('mesh lockdown', lockdown.outcome));
  return { branches, ...(lockdown ? { passthrough: lockdown.passthrough } : {}) };
}
