// `consul-gitops plan` and `consul-gitops apply`: the reconciler from a terminal.
import { parseArgs } from 'node:util';
import { formatConfigEntryError } from '../model/errors.ts';
import { formatEntryId } from '../model/entry-id.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { repositoryRelative } from '../adapters/files/repo-root.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { unreadableErrors } from '../core/render.ts';
import { hasChanges, type Plan } from '../core/plan/plan.ts';
import { ANSI, PLAIN, renderPlanText } from '../core/plan/render-plan.ts';
import { makePlan } from '../app/make-plan.ts';
import { applyPlan, type ApplyReport } from '../app/apply-plan.ts';
import { recordApplied, staleReason, stateKey } from '../app/commit-state.ts';
import { resolveTarget } from './consul-target.ts';
import { readLimitsOf } from '../config/targets.ts';
import { byteSizeFlag } from '../config/byte-size.ts';
import type { CliIo } from './io.ts';

const COMMON = {
  dir: { type: 'string' },
  consul: { type: 'string' },
  target: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  prune: { type: 'boolean' },
  adopt: { type: 'boolean' },
  'allow-mass-delete': { type: 'boolean' },
  'max-file-size': { type: 'string' },
} as const;

export interface CommandEnv {
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

async function planFor(args: string[], io: CliIo, extra: Record<string, { type: 'string' | 'boolean' }>, cenv: CommandEnv) {
  const values = parseArgs({ args, options: { ...COMMON, ...extra }, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  const cwd = io.cwd ?? process.cwd();
  const maxFileBytes = byteSizeFlag('max-file-size', values['max-file-size'] as string | undefined);
  const resolved = await resolveTarget(
    { config: values.config as string | undefined, target: values.target as string | undefined, consul: values.consul as string | undefined, dir: values.dir as string | undefined },
    cenv.env ?? process.env,
    cwd,
  );
  const limits = readLimitsOf(resolved.file, maxFileBytes);
  const { files, unreadable, notices } = await readLocalFiles([resolved.target.dir], cwd, limits);
  for (const n of notices) io.stderr.write(`notice: ${n}\n`);
  const store = new ConsulConfigEntryStore(resolved.consul);
  const outcome = await makePlan(repositoryRelative(files, cwd), store, {
    prune: values.prune === true || resolved.target.prune,
    adopt: values.adopt === true,
    massDelete: { ...resolved.target.massDelete, allow: values['allow-mass-delete'] === true },
  });
  outcome.errors.unshift(...unreadableErrors(unreadable));
  for (const w of outcome.tree.warnings) io.stderr.write(`warning: ${formatConfigEntryError(w)}\n`);
  return { values, resolved, outcome, store };
}

function reportErrors(errors: readonly Parameters<typeof formatConfigEntryError>[0][], io: CliIo): number {
  for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
  io.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was planned or applied\n`);
  return 1;
}

export async function planCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const { values, resolved, outcome } = await planFor(args, io, { 'detailed-exitcode': { type: 'boolean' } }, cenv);
  try {
    if (outcome.errors.length) return reportErrors(outcome.errors, io);
    const plan = outcome.plan!;
    if (values.json) io.stdout.write(`${stringifyApiJson(plan)}\n`);
    else io.stdout.write(renderPlanText(plan, io.stdout.isTTY ? ANSI : PLAIN));
    if (plan.refused) return 1;
    return values['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
  } finally {
    await resolved.consul.close();
  }
}

export async function applyCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const { values, resolved, outcome, store } = await planFor(args, io, { commit: { type: 'string' }, 'commit-time': { type: 'string' } }, cenv);
  try {
    if (outcome.errors.length) return reportErrors(outcome.errors, io);
    const plan = outcome.plan!;
    const style = io.stdout.isTTY ? ANSI : PLAIN;
    if (!values.json) io.stdout.write(renderPlanText(plan, style));
    if (plan.refused) return 1;
    const commit = values.commit as string | undefined;
    const commitTime = values['commit-time'] as string | undefined;
    const state = new ConsulKvStateStore(resolved.consul);
    const key = stateKey(resolved.file.stateKeyPrefix, resolved.target.name);
    if (commit && commitTime) {
      const stale = await staleReason(state, key, { commit, commitTime });
      if (stale) {
        io.stderr.write(`stale commit: ${stale}\n`);
        return 1;
      }
    }
    const report = await applyPlan(store, plan);
    if (values.json) io.stdout.write(`${stringifyApiJson({ plan, results: report.results })}\n`);
    else io.stdout.write(renderApplyText(plan, report));
    if (report.ok && commit && commitTime) await recordApplied(state, key, { commit, commitTime }, (cenv.now ?? (() => new Date()))());
    return report.ok ? 0 : 1;
  } finally {
    await resolved.consul.close();
  }
}

export function renderApplyText(plan: Plan, report: ApplyReport): string {
  if (!hasChanges(plan)) return '';
  const lines = ['', 'Applying:'];
  for (const r of report.results) {
    if (r.outcome.status === 'unchanged') continue;
    const what = `${r.change.action} ${formatEntryId(r.change.id)}`;
    if (r.outcome.status === 'applied') lines.push(`  ✓ ${what}`);
    else lines.push(`  ✗ ${what}: ${r.outcome.status}: ${r.outcome.message}`);
  }
  const c = report.counts;
  lines.push('', `Apply: ${c.applied} applied, ${c.failed} failed, ${c.conflict} conflicts, ${c.skipped} skipped.`, '');
  return lines.join('\n');
}
