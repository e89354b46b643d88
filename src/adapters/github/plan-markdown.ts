// Plan (and apply report, and validation errors) → GitHub-flavoured Markdown for the PR comment and
// the drift issue: a summary line, a collapsible diff per change with field-level before/after,
// warnings, and errors as `path:line:col field: message`. Pure: no octokit, no clock.
import type { ApplyReport, ChangeOutcome } from '../../app/apply-plan.ts';
import { stringifyApiJson } from '../../core/api-json.ts';
import { normalizeEntry } from '../../core/normalize.ts';
import type { Change, Plan } from '../../core/plan/plan.ts';
import { summaryLine } from '../../core/plan/render-plan.ts';
import { OWNER_KEY, SOURCE_KEY } from '../../core/plan/ownership.ts';
import { formatEntryId } from '../../model/entry-id.ts';
import { formatConfigEntryError, type ConfigEntryError } from '../../model/errors.ts';

export interface PlanMarkdownInput {
  plan?: Plan;
  report?: ApplyReport;
  /** Decode, validation and graph errors: when present the tree was not planned. */
  errors?: readonly ConfigEntryError[];
  /** Heading, e.g. `consul-gitops plan for dc1`. */
  title?: string;
  /** Commit the plan was made at; shown short in the heading. */
  revision?: string;
  /** Links `path:line` to the file on GitHub, e.g. `https://github.com/o/r/blob/<sha>/<path>#L<line>`. */
  fileUrl?: (path: string, line: number) => string;
  /** Output budget in characters (GitHub allows 65,536 per comment); default 60,000. */
  maxChars?: number;
}

const ACTION_MARK: Record<Change['action'], string> = { create: '+', update: '~', delete: '-', skip: '!', noop: '=' };
const OUTCOME_NOTE: Record<ChangeOutcome['status'], string> = {
  applied: '✅ applied',
  unchanged: 'unchanged',
  conflict: '⚠️ conflict',
  failed: '❌ failed',
  unknown: '❓ outcome unknown: re-run plan',
  skipped: '⏭️ not attempted',
};
/** The ownership marker every written entry carries: noise in a create or delete listing. */
const OWNERSHIP_FIELDS = new Set([`Meta.${OWNER_KEY}`, `Meta.${SOURCE_KEY}`]);

/** The terminal's summary line, so a PR comment, a drift issue and `plan` say the same. */
export function planSummaryLine(plan: Plan): string {
  return summaryLine(plan);
}

export function applySummaryLine(report: ApplyReport): string {
  const c = report.counts;
  const unknown = c.unknown > 0 ? `, ${c.unknown} outcome unknown (re-run plan)` : '';
  return `Apply: ${c.applied} applied, ${c.failed} failed, ${c.conflict} conflicts${unknown}, ${c.skipped} not attempted.`;
}

/** Escapes text for Markdown inline context (and for HTML such as `<summary>`). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*[\]|~])/g, '\\$1');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A fence longer than any backtick run inside, so values cannot close it. */
function fenced(lang: string, lines: readonly string[]): string[] {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...lines, fence];
}

const show = (v: unknown) => (v === undefined ? '(absent)' : stringifyApiJson(v, 0));

function flatten(value: unknown, path: string, out: [string, unknown][]): [string, unknown][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.push([path, value]);
  return out;
}

function diffLines(c: Change): string[] {
  switch (c.action) {
    case 'create':
      return flatten(normalizeEntry(c.after!), '', [])
        .filter(([k]) => k !== 'Kind' && !OWNERSHIP_FIELDS.has(k))
        .map(([k, v]) => `+ ${k} = ${show(v)}`);
    case 'update':
      return c.fieldDiffs.flatMap((d) => [
        ...(d.before === undefined ? [] : [`- ${d.path} = ${show(d.before)}`]),
        ...(d.after === undefined ? [] : [`+ ${d.path} = ${show(d.after)}`]),
      ]);
    case 'delete':
      return c.before ? flatten(c.before, '', []).filter(([k]) => k !== 'Kind' && !OWNERSHIP_FIELDS.has(k)).map(([k, v]) => `- ${k} = ${show(v)}`) : [];
    default:
      return [];
  }
}

function changeSummary(c: Change, outcome: ChangeOutcome | undefined): string {
  const where = c.source ? ` (${escapeHtml(c.source)})` : '';
  const adopt = c.adopted ? ' [adopt]' : c.requiresAdopt ? ' [needs --adopt]' : '';
  const fields = c.action === 'update' ? `: ${c.fieldDiffs.length} field${c.fieldDiffs.length === 1 ? '' : 's'}` : '';
  const result = outcome ? ` — ${OUTCOME_NOTE[outcome.status]}` : '';
  return `<code>${ACTION_MARK[c.action]}</code> ${c.action} <code>${escapeHtml(formatEntryId(c.id))}</code>${where}${adopt}${fields}${result}`;
}

function renderChange(c: Change, outcome: ChangeOutcome | undefined, compact: boolean): string[] {
  const summary = changeSummary(c, outcome);
  const notes: string[] = [];
  if (outcome && 'message' in outcome) notes.push(`> ${escapeMarkdown(outcome.message)}`);
  if (outcome?.status === 'conflict' && outcome.liveDiffs.length)
    notes.push('', 'Changed in Consul since the plan:', '', ...fenced('diff', outcome.liveDiffs.flatMap((d) => [`- ${d.path} = ${show(d.before)}`, `+ ${d.path} = ${show(d.after)}`])));
  if (c.action === 'delete' || c.requiresAdopt) notes.unshift(`> ${escapeMarkdown(c.reason)}`);
  if (compact) return [`- ${summary}`, ...notes.map((n) => (n ? `  ${n}` : n))];
  const lines = diffLines(c);
  return ['<details>', `<summary>${summary}</summary>`, '', ...notes, ...(notes.length ? [''] : []), ...(lines.length ? fenced('diff', lines) : []), '', '</details>', ''];
}

/** Errors as a list of `path:line:col field: message`, with hints below. */
export function renderErrorsMarkdown(errors: readonly ConfigEntryError[], fileUrl?: PlanMarkdownInput['fileUrl']): string {
  const lines: string[] = [];
  for (const e of errors) {
    const [first, ...hints] = formatConfigEntryError(e).split('\n');
    const where = `${e.file}:${e.line}:${e.column}`;
    const text = escapeMarkdown(first!);
    lines.push(fileUrl ? `- [${escapeMarkdown(where)}](${fileUrl(e.file, e.line)})${text.slice(escapeMarkdown(where).length)}` : `- ${text}`);
    for (const h of hints) lines.push(`  ${escapeMarkdown(h.trim())}`);
  }
  return lines.join('\n');
}

function render(input: PlanMarkdownInput, compact: boolean, limitChanges: number): string {
  const out: string[] = [];
  const rev = input.revision ? ` at \`${input.revision.slice(0, 12)}\`` : '';
  if (input.title || rev) out.push(`### ${escapeMarkdown(input.title ?? 'consul-gitops')}${rev}`, '');

  const errors = input.errors ?? [];
  if (errors.length) {
    out.push(`**${errors.length} error${errors.length === 1 ? '' : 's'} in the config entries; nothing was planned.**`, '', renderErrorsMarkdown(errors, input.fileUrl), '');
  }

  const plan = input.plan;
  if (plan) {
    const s = plan.summary;
    const extra = [s.noop && `${s.noop} unchanged`, s.skip && `${s.skip} skipped`].filter(Boolean).join(', ');
    out.push(`**${planSummaryLine(plan)}**${extra ? ` (${extra})` : ''}`, '');
    if (input.report) out.push(`**${applySummaryLine(input.report)}**`, '');
    if (plan.refused) out.push('> [!CAUTION]', `> Refused: ${escapeMarkdown(plan.refused)}`, '');

    const outcomes = new Map(input.report?.results.map((r) => [r.change, r.outcome]));
    const visible = plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'skip');
    if (visible.length === 0 && !plan.refused) out.push('No changes. Consul matches the files.', '');
    for (const c of visible.slice(0, limitChanges)) out.push(...renderChange(c, outcomes.get(c), compact));
    if (compact && visible.length) out.push('');
    if (visible.length > limitChanges) out.push(`…and ${visible.length - limitChanges} more changes (too long for one comment).`, '');

    const skipped = plan.changes.filter((c) => c.action === 'skip');
    if (skipped.length) {
      out.push('**Skipped**', '');
      for (const c of skipped.slice(0, limitChanges)) {
        out.push(`- <code>${escapeHtml(formatEntryId(c.id))}</code>: ${escapeMarkdown(c.reason)}`);
        // An entry another controller owns that differs from Git: show how, though it is not ours to change.
        if (!compact && c.fieldDiffs.length) out.push('', ...fenced('diff', c.fieldDiffs.flatMap((d) => [`- ${d.path} = ${show(d.before)}`, `+ ${d.path} = ${show(d.after)}`])).map((l) => `  ${l}`), '');
      }
      if (skipped.length > limitChanges) out.push(`- …and ${skipped.length - limitChanges} more`);
      out.push('');
    }
    if (plan.warnings.length) {
      out.push('**Warnings**', '');
      for (const w of plan.warnings) out.push(`- ⚠️ ${w.entry ? `<code>${escapeHtml(w.entry)}</code>: ` : ''}${escapeMarkdown(w.message)}`);
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The whole comment; shrinks itself (no per-field diffs, then fewer changes) to fit `maxChars`. */
export function renderPlanMarkdown(input: PlanMarkdownInput): string {
  const max = input.maxChars ?? 60_000;
  const all = Number.MAX_SAFE_INTEGER;
  let text = render(input, false, all);
  if (text.length <= max) return text;
  text = render(input, true, all);
  let limit = input.plan?.changes.length ?? 0;
  while (text.length > max && limit > 0) {
    limit = Math.floor(limit / 2);
    text = render(input, true, limit);
  }
  return text.length <= max ? text : `${text.slice(0, max - 40)}\n\n…(cut to fit one comment)\n`;
}
