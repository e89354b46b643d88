// The `mTLS posture: <target>` dashboard issue: every permissive service with its verdict, the
// deciding reason, when plaintext was last seen and its PR; the mesh flags; drift; and the security
// posture checks (`audit --posture`) that do not pass, each with its fix. Kept in place.
import { serviceKey, VERDICTS, type AdviceReport, type ServiceVerdict } from '../core/advisor/model.ts';
import type { PostureCounts } from '../core/posture/evaluate.ts';
import type { Finding, PostureStatus } from '../core/posture/finding.ts';
import { capped, code, count, fitBody, GITHUB_BODY_LIMIT, table, text, when } from './markdown.ts';
import { UNKNOWN_QUIET_ITEM } from './advice-text.ts';

export interface PostureInput {
  target: string;
  report: AdviceReport;
  /** PR URL per serviceKey. */
  pullRequests: ReadonlyMap<string, string>;
  mesh: {
    allowEnablingPermissiveMutualTLS: boolean;
    meshDestinationsOnly: boolean;
    lockdownPullRequest?: string;
    lockdownHeldBack?: string;
    /** lockdownHeldBack as Markdown, when it names our own references (PR numbers GitHub links). */
    lockdownHeldBackMarkdown?: string;
  };
  generatedAt: number;
  /** The production-checklist findings of the same run; absent: the section is left out. */
  security?: SecurityPosture;
}

export type SecurityPosture = { known: true; findings: readonly Finding[]; counts: PostureCounts } | { known: false; why: string };

const SEVERITY: readonly PostureStatus[] = ['fail', 'unknown', 'warn'];

function securitySection(s: SecurityPosture): string[] {
  if (!s.known) return ['### Security posture', `Not checked this run: ${text(s.why.slice(0, 300))}`];
  const c = s.counts;
  const open = s.findings
    .filter((f) => f.status !== 'pass')
    .sort((a, b) => SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status) || a.id.localeCompare(b.id));
  const rows = open.map((f) => [code(f.id), `**${f.status}**`, text(f.evidence.slice(0, 300)), text((f.fix || '-').slice(0, 300))]);
  return [
    '### Security posture',
    `${s.findings.length} checks of the production checklist (\`consul-gitops audit --posture\`): ${c.pass} pass, ${c.warn} warn, ${c.fail} fail, ${c.unknown} unknown.`,
    open.length ? table(['Check', 'Status', 'Evidence', 'Fix'], rows) : 'Every check passes.',
  ];
}

const PREFIX = 'consul-gitops:posture';
const MAX_ROWS = 250;
/** A name longer than this is cut in the table (a row is one service, not a page). */
const MAX_NAME = 200;

export function postureTitle(target: string): string {
  return `mTLS posture: ${target}`;
}

export function postureMarker(target: string): string {
  return `<!-- ${PREFIX} target=${encodeURIComponent(target)} -->`;
}

export function parsePostureMarker(body: string | null | undefined): { target: string } | undefined {
  const m = new RegExp(`<!-- ${PREFIX} target=(\\S+) -->`).exec(body ?? '');
  if (!m) return undefined;
  try {
    return { target: decodeURIComponent(m[1]) };
  } catch {
    return undefined;
  }
}

const order = (v: ServiceVerdict) => VERDICTS.indexOf(v.verdict);

// The terminal's words (advice-text.ts): a reconcile alone leaves an entry without consul-gitops'
// marker as it is, so "reconcile has not applied them yet" would be false for those.
const DRIFT_HEADING =
  'Strict in Git but still permissive in Consul: `apply` repairs it, or `apply --adopt` where consul-gitops does not manage the entry yet (each line says which). ' +
  'A service whose service-defaults consul-k8s owns is never drift: it is judged above on the mode Consul holds, and its MutualTLSMode is changed in consul-k8s.';

/**
 * The table's reason: the deciding one, and what blocks the change when that is not it, so a
 * service consul-k8s owns says where its mode is changed while it still receives plaintext.
 */
function decidingReason(s: ServiceVerdict): string {
  const first = (s.reasons[0] ?? '').slice(0, 200);
  return s.blockedBecause && s.verdict !== 'blocked' ? `${first}; then blocked: ${s.blockedBecause.slice(0, 200)}` : first;
}

export function postureBody(input: PostureInput): string {
  const marker = postureMarker(input.target);
  const services = [...input.report.services].sort((a, b) => order(a) - order(b) || serviceKey(a.service).localeCompare(serviceKey(b.service)));
  const tally = VERDICTS.map((v) => [v, services.filter((s) => s.verdict === v).length] as const).filter(([, n]) => n > 0);
  const { shown } = capped(services, MAX_ROWS);
  const rows = shown.map((s) => [
    code(s.service.name.slice(0, MAX_NAME)) +
      (s.service.namespace && s.service.namespace !== 'default' ? ` (${code(s.service.namespace.slice(0, MAX_NAME))})` : ''),
    `**${s.verdict}**`,
    text(decidingReason(s)),
    when(s.evidence.permissive.lastSeenAt),
    input.pullRequests.get(serviceKey(s.service)) ?? '',
  ]);
  const mesh = input.mesh;
  const sections = [
    marker,
    `## mTLS posture: ${code(input.target)}`,
    `Updated ${when(input.generatedAt)} from ${text(input.report.source)}, window ${when(input.report.window.start)} to ${when(input.report.window.end)}.`,
    services.length
      ? `${services.length} permissive service${services.length === 1 ? '' : 's'}: ${tally.map(([v, n]) => `${n} ${v}`).join(', ')}.`
      : 'No service is permissive in Git.',
    ...(services.length ? [TABLE_SLOT] : []),
    ...(input.report.unknownQuietItems?.length
      ? [input.report.unknownQuietItems.map((i) => `> **Warning:** ${text(UNKNOWN_QUIET_ITEM(i.slice(0, 200)))}`).join('\n>\n')]
      : []),
    `### Mesh`,
    [
      `- AllowEnablingPermissiveMutualTLS: ${code(String(mesh.allowEnablingPermissiveMutualTLS))}`,
      `- TransparentProxy.MeshDestinationsOnly: ${code(String(mesh.meshDestinationsOnly))}`,
      ...(mesh.lockdownPullRequest ? [`- Lockdown PR: ${mesh.lockdownPullRequest}`] : []),
      ...(mesh.lockdownHeldBack ? [`- Lockdown: ${mesh.lockdownHeldBackMarkdown ?? text(mesh.lockdownHeldBack)}`] : []),
    ].join('\n'),
    ...(input.security ? securitySection(input.security) : []),
    `### Drift`,
    input.report.drift.length
      ? `${DRIFT_HEADING}\n\n${capped(input.report.drift, 100)
          .shown.map((d) => `- ${code(serviceKey(d))}: ${text(d.repair.slice(0, 300))}`)
          .join('\n')}${input.report.drift.length > 100 ? `\n- … and ${count(input.report.drift.length - 100)} more` : ''}`
      : 'None: Consul matches Git for every service.',
    `---\n_Kept up to date by consul-gitops; closed when the mesh is fully strict and locked down._`,
  ];
  // The table takes what the other sections leave of GitHub's limit: cut by fitBody instead, the
  // mesh, its lockdown, the security checks and drift (all after it) were what a large mesh lost.
  // The issue writer (adapters/github/reporter.ts) puts its own marker line first: room is kept for it.
  const limit = GITHUB_BODY_LIMIT - ISSUE_MARKER_ROOM;
  const others = sections.join('\n\n').length + 1 - TABLE_SLOT.length;
  const filled = sections.map((x) => (x === TABLE_SLOT ? serviceTable(rows, services.length, limit - others) : x));
  return fitBody(filled.join('\n\n') + '\n', marker, limit, '`consul-gitops advise` and `consul-gitops audit --posture` print all of it');
}

const TABLE_SLOT = '\u0000service table\u0000';
/** `<!-- consul-gitops:posture/<target> -->` and its line end, with a target name of any sensible length. */
const ISSUE_MARKER_ROOM = 512;

/** The rows that fit in `budget` characters, then how many services are not shown. */
function serviceTable(rows: readonly string[][], total: number, budget: number): string {
  const header = table(['Service', 'Verdict', 'Deciding reason', 'Last plaintext seen', 'PR'], []);
  const more = (n: number) =>
    n > 0 ? `\n\n… and ${count(n)} more service${n === 1 ? '' : 's'} (${count(total)} in all; the issue is held to GitHub's size limit).` : '';
  const lines = [header];
  let used = header.length + more(total).length;
  for (const row of rows) {
    const line = `\n| ${row.join(' | ')} |`;
    if (used + line.length > budget) break;
    lines.push(line);
    used += line.length;
  }
  return lines.join('') + more(total - (lines.length - 1));
}
