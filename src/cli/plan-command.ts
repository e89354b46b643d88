// `consul-gitops plan` and `consul-gitops apply`: the reconciler from a terminal.
import { parseArgs } from 'node:util';
import { escapeControl, formatConfigEntryError } from '../model/errors.ts';
import { formatEntryId } from '../model/entry-id.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { repositoryRelative } from '../adapters/files/repo-root.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { hostname } from 'node:os';
import { renderTree, unreadableErrors } from '../core/render.ts';
import type { SourceFile } from '../core/parse-files.ts';
import { hasChanges, type Plan, type PlanOptions } from '../core/plan/plan.ts';
import { ANSI, PLAIN, renderPlanText } from '../core/plan/render-plan.ts';
import { makePlan } from '../app/make-plan.ts';
import type { ApplyReport } from '../app/apply-plan.ts';
import { commitTimeProblem, type CommitRef } from '../app/commit-state.ts';
import { applyCommitUnderLock } from '../app/apply-commit.ts';
import { TargetBusyError } from '../app/target-lock.ts';
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
  'allow-field-loss': { type: 'boolean' },
  'max-file-size': { type: 'string' },
} as const;

export interface CommandEnv {
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], extra: Record<string, { type: 'string' | 'boolean' }>): Values {
  return parseArgs({ args, options: { ...COMMON, ...extra }, allowPositionals: false }).values as Values;
}

/** The target and its local files; nothing asked of Consul yet. */
async function load(values: Values, io: CliIo, cenv: CommandEnv) {
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
  const planOptions: PlanOptions = {
    prune: values.prune === true || resolved.target.prune,
    adopt: values.adopt === true,
    massDelete: { ...resolved.target.massDelete, allow: values['allow-mass-delete'] === true },
    allowFieldLoss: values['allow-field-loss'] === true,
    ...(resolved.target.consulVersion ? { consulVersion: resolved.target.consulVersion } : {}),
  };
  return { resolved, files: repositoryRelative(files, cwd), unreadable: unreadableErrors(unreadable), planOptions };
}

function reportErrors(errors: readonly Parameters<typeof formatConfigEntryError>[0][], io: CliIo): number {
  for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
  io.stderr.write(`${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was planned or applied\n`);
  return 1;
}

export async function planCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const values = parse(args, { 'detailed-exitcode': { type: 'boolean' } });
  const { resolved, files, unreadable, planOptions } = await load(values, io, cenv);
  try {
    const outcome = await makePlan(files, new ConsulConfigEntryStore(resolved.consul), planOptions);
    for (const w of outcome.tree.warnings) io.stderr.write(`warning: ${formatConfigEntryError(w)}\n`);
    const errors = [...unreadable, ...outcome.errors];
    if (errors.length) return reportErrors(errors, io);
    const plan = outcome.plan!;
    if (values.json) io.stdout.write(`${stringifyApiJson(plan)}\n`);
    else io.stdout.write(renderPlanText(plan, io.stdout.isTTY ? ANSI : PLAIN));
    if (plan.refused) return 1;
    return values['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
  } finally {
    await resolved.consul.close();
  }
}

/** `--commit` and `--commit-time` go together, and the time must order commits (RFC 3339). */
function commitRef(values: Values): CommitRef | string | undefined {
  const commit = values.commit as string | undefined;
  const commitTime = values['commit-time'] as string | undefined;
  if (commit === undefined && commitTime === undefined) return undefined;
  if (!commit || commitTime === undefined)
    return `--commit and --commit-time go together: the stale-commit guard needs both (got ${commit ? `--commit ${JSON.stringify(commit)}` : `--commit-time ${JSON.stringify(commitTime)}`} only)`;
  const problem = commitTimeProblem(commitTime);
  if (problem) return `--commit-time ${JSON.stringify(commitTime)}: ${problem}`;
  return { commit, commitTime };
}

const CLI_LEASE_MS = 10 * 60_000;
const CLI_LOCK_WAIT_S = 120;

/** `--lock-wait SECONDS`: how long to wait for another run on the target (0: refuse at once, for CI). */
function lockWait(values: Values): number | string {
  const raw = values['lock-wait'] as string | undefined;
  if (raw === undefined) return CLI_LOCK_WAIT_S * 1000;
  if (!/^\d{1,5}$/.test(raw)) return `--lock-wait ${JSON.stringify(raw)}: expected whole seconds, like 0 or 120`;
  return Number(raw) * 1000;
}

export async function applyCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const values = parse(args, { commit: { type: 'string' }, 'commit-time': { type: 'string' }, 'lock-wait': { type: 'string' } });
  // Before any Consul call: a time that cannot be ordered would switch the stale-commit guard off.
  const ref = commitRef(values);
  const lockWaitMs = lockWait(values);
  if (typeof ref === 'string' || typeof lockWaitMs === 'string') {
    io.stderr.write(`error: ${typeof ref === 'string' ? ref : lockWaitMs}; nothing was planned or applied\n`);
    return 1;
  }
  const { resolved, files, unreadable, planOptions } = await load(values, io, cenv);
  try {
    if (unreadable.length) return reportErrors([...unreadable, ...renderErrors(files)], io);
    const now = cenv.now ?? (() => new Date());
    const style = io.stdout.isTTY ? ANSI : PLAIN;
    // The same path as the webhook and the schedule: under the target lock, so two applies against
    // one Consul run one after the other, never interleaved; refused when older than the last commit.
    const outcome = await applyCommitUnderLock(
      {
        store: new ConsulConfigEntryStore(resolved.consul),
        state: new ConsulKvStateStore(resolved.consul),
        now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        holder: `cli ${hostname()} pid ${process.pid}${ref ? ` commit ${ref.commit.slice(0, 12)}` : ''}`,
        leaseMs: CLI_LEASE_MS,
        lockWaitMs,
      },
      { name: resolved.target.name, stateKeyPrefix: resolved.file.stateKeyPrefix, plan: planOptions },
      {
        load: async () => ({ files, ...(ref ? { ref } : {}) }),
        shouldApply: (plan) => {
          if (!values.json) io.stdout.write(renderPlanText(plan, style));
          return true;
        },
      },
    );
    switch (outcome.kind) {
      case 'invalid':
        return reportErrors(outcome.errors, io);
      case 'held':
      case 'refused':
        return 1; // the plan text already says why
      case 'stale':
        io.stderr.write(`stale commit: ${outcome.reason}\n`);
        return 1;
      case 'applied':
        if (values.json) io.stdout.write(`${stringifyApiJson({ plan: outcome.plan, results: outcome.report.results })}\n`);
        else io.stdout.write(renderApplyText(outcome.plan, outcome.report));
        return outcome.report.ok ? 0 : 1;
    }
  } catch (e) {
    if (e instanceof TargetBusyError) {
      io.stderr.write(`error: ${e.message}; nothing was applied. Run again once it finished.\n`);
      return 1;
    }
    throw e;
  } finally {
    await resolved.consul.close();
  }
}

function renderErrors(files: readonly SourceFile[]) {
  const tree = renderTree(files);
  return [...tree.decodeErrors, ...tree.validationErrors];
}

export function renderApplyText(plan: Plan, report: ApplyReport): string {
  if (!hasChanges(plan)) return '';
  const lines = ['', 'Applying:'];
  for (const r of report.results) {
    if (r.outcome.status === 'unchanged') continue;
    // Names and Consul's messages are escaped: a name is anyone's text, and a terminal obeys it.
    const what = escapeControl(`${r.change.action} ${formatEntryId(r.change.id)}`);
    if (r.outcome.status === 'applied') lines.push(`  ✓ ${what}`);
    // unknown and skipped messages say what happened themselves ("outcome unknown: …", "not attempted: …").
    else if (r.outcome.status === 'unknown') lines.push(`  ? ${what}: ${escapeControl(r.outcome.message)}`);
    else if (r.outcome.status === 'skipped') lines.push(`  - ${what}: ${escapeControl(r.outcome.message)}`);
    else lines.push(`  ✗ ${what}: ${r.outcome.status}: ${escapeControl(r.outcome.message)}`);
  }
  const c = report.counts;
  const unknown = c.unknown > 0 ? `, ${c.unknown} outcome unknown (re-run plan)` : '';
  lines.push('', `Apply: ${c.applied} applied, ${c.failed} failed, ${c.conflict} conflicts${unknown}, ${c.skipped} not attempted.`, '');
  return lines.join('\n');
}
