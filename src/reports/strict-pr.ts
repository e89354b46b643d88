// The strict-mode proposal as a pull request (or a commit message): title, and a body carrying
// the evidence a reviewer needs to merge with confidence, the chart, the change, how to check by
// hand, and the hidden marker. Pure: verdict and change in, Markdown out.
import { datacentersJudged } from '../core/advisor/human.ts';
import type { InstanceEvidence, ServiceVerdict } from '../core/advisor/model.ts';
import type { FileChange } from '../core/proposals/proposal.ts';
import { changeDiff } from './change-diff.ts';
import { capped, code, count, duration, fence, fitBody, PULL_REQUEST_REST, table, text, when } from './markdown.ts';
import { proposalMarker } from './proposal-marker.ts';
import { scopedServiceName } from '../core/advisor/service-scope.ts';
import { escapeControl } from '../model/terminal-text.ts';
import { timelineChart } from './timeline-chart.ts';

export interface StrictProposalInput {
  verdict: ServiceVerdict;
  changes: readonly FileChange[];
  /** Sources of the intentions whose destination is this service (from the tree). */
  intentionSources: readonly string[];
  /** The stats source's description (AdviceReport.source). */
  statsSource: string;
}

/** Instance rows shown in full; the rest are counted. */
export const MAX_INSTANCE_ROWS = 100;
const MAX_LIST = 50;

export function strictProposalTitle(v: ServiceVerdict): string {
  // A title is plain text: a name's controls and bidi marks shown escaped, as on a terminal.
  return `mTLS: move ${scopedServiceName(v.service, escapeControl)} to strict`;
}

const growth = (g: { first?: number; last?: number } | undefined) => (g ? `${count(g.first)} → ${count(g.last)}` : 'no series');

function instanceRow(i: InstanceEvidence): string[] {
  return [
    code(i.instance),
    when(i.firstSampleAt),
    when(i.lastSampleAt),
    growth(i.permissive.connections),
    growth(i.permissive.rxBytes),
    growth(i.permissive.txBytes),
    String(i.restarts),
    count(i.mtls.handshakes?.increase),
    count(i.mtls.httpRequests?.increase),
  ];
}

export function instancesSection(instances: readonly InstanceEvidence[]): string {
  const { shown, rest } = capped(instances, MAX_INSTANCE_ROWS);
  const rows = table(
    [
      'Instance',
      'First sample',
      'Last sample',
      'Plaintext connections (first → last)',
      'Plaintext bytes in (first → last)',
      'Plaintext bytes out (first → last)',
      'Restarts',
      'mTLS handshakes',
      'mTLS requests',
    ],
    shown.map(instanceRow),
  );
  return rest ? `${rows}\n\n… and ${rest} more instance${rest === 1 ? '' : 's'} (${instances.length} in all).` : rows;
}

function listed(items: readonly string[], noun: string, empty: string): string {
  if (items.length === 0) return empty;
  const { shown, rest } = capped(items, MAX_LIST);
  return [...shown.map((s) => `- ${code(s.slice(0, 300))}`), ...(rest ? [`- … and ${rest} more ${noun}`] : [])].join('\n');
}

function verifyByHand(v: ServiceVerdict): string {
  const first = v.evidence.instances[0]?.instance;
  const pod = first && /^[a-z0-9][a-z0-9.-]{0,252}$/.test(first) ? first : '<pod>';
  const ns = v.service.namespace && v.service.namespace !== 'default' ? ` -n ${v.service.namespace.replace(/[^a-z0-9-]/gi, '')}` : '';
  return [
    `On each instance, the permissive listener's counters must not move, while the mTLS ones do (Consul's "Disable permissive mTLS mode" guide):`,
    fence(
      'sh',
      [
        `kubectl exec${ns} ${pod} -c consul-dataplane -- curl -s 'localhost:19000/stats?filter=permissive'`,
        `kubectl exec${ns} ${pod} -c consul-dataplane -- curl -s 'localhost:19000/stats?filter=public_listener'`,
      ].join('\n'),
    ),
    'Run it twice some minutes apart: `tcp.permissive_public_listener.downstream_cx_total` and its `_bytes_total` must stay the same.',
  ].join('\n\n');
}

export function strictProposalBody(input: StrictProposalInput): string {
  const { verdict: v } = input;
  const e = v.evidence;
  const marker = proposalMarker(v);
  const name = code(v.service.name);
  const chart = timelineChart(`${v.service.name}: plaintext vs mTLS connections`, e);
  const sections = [
    marker,
    `## Move ${scopedServiceName(v.service, code)} to strict mTLS`,
    `consul-gitops watched ${name} for ${duration(e.window.end - e.window.start)}, from ${when(e.window.start)} to ${when(e.window.end)}. Verdict: **${v.verdict}**.`,
    v.reasons.map((r, i) => `${i === 0 ? '- **' : '- '}${text(r)}${i === 0 ? '**' : ''}`).join('\n'),
    `### The change`,
    input.changes.map((c) => fence('diff', changeDiff(c))).join('\n\n'),
    ...(chart ? [`### Plaintext vs mTLS connections`, chart] : []),
    `### Instances`,
    instancesSection(e.instances),
    `### Totals over the window`,
    [
      `- Plaintext (permissive listener): ${count(e.permissive.connections)} connections, ${count(e.permissive.rxBytes)} bytes in, ${count(e.permissive.txBytes)} bytes out; last seen ${when(e.permissive.lastSeenAt)}`,
      `- mTLS: ${count(e.mtls.handshakes)} handshakes, ${count(e.mtls.httpRequests)} HTTP requests, ${count(e.mtls.rxBytes)} bytes in`,
      `- Envoy restarts: ${e.restarts}`,
      `- ${text(e.blindSpot)}`,
    ].join('\n'),
    `### Intentions that name ${name}`,
    listed(
      input.intentionSources.map((s) => `${s} → ${v.service.name}`),
      'intentions',
      `_No intention in this tree names ${name}: with default-deny, callers need one once it is strict._`,
    ),
    `### Where the numbers come from`,
    `Source: ${text(input.statsSource)}`,
    // Before the capped list of queries: a reviewer must see that every federated datacenter was looked at.
    ...(e.datacenters ? [`Under WAN federation, ${text(datacentersJudged(e.datacenters))}`] : []),
    listed(e.sources, 'queries', '_no query recorded_'),
    ...(e.problems.length ? [`Problems reported by the source:`, listed(e.problems, 'problems', '')] : []),
    `### Verify by hand`,
    verifyByHand(v),
    `---\n_Proposed by consul-gitops. It updates this PR when the evidence changes, and closes it if plaintext traffic comes back._`,
  ];
  return fitBody(sections.join('\n\n') + '\n', marker, undefined, PULL_REQUEST_REST);
}
