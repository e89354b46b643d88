// The advisor's report for a terminal: one row per judged service, then why the others are not
// ready, then the drift. Pure; every name and reason is escaped, since service names come from
// Consul's catalog and may carry control characters meant to rewrite a terminal.
import { datacentersJudged } from '../core/advisor/human.ts';
import { unlistedDatacenterText } from '../core/advisor/unlisted.ts';
import type { AdviceReport, InstanceEvidence, ServiceRef, ServiceVerdict } from '../core/advisor/model.ts';
import { formatPromDuration } from '../core/advisor/duration.ts';
import { escapeControl } from '../model/terminal-text.ts';

// The terminal's one escaping (terminal-text.ts), re-exported for the advisor's other reports.
export { escapeControl };

/** What puts a permissive sidecar registration right: it lives in the catalog, not in Git. */
export const PERMISSIVE_SIDECAR_REPAIR =
  're-register the sidecar without Proxy.MutualTLSMode = "permissive" in its service definition (leave it unset, or set "strict")';

/** The warning for an `advisor.expectNoInboundTraffic` item no service matches (text, JSON and the posture issue). */
export const UNKNOWN_QUIET_ITEM = (item: string): string =>
  `advisor.expectNoInboundTraffic item "${item}" names no service Git or Consul knows (no service-defaults, no sidecar): it marks nothing; check its spelling, and write namespace/name or partition/namespace/name for a service outside the default namespace.`;

export function formatTime(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function formatService(s: ServiceRef): string {
  const scoped = s.partition.toLowerCase() !== 'default' || s.namespace.toLowerCase() !== 'default';
  return escapeControl(scoped ? `${s.partition}/${s.namespace}/${s.name}` : s.name);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 2 - ([...c].length - c.length))))
      .join('')
      .trimEnd(),
  );
}

function instanceLine(e: InstanceEvidence): string {
  const p = e.permissive.connections;
  const plaintext = p ? `plaintext connections ${p.first ?? '-'} → ${p.last ?? '-'} (+${p.increase})` : 'no permissive series';
  const restarts = e.restarts ? `, ${e.restarts} restart${e.restarts === 1 ? '' : 's'}` : '';
  return `${escapeControl(e.instance)}: samples ${formatTime(e.firstSampleAt)} → ${formatTime(e.lastSampleAt)}, ${plaintext}${restarts}`;
}

function details(v: ServiceVerdict): string[] {
  const ev = v.evidence;
  const out = [`  ${formatService(v.service)}: ${v.verdict}`];
  for (const r of v.reasons) out.push(`    - ${escapeControl(r)}`);
  out.push(`    permissive through ${v.origin.kind}${v.origin.file ? ` (${escapeControl(v.origin.file)})` : ''}`);
  for (const i of ev.instances) out.push(`    instance ${instanceLine(i)}`);
  if (ev.permissive.lastSeenAt !== undefined) out.push(`    plaintext last seen ${formatTime(ev.permissive.lastSeenAt)}`);
  for (const p of ev.problems) out.push(`    problem: ${escapeControl(p)}`);
  if (ev.datacenters) out.push(`    ${escapeControl(datacentersJudged(ev.datacenters))}`);
  for (const s of ev.sources) out.push(`    from: ${escapeControl(s)}`);
  return out;
}

export function renderAdviceText(report: AdviceReport): string {
  const w = report.window;
  const lines = [
    `Strict-mode advice over ${formatPromDuration(w.end - w.start)} (${formatTime(w.start)} → ${formatTime(w.end)}), samples from ${escapeControl(report.source)}`,
    '',
  ];
  if (report.services.length === 0) lines.push('No service is permissive in Git: nothing to judge.');
  else {
    const rows = [['SERVICE', 'VERDICT', 'LAST PLAINTEXT', 'REASON']];
    for (const v of report.services)
      rows.push([formatService(v.service), v.verdict, formatTime(v.evidence.permissive.lastSeenAt), escapeControl(v.reasons[0] ?? '')]);
    lines.push(...table(rows));
  }
  const notReady = report.services.filter((v) => v.verdict !== 'ready-for-strict');
  if (notReady.length) lines.push('', 'Not ready:', ...notReady.flatMap(details));
  if (report.drift.length)
    lines.push(
      '',
      // apply leaves an entry without consul-gitops' ownership marker alone (plan: "`--adopt` takes it over").
      'Drift: strict in Git but still permissive in Consul (apply repairs it; apply --adopt where consul-gitops does not manage the entry yet):',
      ...report.drift.map((d) => `  ${formatService(d)}: ${escapeControl(d.repair)}`),
    );
  if (report.permissiveSidecars?.length)
    lines.push(
      '',
      'Permissive sidecar registrations: Proxy.MutualTLSMode = "permissive" in the registration wins over service-defaults and proxy-defaults, so these take plaintext whatever Git says (no proposal changes them):',
      ...report.permissiveSidecars.map((s) => `  ${escapeControl(s)}: ${PERMISSIVE_SIDECAR_REPAIR}`),
    );
  const elsewhere = (report.otherDatacenters ?? []).filter((dc) => 'unreadable' in dc || dc.permissiveSidecars.length);
  if (elsewhere.length)
    lines.push(
      '',
      'Other WAN-federated datacenters (config entries and the mesh entry replicate there; sidecar registrations do not):',
      ...elsewhere.map((dc) =>
        'unreadable' in dc
          ? `  ${escapeControl(dc.datacenter)}: could not be read: ${escapeControl(dc.unreadable)}`
          : `  ${escapeControl(dc.datacenter)}: permissive sidecar registrations: ${dc.permissiveSidecars.map(escapeControl).join(', ')}: ${PERMISSIVE_SIDECAR_REPAIR}`,
      ),
    );
  if (report.unlistedDatacenters?.length) lines.push('', ...report.unlistedDatacenters.map((u) => `Not judged: ${escapeControl(unlistedDatacenterText(u))}`));
  if (report.unknownQuietItems?.length) lines.push('', ...report.unknownQuietItems.map((i) => `Warning: ${UNKNOWN_QUIET_ITEM(escapeControl(i))}`));
  const counts = new Map<string, number>();
  for (const v of report.services) counts.set(v.verdict, (counts.get(v.verdict) ?? 0) + 1);
  const summary = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  lines.push('', `${report.services.length} service${report.services.length === 1 ? '' : 's'} judged${summary ? `: ${summary}` : ''}.`, '');
  return lines.join('\n');
}
