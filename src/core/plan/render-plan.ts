// Plan → text for a terminal, like `terraform plan`: `+ create`, `~ update` with field-level
// before/after, `- delete`, then warnings and a closing summary line.
import { stringifyApiJson } from '../api-json.ts';
import { formatEntryId } from '../../model/entry-id.ts';
import { escapeControl } from '../../model/errors.ts';
import { normalizeEntry } from '../normalize.ts';
import type { Change, Plan } from './plan.ts';

export interface TextStyle {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
}

export const PLAIN: TextStyle = { green: (s) => s, yellow: (s) => s, red: (s) => s, dim: (s) => s };
export const ANSI: TextStyle = {
  green: (s) => `\x1b[32m${s}\x1b[0m`,
  yellow: (s) => `\x1b[33m${s}\x1b[0m`,
  red: (s) => `\x1b[31m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
};

const show = (v: unknown) => (v === undefined ? '(absent)' : stringifyApiJson(v, 0));

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const adopt = plan.changes.filter((c) => c.requiresAdopt).length;
  return `Plan: ${s.create} to create, ${s.update} to update${adopt ? ` (${adopt} only with --adopt)` : ''}, ${s.delete} to delete.`;
}

function flatten(value: unknown, path: string, out: [string, unknown][]): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.push([path, value]);
}

function diffs(c: Change, color: (s: string) => string): string[] {
  return c.fieldDiffs.map((d) => color(`      ~ ${d.path}: ${show(d.before)} → ${show(d.after)}`));
}

/** Live fields the update would remove because consul-gitops does not know them (issue 11, class 3). */
function lostLines(c: Change, style: TextStyle): string[] {
  if (!c.lostFields?.length) return [];
  const how = c.requiresFieldLoss ? 'written only with --allow-field-loss' : 'removed: --allow-field-loss given';
  return c.lostFields.map((p) => style.red(`      ! ${escapeControl(p)}: unknown to consul-gitops: would be removed (${how})`));
}

function renderChange(c: Change, style: TextStyle): string[] {
  // Names, paths and reasons are anyone's text: escaped so they cannot drive a terminal or CI log.
  const where = c.source ? style.dim(`  (${escapeControl(c.source)})`) : '';
  const id = escapeControl(formatEntryId(c.id));
  switch (c.action) {
    case 'create': {
      const fields: [string, unknown][] = [];
      flatten(normalizeEntry(c.after!), '', fields);
      return [style.green(`  + create ${id}`) + where, ...fields.filter(([k]) => k !== 'Kind').map(([k, v]) => style.green(`      + ${k} = ${show(v)}`))];
    }
    case 'update':
      return [
        style.yellow(`  ~ update ${id}`) + where + (c.adopted ? style.yellow('  [adopt]') : ''),
        ...(c.requiresAdopt ? [style.yellow(`      ! ${escapeControl(c.reason ?? '')}`)] : []),
        ...lostLines(c, style),
        ...diffs(c, style.yellow),
      ];
    case 'delete':
      return [style.red(`  - delete ${id}`) + style.dim(`  (${escapeControl(c.reason ?? '')})`)];
    case 'skip':
      return [style.dim(`  ! skip ${id}: ${escapeControl(c.reason ?? '')}`), ...diffs(c, style.dim)];
    case 'noop':
      return [];
  }
}

export function renderPlanText(plan: Plan, style: TextStyle = PLAIN): string {
  const lines: string[] = [];
  const acting = plan.changes.filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
  const skipped = plan.changes.filter((c) => c.action === 'skip');
  if (acting.length === 0) lines.push('No changes. Consul matches the files.');
  else {
    lines.push('consul-gitops will perform the following actions:', '');
    for (const c of acting) lines.push(...renderChange(c, style));
  }
  if (skipped.length) {
    lines.push('', 'Left alone:');
    for (const c of skipped) lines.push(...renderChange(c, style));
  }
  if (plan.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of plan.warnings) lines.push(style.yellow(`  ! ${escapeControl(`${w.entry ? `${w.entry}: ` : ''}${w.message}`)}`));
  }
  if (plan.refused) lines.push('', style.red(`Refused: ${plan.refused}`));
  lines.push('', summaryLine(plan));
  return `${lines.join('\n')}\n`;
}
