// Plan → text for a terminal, modelled on `terraform plan`: a summary table for long plans, then
// each change with its file and line and its attributes element by element (`+` set, `-` removed,
// `~` changed, nested values indented), warnings, and a closing summary line.
import { formatEntryId } from '../../model/entry-id.ts';
import { escapeControl } from '../../model/errors.ts';
import { appendAll } from './append-all.ts';
import { attributeLines, type AttributeLine } from './attribute-lines.ts';
import { changeAttributes } from './attributes.ts';
import { CHANGED_OUTSIDE, changedOutsideNote } from './changed-outside.ts';
import type { Change, ChangeAction, Plan } from './plan.ts';
import { unwrittenDifferences, unwrittenSummary } from './unwritten.ts';

/** Colours as plain functions (not methods): the renderer hands them around detached from the style. */
export interface TextStyle {
  green: (s: string) => string;
  yellow: (s: string) => string;
  red: (s: string) => string;
  dim: (s: string) => string;
}

export const PLAIN: TextStyle = { green: (s) => s, yellow: (s) => s, red: (s) => s, dim: (s) => s };
export const ANSI: TextStyle = {
  green: (s) => `\x1b[32m${s}\x1b[0m`,
  yellow: (s) => `\x1b[33m${s}\x1b[0m`,
  red: (s) => `\x1b[31m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
};

/** A plan with more changes than this opens with a table of them by kind. */
export const LONG_PLAN = 3;

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const adopt = plan.changes.filter((c) => c.requiresAdopt).length;
  return `Plan: ${s.create} to create, ${s.update} to update${adopt ? ` (${adopt} only with --adopt)` : ''}, ${s.delete} to delete.`;
}

export type KindCounts = { kind: string } & Record<'create' | 'update' | 'delete', number>;

/** Creates, updates and deletes per kind, kinds in apply order of first appearance. */
export function countsByKind(plan: Plan): KindCounts[] {
  const rows = new Map<string, KindCounts>();
  for (const c of plan.changes) {
    if (c.action !== 'create' && c.action !== 'update' && c.action !== 'delete') continue;
    const row = rows.get(c.id.kind) ?? { kind: c.id.kind, create: 0, update: 0, delete: 0 };
    row[c.action]++;
    rows.set(c.id.kind, row);
  }
  return [...rows.values()];
}

/** `config-entries/api.hcl:3`, or for a delete `was config-entries/api.hcl`; names are escaped. */
export function changeLocation(c: Change): string | undefined {
  if (!c.source) return undefined;
  const file = escapeControl(c.source);
  return c.action === 'delete' ? `was ${file}` : c.line ? `${file}:${c.line}` : file;
}

const acts = (c: Change) => c.action === 'create' || c.action === 'update' || c.action === 'delete';

function colour(style: TextStyle, mark: AttributeLine['mark'] | ChangeAction): (s: string) => string {
  if (mark === '+' || mark === 'create') return style.green;
  if (mark === '-' || mark === 'delete') return style.red;
  if (mark === '~' || mark === 'update') return style.yellow;
  return style.dim;
}

function attributeText(c: Change, style: TextStyle): string[] {
  const { nodes, hidden } = changeAttributes(c);
  return attributeLines(nodes, 'inline', hidden).map((l) => {
    const pad = ' '.repeat(6 + l.depth * 4);
    if (l.closing) return `${pad}  ${l.text}`;
    return l.mark === ' ' ? style.dim(`${pad}  ${l.text}`) : colour(style, l.mark)(`${pad}${l.mark} ${l.text}`);
  });
}

const HEAD: Record<ChangeAction, string> = { create: '+ create', update: '~ update', delete: '- delete', skip: '! skip', noop: '  ' };

/** Live fields the update would remove because consul-gitops does not know them (issue 11, class 3). */
function lostLines(c: Change, style: TextStyle): string[] {
  if (!c.lostFields?.length) return [];
  const how = c.requiresFieldLoss ? 'written only with --allow-field-loss' : 'removed: --allow-field-loss given';
  return c.lostFields.map((p) => style.red(`      ! ${escapeControl(p)}: unknown to consul-gitops: would be removed (${how})`));
}

function renderChange(c: Change, style: TextStyle): string[] {
  const where = changeLocation(c);
  const id = formatEntryId(c.id);
  const tags = [c.adopted ? '[adopt]' : '', c.changedOutside ? `[${CHANGED_OUTSIDE}]` : ''].filter(Boolean).join(' ');
  if (c.action === 'skip') return [style.dim(`  ! skip ${id}: ${escapeControl(c.reason)}`), ...attributeText(c, style)];
  const head =
    colour(style, c.action)(`  ${HEAD[c.action]} ${id}`) + (where ? style.dim(`  (${where})`) : '') + (tags ? colour(style, c.action)(`  ${tags}`) : '');
  // Why a delete or an update that needs --adopt happens is not in the attributes: say it.
  const why = c.action === 'delete' || c.requiresAdopt ? [colour(style, c.action)(`      # ${escapeControl(c.reason)}`)] : [];
  return [head, ...why, ...lostLines(c, style), ...attributeText(c, style)];
}

function kindTable(plan: Plan): string[] {
  const rows = countsByKind(plan);
  const width = Math.max(4, ...rows.map((r) => r.kind.length));
  const line = (k: string, a: string, b: string, c: string) => `  ${k.padEnd(width)}  ${a.padStart(6)}  ${b.padStart(6)}  ${c.padStart(6)}`;
  return [line('kind', 'create', 'update', 'delete'), ...rows.map((r) => line(r.kind, String(r.create), String(r.update), String(r.delete))), ''];
}

export function renderPlanText(plan: Plan, style: TextStyle = PLAIN): string {
  const lines: string[] = [];
  const acting = plan.changes.filter(acts);
  const skipped = plan.changes.filter((c) => c.action === 'skip');
  const drift = changedOutsideNote(plan);
  if (drift) lines.push(style.yellow(`Note: ${drift}`), '');
  // Entries no apply writes (consul-k8s owns them, or their file is gone with pruning off) can still
  // differ from Git: "Consul matches the files" would then be false.
  const unwritten = unwrittenDifferences(plan).length;
  if (acting.length === 0)
    lines.push(unwritten ? `No changes consul-gitops can make, but ${unwrittenSummary(unwritten, 'Left alone')}.` : 'No changes. Consul matches the files.');
  else {
    lines.push('consul-gitops will perform the following actions:', '');
    if (acting.length > LONG_PLAN) lines.push(...kindTable(plan));
    // One change can print hundreds of thousands of lines (a huge list): appended, not spread.
    for (const c of acting) appendAll(lines, renderChange(c, style)).push('');
    lines.pop();
  }
  if (skipped.length) {
    lines.push('', 'Left alone:');
    for (const c of skipped) appendAll(lines, renderChange(c, style));
  }
  if (plan.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of plan.warnings) lines.push(style.yellow(`  ! ${escapeControl(`${w.entry ? `${w.entry}: ` : ''}${w.message}`)}`));
  }
  if (plan.refused) lines.push('', style.red(`Refused: ${escapeControl(plan.refused)}`));
  lines.push('', summaryLine(plan));
  if (unwritten && acting.length) lines.push(style.yellow(`Also ${unwrittenSummary(unwritten, 'Left alone')}.`));
  return `${lines.join('\n')}\n`;
}
