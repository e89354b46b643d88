// Plan (and apply report, and validation errors) → GitHub-flavoured Markdown for the PR comment and
// the drift issue: the summary line, a table by kind for long plans, then one collapsible block per
// change with its file and line and its attributes as a diff, element by element. Past GitHub's
// comment limit, details fold into one-line entries and the comment says so and links the full
// plan: nothing is cut silently. Pure: no octokit, no clock.
import { noReferences } from './github-references.ts';
import { unwrittenDifferences, unwrittenSummary } from './unwritten-differences.ts';
import type { FieldDiff } from '../core/plan/canonical.ts';
import { appendAll, largestOf } from '../core/plan/append-all.ts';
import { attributeLines } from '../core/plan/attribute-lines.ts';
import { changeAttributes } from '../core/plan/attributes.ts';
import { CHANGED_OUTSIDE, changedOutsideNote } from '../core/plan/changed-outside.ts';
import type { Change, Plan } from '../core/plan/plan.ts';
import { changeLocation, countsByKind, LONG_PLAN, summaryLine } from '../core/plan/render-plan.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { redact } from '../core/plan/sensitive.ts';
import { formatEntryId } from '../model/entry-id.ts';
import { escapeControl, formatConfigEntryError, type ConfigEntryError } from '../model/errors.ts';
import { GITHUB_BODY_LIMIT, html, text } from './markdown.ts';
import { Buffer } from 'node:buffer';

/** What an apply did to one change: the shape of apply-plan.ts's ChangeOutcome, read structurally. */
export interface ChangeOutcomeView {
  status: 'applied' | 'unchanged' | 'conflict' | 'failed' | 'unknown' | 'skipped';
  message?: string;
  liveDiffs?: readonly FieldDiff[];
}

/** An apply report as this renderer reads it (apply-plan.ts's ApplyReport fits it). */
export interface ApplyReportView {
  results: readonly { change: Change; outcome: ChangeOutcomeView }[];
  counts: Record<ChangeOutcomeView['status'], number>;
}

export interface PlanMarkdownInput {
  plan?: Plan;
  report?: ApplyReportView;
  /** Decode, validation and graph errors: when present the tree was not planned. */
  errors?: readonly ConfigEntryError[];
  /** Heading, e.g. `consul-gitops plan for dc1`. */
  title?: string;
  /** Commit the plan was made at; shown short in the heading. */
  revision?: string;
  /** Links `path:line` to the file on GitHub, e.g. `https://github.com/o/r/blob/<sha>/<path>#L<line>`. */
  fileUrl?: (path: string, line: number) => string;
  /** Where the whole plan can be read (the commit status's details link), named when the comment cannot hold it. */
  fullPlanUrl?: string;
  /** Why the whole plan could not be kept for a link (the archive failed): said where the link would be. */
  fullPlanProblem?: string;
  /** Output budget in characters; default GitHub's comment limit (65,536). */
  maxChars?: number;
}

const ACTION_MARK: Record<Change['action'], string> = { create: '+', update: '~', delete: '-', skip: '!', noop: '=' };
const OUTCOME_NOTE: Record<ChangeOutcomeView['status'], string> = {
  applied: '✅ applied',
  unchanged: 'unchanged',
  conflict: '⚠️ conflict',
  failed: '❌ failed',
  unknown: '❓ outcome unknown: re-run plan',
  skipped: '⏭️ not attempted',
};

/** The terminal's summary line, so a PR comment, a drift issue and `plan` say the same. */
export function planSummaryLine(plan: Plan): string {
  return summaryLine(plan);
}

export function applySummaryLine(report: Pick<ApplyReportView, 'counts'>): string {
  const c = report.counts;
  const unknown = c.unknown > 0 ? `, ${c.unknown} outcome unknown (re-run plan)` : '';
  return `Apply: ${c.applied} applied, ${c.failed} failed, ${c.conflict} conflicts${unknown}, ${c.skipped} not attempted.`;
}

/**
 * A URL as a Markdown link's target: every character outside the URL-safe set percent-encoded, so a
 * file name's space, parenthesis, bracket, `<` or line break cannot end the link and start markup of
 * its own (`x) ![t](https://…` or a blank line and `# Approved`). `%` is kept: an encoded URL stays as it is.
 */
export function linkTarget(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** A fence longer than any backtick run inside, so values cannot close it; controls shown escaped, as the terminal shows them. */
function fenced(lang: string, lines: readonly string[]): string[] {
  // Loops, not Math.max(...lines): a block can hold hundreds of thousands of lines (append-all.ts).
  const longest = largestOf(
    0,
    lines.map((l) =>
      largestOf(
        0,
        (l.match(/`+/g) ?? []).map((m) => m.length),
      ),
    ),
  );
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...lines.map(escapeControl), fence];
}

const show = (v: unknown) => (v === undefined ? '(absent)' : stringifyApiJson(redact(v), 0));

/** The attributes as a `diff` block: `+`/`-` in the first column (GitHub colours those), nesting after it. */
function diffLines(c: Change): string[] {
  // Fitting a long plan renders it a few times over: each change's block is worked out once.
  const known = DIFF_LINES.get(c);
  if (known) return known;
  const { nodes, hidden } = changeAttributes(c);
  const lines = attributeLines(nodes, 'diff', hidden).map((l) => `${l.mark === '+' || l.mark === '-' ? l.mark : ' '} ${'    '.repeat(l.depth)}${l.text}`);
  DIFF_LINES.set(c, lines);
  return lines;
}
const DIFF_LINES = new WeakMap<Change, string[]>();

function location(c: Change, fileUrl: PlanMarkdownInput['fileUrl']): string {
  const where = changeLocation(c);
  if (!where) return '';
  if (fileUrl && c.source && c.line && c.action !== 'delete') return ` (<a href="${html(fileUrl(c.source, c.line))}">${html(where)}</a>)`;
  // Outside a link GitHub would read `@team` or `#12` in a file name as a mention or an issue.
  return ` (${noReferences(html(where))})`;
}

function changeSummary(c: Change, outcome: ChangeOutcomeView | undefined, fileUrl: PlanMarkdownInput['fileUrl']): string {
  const adopt = c.adopted ? ' [adopt]' : c.requiresAdopt ? ' [needs --adopt]' : '';
  const fields = c.action === 'update' ? `: ${c.fieldDiffs.length} field${c.fieldDiffs.length === 1 ? '' : 's'}` : '';
  const drift = c.changedOutside ? ` — <strong>${CHANGED_OUTSIDE}</strong>` : '';
  const result = outcome ? ` — ${OUTCOME_NOTE[outcome.status]}` : '';
  return `<code>${ACTION_MARK[c.action]}</code> ${c.action} <code>${html(formatEntryId(c.id))}</code>${location(c, fileUrl)}${adopt}${fields}${drift}${result}`;
}

function renderChange(c: Change, outcome: ChangeOutcomeView | undefined, detailed: boolean, fileUrl: PlanMarkdownInput['fileUrl']): string[] {
  const summary = changeSummary(c, outcome, fileUrl);
  const notes: string[] = [];
  if (c.action === 'delete' || c.requiresAdopt) notes.push(`> ${text(c.reason)}`);
  // Live fields consul-gitops does not know: the reviewer must see that this update removes them.
  for (const f of c.lostFields ?? [])
    notes.push(`> <code>${html(f)}</code>: unknown to consul-gitops: would be removed${c.requiresFieldLoss ? ' (written only with --allow-field-loss)' : ''}`);
  if (outcome?.message) notes.push(`> ${text(outcome.message)}`);
  if (outcome?.status === 'conflict' && outcome.liveDiffs?.length)
    appendAll(notes, [
      '',
      'Changed in Consul since the plan:',
      '',
      ...fenced(
        'diff',
        outcome.liveDiffs.flatMap((d) => [`- ${d.path} = ${show(d.before)}`, `+ ${d.path} = ${show(d.after)}`]),
      ),
    ]);
  if (!detailed) return [`- ${summary}`, ...notes.map((n) => (n ? `  ${n}` : n))];
  const lines = diffLines(c);
  return [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    ...notes,
    ...(notes.length ? [''] : []),
    ...(lines.length ? fenced('diff', lines) : []),
    '',
    '</details>',
    '',
  ];
}

/** Errors as a list of `path:line:col field: message`, with hints below. */
export function renderErrorsMarkdown(errors: readonly ConfigEntryError[], fileUrl?: PlanMarkdownInput['fileUrl']): string {
  const lines: string[] = [];
  for (const e of errors) {
    const [first, ...hints] = formatConfigEntryError(e).split('\n');
    // The place as formatConfigEntryError wrote it (the file name's controls escaped), so the rest follows it exactly.
    const where = `${escapeControl(e.file)}:${e.line}:${e.column}`;
    lines.push(fileUrl ? `- [${text(where)}](${linkTarget(fileUrl(e.file, e.line))})${text(first.slice(where.length))}` : `- ${text(first)}`);
    for (const h of hints) lines.push(`  ${text(h.trim())}`);
  }
  return lines.join('\n');
}

function kindTable(plan: Plan): string[] {
  return [
    '| Kind | Create | Update | Delete |',
    '| --- | ---: | ---: | ---: |',
    ...countsByKind(plan).map((r) => `| <code>${html(r.kind)}</code> | ${r.create} | ${r.update} | ${r.delete} |`),
    '',
  ];
}

/** How much of a long plan one comment shows: `detailed` changes in full, the next `listed` as one line each. */
interface Budget {
  detailed: number;
  listed: number;
}

function where(input: PlanMarkdownInput): string {
  if (input.fullPlanUrl) return `[Read the full plan](${input.fullPlanUrl}) (also linked from this commit's consul-gitops status, under Details).`;
  const at = input.revision ? ` at \`${input.revision.slice(0, 12)}\`` : '';
  if (input.fullPlanProblem) return `The full plan could not be kept for a link (${text(input.fullPlanProblem)}): run \`consul-gitops plan\`${at} to read it.`;
  return `Run \`consul-gitops plan\`${at} to read the full plan.`;
}

function render(input: PlanMarkdownInput, budget: Budget): string {
  const out: string[] = [];
  const rev = input.revision ? ` at \`${input.revision.slice(0, 12)}\`` : '';
  if (input.title || rev) out.push(`### ${text(input.title ?? 'consul-gitops')}${rev}`, '');

  const errors = input.errors ?? [];
  if (errors.length) {
    const shown = errors.slice(0, budget.detailed + budget.listed);
    out.push(
      `**${errors.length} error${errors.length === 1 ? '' : 's'} in the config entries; nothing was planned.**`,
      '',
      renderErrorsMarkdown(shown, input.fileUrl),
      '',
    );
    if (shown.length < errors.length)
      out.push(
        `**${errors.length - shown.length} more errors are not listed: this comment would pass GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit.** ${where(input)}`,
        '',
      );
  }

  const plan = input.plan;
  if (plan) {
    const s = plan.summary;
    const extra = [s.noop && `${s.noop} unchanged`, s.skip && `${s.skip} skipped`].filter(Boolean).join(', ');
    out.push(`**${planSummaryLine(plan)}**${extra ? ` (${extra})` : ''}`, '');
    if (input.report) out.push(`**${applySummaryLine(input.report)}**`, '');
    if (plan.refused) out.push('> [!CAUTION]', `> Refused: ${text(plan.refused)}`, '');
    const drift = changedOutsideNote(plan);
    if (drift) out.push('> [!WARNING]', `> ${text(drift)}`, '');

    const outcomes = new Map(input.report?.results.map((r) => [r.change, r.outcome]));
    const visible = plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'skip');
    const unwritten = unwrittenDifferences(plan).length;
    if (visible.length === 0 && !plan.refused)
      out.push(unwritten ? `No changes consul-gitops can make, but ${unwrittenSummary(unwritten)}.` : 'No changes. Consul matches the files.', '');
    if (visible.length > LONG_PLAN) out.push(...kindTable(plan));
    const detailed = Math.min(budget.detailed, visible.length);
    const listed = Math.min(budget.listed, visible.length - detailed);
    for (const c of visible.slice(0, detailed)) appendAll(out, renderChange(c, outcomes.get(c), true, input.fileUrl));
    if (listed > 0) {
      out.push(
        `The next ${listed} change${listed === 1 ? ' is' : 's are'} listed without their attributes, to keep this comment under GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit. ${where(input)}`,
        '',
      );
      for (const c of visible.slice(detailed, detailed + listed)) appendAll(out, renderChange(c, outcomes.get(c), false, input.fileUrl));
      out.push('');
    }
    const rest = visible.length - detailed - listed;
    if (rest > 0)
      out.push(
        `**${rest} more change${rest === 1 ? ' is' : 's are'} not shown: this comment would pass GitHub's ${GITHUB_BODY_LIMIT.toLocaleString('en-US')}-character limit.** ${where(input)}`,
        '',
      );

    const skipped = plan.changes.filter((c) => c.action === 'skip');
    if (skipped.length) {
      const cap = budget.detailed + budget.listed;
      out.push('**Skipped**', '');
      for (const c of skipped.slice(0, cap)) {
        out.push(`- <code>${html(formatEntryId(c.id))}</code>: ${text(c.reason)}`);
        // An entry another controller owns that differs from Git: show how, though it is not ours to change.
        if (budget.listed === 0 && c.fieldDiffs.length) appendAll(out, ['', ...fenced('diff', diffLines(c)).map((l) => `  ${l}`), '']);
      }
      if (skipped.length > cap) out.push(`- …and ${skipped.length - cap} more skipped`);
      out.push('');
    }
    if (plan.warnings.length) {
      const cap = Math.max(1, budget.detailed + budget.listed);
      out.push('**Warnings**', '');
      for (const w of plan.warnings.slice(0, cap)) out.push(`- ⚠️ ${w.entry ? `<code>${html(w.entry)}</code>: ` : ''}${text(w.message)}`);
      if (plan.warnings.length > cap) out.push(`- …and ${plan.warnings.length - cap} more warnings`);
      out.push('');
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Largest n in [lo, hi] with fits(n), given fits(lo); fits is monotone (more shown, longer text). */
function largest(lo: number, hi: number, fits: (n: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The whole comment within `maxChars`: every change in full if it fits; else the first ones in
 * full and the rest as one line each; else as many one-liners as fit and a count of the rest.
 * Each step says what it left out and where the full plan is.
 */
export function renderPlanMarkdown(input: PlanMarkdownInput): string {
  const max = input.maxChars ?? GITHUB_BODY_LIMIT;
  const n = Math.max(input.plan?.changes.length ?? 0, input.errors?.length ?? 0);
  const fits = (b: Budget) => render(input, b).length <= max;
  if (fits({ detailed: n, listed: 0 })) return render(input, { detailed: n, listed: 0 });
  if (fits({ detailed: 0, listed: n })) {
    const d = largest(0, n, (k) => fits({ detailed: k, listed: n - k }));
    return render(input, { detailed: d, listed: n - d });
  }
  const m = largest(0, n, (k) => k === 0 || fits({ detailed: 0, listed: k }));
  const text = render(input, { detailed: 0, listed: m });
  if (text.length <= max) return text;
  // Only a title and summary longer than the budget get here: cut, and say so.
  const note = `\n\n…(cut to fit one comment) ${where(input)}\n`;
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`;
}
