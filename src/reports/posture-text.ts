// `audit --posture` for a terminal and for machines: the mTLS part as `audit` prints it, then one
// row per check (check, status, evidence, fix) and the verdict. Service names come from Consul's
// catalog and may carry terminal control characters: every cell is escaped.
import type { MtlsAudit } from '../app/audit.ts';
import { renderAudit } from '../app/audit.ts';
import type { PostureReport } from '../app/posture.ts';
import type { Finding } from '../core/posture/finding.ts';
import { escapeControl } from './advice-text.ts';

export function renderPostureText(report: PostureReport, gating: readonly Finding[]): string {
  const out: string[] = ['mTLS:', ''];
  out.push(report.mtls.known ? renderAudit(report.mtls.value) : `unknown: ${escapeControl(report.mtls.why)}\n`);
  out.push('Security posture:', '');
  const rows = report.findings.map((f) => [f.id, f.status.toUpperCase(), escapeControl(f.evidence), escapeControl(f.fix || '-')]);
  const head = ['CHECK', 'STATUS', 'EVIDENCE', 'FIX'];
  const widths = [0, 1].map((i) => Math.max(head[i].length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}${r[3] === '-' ? '' : `\n${' '.repeat(widths[0] + widths[1] + 4)}fix: ${r[3]}`}`;
  out.push(`${head[0].padEnd(widths[0])}  ${head[1].padEnd(widths[1])}  ${head[2]} / ${head[3]}`);
  for (const r of rows) out.push(line(r));
  const count = (s: Finding['status']) => report.findings.filter((f) => f.status === s).length;
  out.push('', `${report.findings.length} checks: ${count('pass')} pass, ${count('warn')} warn, ${count('fail')} fail, ${count('unknown')} unknown.`);
  out.push(gating.length ? `Not production-safe: ${gating.map((f) => `${f.id} (${f.status})`).join(', ')}.` : 'No gating check failed.');
  return `${out.join('\n')}\n`;
}

export interface PostureJson {
  mtls: MtlsAudit | { unknown: string; permission: string };
  findings: Finding[];
  gating: string[];
  ok: boolean;
}

export function postureJson(report: PostureReport, gating: readonly Finding[]): PostureJson {
  return {
    mtls: report.mtls.known ? report.mtls.value : { unknown: report.mtls.why, permission: report.mtls.permission },
    findings: report.findings,
    gating: gating.map((f) => f.id),
    ok: gating.length === 0,
  };
}
