// The strict-mode proposals' use case: from an AdviceReport and the target's files, bring the pull
// requests in line (one per ready service, or one for all; the mesh lockdown once Git has no
// permissive service left) and keep the `mTLS posture: <target>` dashboard issue up to date.
// Memory between runs lives in Consul KV (proposal-state.ts); every step is settle-proposal.ts.
import type { SourceFile } from '../../core/parse-files.ts';
import { renderTree, entriesOf } from '../../core/render.ts';
import type { StateStore } from '../ports/config-entry-store.ts';
import type { CrdNamespaces } from '../../model/tenancy.ts';
import { serviceKey, type AdviceReport, type AdvisorThresholds, type ServiceVerdict, type TrafficSampleSource } from '../../core/advisor/model.ts';
import { judgePassthrough, type PassthroughJudgement } from '../../core/advisor/passthrough.ts';
import { lockdownBranchName, strictBranchName } from '../../core/proposals/branch-name.ts';
import { gitPosture, lockedDown, type GitPosture } from '../../core/proposals/git-posture.ts';
import { lockdownHeldBack } from '../../core/proposals/lockdown-gate.ts';
import { intentionSourcesFor } from '../../core/proposals/intention-sources.ts';
import { proposeMeshLockdown } from '../../core/proposals/propose-lockdown.ts';
import { proposeStrictMode } from '../../core/proposals/propose-strict.ts';
import { applyChanges, type FileChange } from '../../core/proposals/proposal.ts';
import { evidenceHash } from '../../reports/proposal-marker.ts';
import { strictProposalBody, strictProposalTitle } from '../../reports/strict-pr.ts';
import { strictGroupBody, strictGroupTitle } from '../../reports/strict-group-pr.ts';
import { scopedServiceName } from '../../core/advisor/service-scope.ts';
import { lockdownBody, lockdownTitle } from '../../reports/lockdown-pr.ts';
import { plaintextReturnedComment } from '../../reports/plaintext-returned.ts';
import { postureBody, postureTitle, type SecurityPosture } from '../../reports/posture-dashboard.ts';
import { code, text } from '../../reports/markdown.ts';
import type { ConnectCatalog } from '../advise.ts';
import type { PostureIssue, ProposalPullRequest, ProposalPullRequests } from '../ports/proposal-pull-requests.ts';
import { loadProposalState, proposalStateKey, saveProposalState, type ProposalMemory } from './proposal-state.ts';
import { settleProposal, type Desired, type ProposalAction } from './settle-proposal.ts';

export const GROUP_BRANCH = 'consul-gitops/strict/all';
const OUR_BRANCHES = 'consul-gitops/';
/** How many open PRs' file lists one run reads (one request per 100 files each), newest first. */
const MAX_PULLS_CHECKED = 50;

export interface ProposeOptions {
  target: string;
  stateKeyPrefix: string;
  grouping: 'per-service' | 'all';
  labels: readonly string[];
  thresholds: AdvisorThresholds;
  /** ms since the epoch (the dashboard's "updated"). */
  now: number;
  /** The same run's `audit --posture` findings, carried by the dashboard. */
  security?: SecurityPosture;
  /** The target's `crdNamespaces`: a CRD is the entry of the Consul namespace consul-k8s maps it to. */
  crdNamespaces?: CrdNamespaces;
}

export interface ProposePorts {
  pulls: ProposalPullRequests;
  /** Absent: no dashboard (e.g. a token without Issues: write). */
  dashboard?: PostureIssue;
  state: StateStore;
  /** For the lockdown gate: every sidecar's passthrough samples. */
  traffic: TrafficSampleSource;
  catalog: ConnectCatalog;
}

export interface ProposeOutcome {
  actions: ProposalAction[];
  posture: GitPosture;
  /** Only judged when the lockdown is due. */
  passthrough?: PassthroughJudgement;
  /** Why no lockdown is proposed although Git has no permissive service (lockdown-gate.ts). */
  lockdownHeldBack?: string;
  dashboard?: { number: number; open: boolean };
  /** False when another run wrote the proposals' memory meanwhile (this run's is dropped). */
  stateSaved: boolean;
}

const strictKey = (v: ServiceVerdict) => `strict:${serviceKey(v.service)}`;

/** Changes of several proposals made one after another: one change per path, `before` the original. */
function compose(into: Map<string, FileChange>, changes: readonly FileChange[]): void {
  for (const c of changes) {
    const had = into.get(c.path);
    into.set(c.path, had ? { path: c.path, ...(had.before === undefined ? {} : { before: had.before }), after: c.after } : c);
  }
}

export async function proposeStrict(report: AdviceReport, files: readonly SourceFile[], ports: ProposePorts, options: ProposeOptions): Promise<ProposeOutcome> {
  const crdNamespaces = options.crdNamespaces;
  const entries = entriesOf(renderTree(files, crdNamespaces ? { crdNamespacesOf: () => crdNamespaces } : {}), 'normalized');
  const posture = gitPosture(entries);
  const stateKey = proposalStateKey(options.stateKeyPrefix, options.target);
  const loaded = await loadProposalState(ports.state, stateKey);
  const memory = loaded.state.proposals;
  const next: Record<string, ProposalMemory> = {};
  const open = new Map<string, ProposalPullRequest>((await ports.pulls.listOpen(OUR_BRANCHES)).map((p) => [p.branch, p]));
  const actions: ProposalAction[] = [];
  const settle = async (key: string, branch: string, desired: Desired) => {
    const { action, memory: m } = await settleProposal(ports.pulls, { key, branch, desired, open: open.get(branch), memory: memory[key], now: options.now });
    if (m) next[key] = m;
    actions.push(action);
    return action;
  };
  const labels = options.labels;

  // Per service: the reason as plain text, and as Markdown whose PR numbers are our own references
  // (GitHub links `#12` to that PR; only the service's name is the user's, and is escaped).
  const heldByOpenPulls = new Map<string, string>();
  // Every proposal this run would push, decided first: whether another open PR already edits one of
  // its files is then read once for all of them (a strict PR, the grouped PR and the lockdown alike).
  const desires =
    options.grouping === 'per-service'
      ? report.services.map((v) => ({
          v,
          branch: strictBranchName(v.service),
          desired: serviceDesired(v, files, entries, report.source, labels, crdNamespaces),
        }))
      : [];
  // Grouped: each ready service's own change, so one whose file another PR edits can be left out.
  const grouped =
    options.grouping === 'all'
      ? report.services
          .filter((v) => v.verdict === 'ready-for-strict')
          .map((v) => ({ v, proposal: proposeStrictMode({ files, service: v.service, origin: v.origin, ...(crdNamespaces ? { crdNamespaces } : {}) }) }))
      : [];

  let passthrough: PassthroughJudgement | undefined;
  let heldBack = lockdownHeldBack(posture, report);
  /** heldBack in Markdown when it names our PR numbers (links, not escaped). */
  let lockdownHeldMarkdown: string | undefined;
  const lockdownDue = !posture.anyPermissive && !heldBack && (posture.allowEnablingPermissiveMutualTLS || !posture.meshDestinationsOnly);
  let lockdown: Desired | undefined;
  if (lockdownDue) {
    const services = await ports.catalog.connectEnabledServices();
    passthrough = services.length
      ? judgePassthrough(await ports.traffic.samples(services, report.window), report.window, options.thresholds)
      : { meshDestinationsOnly: false, outsideMesh: [], unknown: ['no service has a sidecar'] };
    lockdown = lockdownDesired(files, options.target, passthrough, report, labels, crdNamespaces);
  }

  // A proposal beside an open PR that already edits one of its files (a person's, or our own drift
  // proposal) would conflict with it, or be merged over it: it waits until that one ends.
  const paths = new Set<string>([
    ...desires.flatMap((d) => (d.desired.kind === 'propose' ? d.desired.request.changes.map((c) => c.path) : [])),
    ...grouped.flatMap((g) => (g.proposal.ok ? g.proposal.changes.map((c) => c.path) : [])),
    ...(lockdown?.kind === 'propose' ? lockdown.request.changes.map((c) => c.path) : []),
  ]);
  const others = paths.size ? await ports.pulls.openPullFiles(paths, MAX_PULLS_CHECKED) : undefined;
  const changedBy = (changes: readonly FileChange[], own: string): string | undefined => {
    const by = changes.flatMap((c) => others?.changedBy.get(c.path) ?? []).filter((p) => p.branch !== own);
    return by.length ? [...new Set(by.map((p) => `#${p.number}`))].join(', ') : undefined;
  };
  const holdFor = (v: ServiceVerdict, numbers: string, what: string): string => {
    const name = scopedServiceName(v.service);
    heldByOpenPulls.set(serviceKey(v.service), `${text(name)}: its file is changed by open PR ${numbers}; ${what}`);
    return `${name}: its file is changed by open PR ${numbers}; ${what}`;
  };

  for (const d of desires) {
    const numbers = d.desired.kind === 'propose' ? changedBy(d.desired.request.changes, d.branch) : undefined;
    if (numbers) d.desired = { kind: 'hold', verdict: d.v.verdict, reason: holdFor(d.v, numbers, 'strict PR held back') };
    await settle(strictKey(d.v), d.branch, d.desired);
  }
  if (options.grouping === 'all') {
    const left = new Set<string>();
    for (const g of grouped) {
      const numbers = g.proposal.ok ? changedBy(g.proposal.changes, GROUP_BRANCH) : undefined;
      if (!numbers) continue;
      left.add(serviceKey(g.v.service));
      actions.push({ key: strictKey(g.v), branch: GROUP_BRANCH, kind: 'held', detail: holdFor(g.v, numbers, 'left out of the grouped strict PR') });
    }
    await settle('strict:all', GROUP_BRANCH, groupDesired(report, files, options.target, labels, crdNamespaces, left));
  }
  if (lockdown?.kind === 'propose') {
    const numbers = changedBy(lockdown.request.changes, lockdown.request.branch);
    if (numbers) {
      const files = lockdown.request.changes.map((c) => c.path);
      heldBack = `the mesh lockdown is held back: its file ${files.join(', ')} is changed by open PR ${numbers}; proposed once that PR is merged or closed`;
      lockdownHeldMarkdown = `the mesh lockdown is held back: its file ${files.map((f) => code(f)).join(', ')} is changed by open PR ${numbers}; proposed once that PR is merged or closed`;
      lockdown = { kind: 'hold', verdict: 'ready', reason: heldBack };
    }
  }
  if (others?.unchecked)
    actions.push({
      key: 'open-pr-files',
      branch: '-',
      kind: 'held',
      detail: `only the ${MAX_PULLS_CHECKED} newest open PRs were checked for edits to the same files; ${others.unchecked} more were not`,
    });

  if (lockdown || memory.lockdown?.pr !== undefined) {
    let desired: Desired;
    if (lockdown) desired = lockdown;
    else if (heldBack) desired = { kind: 'withdraw', verdict: 'not-ready', comment: `Closing this PR: ${heldBack}` };
    else
      desired = posture.anyPermissive
        ? {
            kind: 'withdraw',
            verdict: 'not-ready',
            comment:
              'A service is permissive in Git again, so the mesh cannot be locked down yet. Closing this PR; consul-gitops proposes it again once no service is permissive.',
          }
        : { kind: 'withdraw', verdict: 'done', comment: 'The mesh entry in Git is already locked down. Closing this PR.' };
    await settle('lockdown', lockdownBranchName(options.target), desired);
  }

  // Our PRs for proposals no longer judged (the service is strict in Git now, or the grouping changed).
  for (const [key, m] of Object.entries(memory)) {
    if (key in next || m.pr === undefined) continue;
    const pr = [...open.values()].find((p) => p.number === m.pr);
    if (!pr) continue;
    await settle(key, pr.branch, {
      kind: 'withdraw',
      verdict: 'gone',
      comment:
        'consul-gitops no longer proposes this change: the service is not permissive in Git any more, or the proposals are grouped differently now. Closing this PR.',
    });
    delete next[key];
  }

  let dashboard: ProposeOutcome['dashboard'];
  if (ports.dashboard) {
    const urls = new Map<string, string>();
    for (const a of actions) if (a.pr && a.kind !== 'closed' && a.key.startsWith('strict:')) urls.set(a.key.slice('strict:'.length), a.pr.url);
    for (const [key, markdown] of heldByOpenPulls) urls.set(key, `${urls.get(key) ?? ''} ${markdown}`.trim());
    const group = actions.find((a) => a.key === 'strict:all' && a.pr && a.kind !== 'closed');
    if (group)
      for (const v of report.services)
        if (v.verdict === 'ready-for-strict' && !heldByOpenPulls.has(serviceKey(v.service))) urls.set(serviceKey(v.service), group.pr!.url);
    const lock = actions.find((a) => a.key === 'lockdown' && a.pr && a.kind !== 'closed');
    const body = postureBody({
      target: options.target,
      report,
      pullRequests: urls,
      mesh: {
        allowEnablingPermissiveMutualTLS: posture.allowEnablingPermissiveMutualTLS,
        meshDestinationsOnly: posture.meshDestinationsOnly,
        ...(lock ? { lockdownPullRequest: lock.pr!.url } : {}),
        ...(heldBack ? { lockdownHeldBack: heldBack } : {}),
        ...(lockdownHeldMarkdown ? { lockdownHeldBackMarkdown: lockdownHeldMarkdown } : {}),
      },
      generatedAt: options.now,
      ...(options.security ? { security: options.security } : {}),
    });
    // The config entries are not the whole story: a sidecar registered with its own permissive
    // Proxy.MutualTLSMode still takes plaintext (the posture's mesh-no-permissive sees it), and a
    // check that could not be read cannot vouch for "fully strict" either.
    // A posture read that failed cannot vouch for "no permissive sidecar left": the issue stays open.
    const noPermissiveLeft =
      options.security === undefined ||
      (options.security.known && options.security.findings.every((f) => f.id !== 'mesh-no-permissive' || f.status === 'pass'));
    const isOpen = !(lockedDown(posture) && report.services.length === 0 && report.drift.length === 0 && noPermissiveLeft);
    const got = await ports.dashboard.upsert(options.target, postureTitle(options.target), body, isOpen);
    if (got) dashboard = { number: got.number, open: isOpen };
  }

  const stateSaved = await saveProposalState(ports.state, stateKey, loaded, { version: 1, proposals: next });
  return {
    actions,
    posture,
    ...(passthrough ? { passthrough } : {}),
    ...(heldBack ? { lockdownHeldBack: heldBack } : {}),
    ...(dashboard ? { dashboard } : {}),
    stateSaved,
  };
}

function serviceDesired(
  v: ServiceVerdict,
  files: readonly SourceFile[],
  entries: ReturnType<typeof entriesOf>,
  source: string,
  labels: readonly string[],
  crdNamespaces: CrdNamespaces | undefined,
): Desired {
  if (v.verdict === 'still-receiving-plaintext') return { kind: 'withdraw', verdict: v.verdict, comment: plaintextReturnedComment(v) };
  if (v.verdict !== 'ready-for-strict') return { kind: 'hold', verdict: v.verdict, reason: v.reasons[0] ?? v.verdict, notReady: true };
  const proposal = proposeStrictMode({ files, service: v.service, origin: v.origin, ...(crdNamespaces ? { crdNamespaces } : {}) });
  if (!proposal.ok) return { kind: 'hold', verdict: 'refused', reason: `nothing proposed: ${proposal.reason}` };
  const title = strictProposalTitle(v);
  const body = strictProposalBody({ verdict: v, changes: proposal.changes, intentionSources: intentionSourcesFor(entries, v.service), statsSource: source });
  return {
    kind: 'propose',
    request: {
      branch: strictBranchName(v.service),
      title,
      body,
      labels,
      changes: proposal.changes,
      message: `${title}\n\nNo plaintext traffic to ${scopedServiceName(v.service)} in the evidence window (consul-gitops advise).`,
    },
    evidence: evidenceHash(v),
  };
}

function groupDesired(
  report: AdviceReport,
  files: readonly SourceFile[],
  target: string,
  labels: readonly string[],
  crdNamespaces: CrdNamespaces | undefined,
  /** serviceKeys left out (another open PR edits their file). */
  leftOut: ReadonlySet<string> = new Set(),
): Desired {
  const ready: ServiceVerdict[] = [];
  const changes = new Map<string, FileChange>();
  let tree: Array<{ path: string; text: string }> = [...files];
  for (const v of report.services) {
    if (v.verdict !== 'ready-for-strict' || leftOut.has(serviceKey(v.service))) continue;
    const p = proposeStrictMode({ files: tree, service: v.service, origin: v.origin, ...(crdNamespaces ? { crdNamespaces } : {}) });
    if (!p.ok) continue;
    compose(changes, p.changes);
    tree = applyChanges(tree, p.changes);
    ready.push(v);
  }
  const returned = report.services.filter((v) => v.verdict === 'still-receiving-plaintext');
  // Every ready service waits on another open PR: the grouped PR waits too, rather than closing.
  if (ready.length === 0 && leftOut.size > 0 && returned.length === 0)
    return { kind: 'hold', verdict: 'ready', reason: `every ready service's file is changed by another open PR; grouped strict PR held back` };
  if (ready.length === 0) {
    const comment = returned.length
      ? returned.map(plaintextReturnedComment).join('\n\n---\n\n')
      : 'No service is ready for strict mTLS any more. Closing this PR.';
    return { kind: 'withdraw', verdict: 'not-ready', comment };
  }
  const list = [...changes.values()];
  const title = strictGroupTitle(ready);
  return {
    kind: 'propose',
    request: {
      branch: GROUP_BRANCH,
      title,
      body: strictGroupBody({ target, verdicts: ready, changes: list, statsSource: report.source }),
      labels,
      changes: list,
      message: `${title}\n\n${ready.map((v) => `- ${scopedServiceName(v.service)}`).join('\n')}`,
    },
    evidence: ready.map(evidenceHash).sort(),
  };
}

function lockdownDesired(
  files: readonly SourceFile[],
  target: string,
  passthrough: PassthroughJudgement,
  report: AdviceReport,
  labels: readonly string[],
  crdNamespaces: CrdNamespaces | undefined,
): Desired {
  const meshDestinationsOnly = passthrough.meshDestinationsOnly;
  const proposal = proposeMeshLockdown({ files, meshDestinationsOnly, ...(crdNamespaces ? { crdNamespaces } : {}) });
  if (!proposal.ok) return { kind: 'hold', verdict: 'refused', reason: `nothing proposed: ${proposal.reason}` };
  const outsideMesh = passthrough.outsideMesh;
  const body = lockdownBody({ target, changes: proposal.changes, meshDestinationsOnly, outsideMesh, window: report.window, unknown: passthrough.unknown });
  const title = lockdownTitle({ meshDestinationsOnly });
  return {
    kind: 'propose',
    request: {
      branch: lockdownBranchName(target),
      title,
      body,
      labels,
      changes: proposal.changes,
      message: `${title}\n\nNo service is permissive in Git any more (consul-gitops advise).`,
    },
    evidence: { meshDestinationsOnly, outside: outsideMesh.map((o) => serviceKey(o.service)).sort(), unknown: passthrough.unknown.length > 0 },
  };
}
