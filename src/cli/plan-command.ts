// `consul-gitops plan` and `consul-gitops apply`: the reconciler from a terminal.
import { sendsWrite } from '../core/plan/writes.ts';
import { localCommitOrder } from '../adapters/git/commit-order.ts';
import { parseArgs } from 'node:util';
import { escapeControl, formatConfigEntryError } from '../model/errors.ts';
import { formatEntryId } from '../model/entry-id.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { repositoryRelative } from '../adapters/files/repo-root.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { planDocument, renderPlanJson } from '../reports/plan-json.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { hostname } from 'node:os';
import { renderTree, unreadableErrors } from '../core/render.ts';
import type { SourceFile } from '../core/parse-files.ts';
import { hasChanges, type Plan, type PlanOptions } from '../core/plan/plan.ts';
import { ANSI, PLAIN, renderPlanText } from '../core/plan/render-plan.ts';
import { unwrittenDifferences } from '../core/plan/unwritten.ts';
import { makePlan, startLiveRead } from '../app/make-plan.ts';
import { isEnterprise, parseTargetConsul } from '../model/tenancy.ts';
import type { ApplyReport } from '../app/apply-plan.ts';
import { commitTimeProblem, stateKey, type CommitRef } from '../app/commit-state.ts';
import { applyCommitUnderLock } from '../app/apply-commit.ts';
import { TargetBusyError } from '../app/target-lock.ts';
import { resolveTarget } from './consul-target.ts';
import { targetVersion, withTargetVersion as planningFor, withTargetVersionNotes } from '../app/target-version.ts';
import type { TargetVersion } from '../core/target-version.ts';
import { serverVersion } from '../adapters/consul/version-source.ts';
import { readLimitsOf } from '../config/targets.ts';
import { byteSizeFlag } from '../config/byte-size.ts';
import type { CliIo } from './io.ts';
import { resolve as resolvePath } from 'node:path';
import { readEntries, sealPlan, SAVED_PLAN_FORMAT, SAVED_PLAN_VERSION, parsePlanAge, type SavedPlanProblem } from '../core/plan/saved-plan.ts';
import { planSourceOf, planTargetOf, readSavedPlan, refuseDestination, writeSavedPlan } from './saved-plan-file.ts';
import { applySavedPlan } from '../app/saved-plan.ts';
import { ask } from './confirm.ts';
import { failWith } from './errors.ts';
import { ConsulGitopsError, errorJson } from '../errors.ts';
import { applyRefusal, refusalOf, savedPlanRefusal } from '../app/refusals.ts';
import { formatSelector, parseOnly, type EntrySelector } from '../core/plan/only.ts';
import { openEntryCache } from './entry-cache.ts';
import { openPlanCache, recordingIo } from './plan-cache.ts';

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
  only: { type: 'string', multiple: true },
} as const;

export interface CommandEnv {
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
  /** The pauses of apply's lock (waiting for a lease, retrying its release) and of the Consul client's retries; tests shorten them. */
  sleep?: (ms: number) => Promise<void>;
}

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], extra: Record<string, { type: 'string' | 'boolean' }>): Values {
  return parseArgs({ args, options: { ...COMMON, ...extra }, allowPositionals: false }).values;
}

function parseWithFile(args: string[], extra: Record<string, { type: 'string' | 'boolean' }>): { values: Values; positionals: string[] } {
  const r = parseArgs({ args, options: { ...COMMON, ...extra }, allowPositionals: true });
  return { values: r.values, positionals: r.positionals };
}

/** The target and its local files; nothing asked of Consul yet. */
async function load(values: Values, io: CliIo, cenv: CommandEnv) {
  const at = await loadTarget(values, io, cenv);
  return { ...at, ...(await readTree(at, values, io)) };
}

/** The target (consul-gitops.yaml, flags, environment) and the limits its files are read with. */
async function loadTarget(values: Values, io: CliIo, cenv: CommandEnv) {
  const cwd = io.cwd ?? process.cwd();
  const maxFileBytes = byteSizeFlag('max-file-size', values['max-file-size'] as string | undefined);
  const resolved = await resolveTarget(
    {
      config: values.config as string | undefined,
      target: values.target as string | undefined,
      consul: values.consul as string | undefined,
      dir: values.dir as string | undefined,
    },
    cenv.env ?? process.env,
    cwd,
    cenv.sleep ? { sleep: cenv.sleep } : {},
  );
  return { resolved, limits: readLimitsOf(resolved.file, maxFileBytes) };
}

/** The target's local files and the plan options the flags and the target give. */
async function readTree({ resolved, limits }: Awaited<ReturnType<typeof loadTarget>>, values: Values, io: CliIo) {
  const cwd = io.cwd ?? process.cwd();
  const { files, unreadable, notices } = await readLocalFiles([resolved.target.dir], cwd, limits);
  for (const n of notices) io.stderr.write(`notice: ${escapeControl(n)}\n`);
  const planOptions: PlanOptions = {
    prune: values.prune === true || resolved.target.prune,
    adopt: values.adopt === true,
    massDelete: { ...resolved.target.massDelete, allow: values['allow-mass-delete'] === true },
    allowFieldLoss: values['allow-field-loss'] === true,
    ...(resolved.target.consulVersion ? { consulVersion: resolved.target.consulVersion } : {}),
    ...(resolved.target.crdNamespaces ? { crdNamespaces: resolved.target.crdNamespaces } : {}),
  };
  return { files: repositoryRelative(files, cwd), unreadable: unreadableErrors(unreadable), planOptions };
}

/**
 * The version to plan for: consul-gitops.yaml's `consulVersion`, else the server's (agent:read),
 * else the newest modelled with a notice; a contradiction or an unsupported version is a warning.
 */
async function withTargetVersion(
  resolved: Awaited<ReturnType<typeof resolveTarget>>,
  planOptions: PlanOptions,
  io: CliIo,
): Promise<{ planOptions: PlanOptions; chosen: TargetVersion }> {
  return targetVersionNoted(await chooseVersion(resolved), planOptions, io);
}

function chooseVersion(resolved: Awaited<ReturnType<typeof resolveTarget>>): Promise<TargetVersion> {
  return targetVersion({ serverVersion: () => serverVersion(resolved.consul) }, resolved.target);
}

/** The chosen version's notices and warnings said, and the plan options following it. */
function targetVersionNoted(chosen: TargetVersion, planOptions: PlanOptions, io: CliIo): { planOptions: PlanOptions; chosen: TargetVersion } {
  for (const n of chosen.notices) io.stderr.write(`notice: ${escapeControl(n)}\n`);
  for (const w of chosen.warnings) io.stderr.write(`warning: ${escapeControl(w.message)}\n`);
  return { planOptions: planningFor(planOptions, chosen), chosen };
}

/** `--only KIND/NAME` (repeatable): the selectors, or the error naming the bad value. */
function onlyOf(values: Values): EntrySelector[] | string {
  return parseOnly((values.only as string[] | undefined) ?? []);
}

/** Said whenever --only is given: the rest of the differences stay, as Terraform warns for -target. */
function onlyNotice(only: readonly EntrySelector[], plan: Plan, io: CliIo): void {
  if (!only.length) return;
  const n = plan.changes.length;
  io.stderr.write(
    `note: --only restricts this plan to ${n} entr${n === 1 ? 'y' : 'ies'} (${only.map(formatSelector).map(escapeControl).join(', ')}); Git and Consul may still differ elsewhere: run plan without --only once the emergency is over\n`,
  );
}

function reportErrors(errors: readonly Parameters<typeof formatConfigEntryError>[0][], io: CliIo, json: boolean): number {
  for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
  const summary = `${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was planned or applied`;
  return failWith(io, new ConsulGitopsError('invalid-entries', summary), { json, text: summary, details: errors });
}

/** A wrong flag or argument, found before anything was asked of Consul. */
/**
 * `--detailed-exitcode`: 0 Consul matches Git, 2 apply has changes to make (as terraform), and 3
 * when apply has nothing to make but Consul still differs from Git in entries it does not write
 * (consul-k8s owns them, or their file is gone with pruning off): a script asking "in sync?" must
 * not read 0 there, and one that applies on 2 must not apply in a loop that repairs nothing.
 */
function detailedExitCode(plan: Plan): number {
  if (hasChanges(plan)) return 2;
  return unwrittenDifferences(plan).length > 0 ? 3 : 0;
}

function usage(io: CliIo, json: boolean, message: string): number {
  return failWith(io, new ConsulGitopsError('usage', message), { json });
}

export async function planCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const values = parse(args, { 'detailed-exitcode': { type: 'boolean' }, out: { type: 'string' } });
  const out = values.out as string | undefined;
  const json = values.json === true;
  if (out === '') return usage(io, json, '--out needs a file name; nothing was planned');
  // Checked before planning too (and again when saving): a destination that can never take the plan
  // is refused before Consul is read and a plan is printed that would then not be saved.
  if (out) {
    const refused = await refuseDestination(resolvePath(io.cwd ?? process.cwd(), out)).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (refused) return failWith(io, refused, { json });
  }
  const only = onlyOf(values);
  if (typeof only === 'string') return usage(io, json, `${only}; nothing was planned`);
  const target = await loadTarget(values, io, cenv);
  const { resolved } = target;
  try {
    // Consul is asked first, the files read after: the version's answer (one round trip) leaves
    // every list request sent, and Consul prepares them while this process reads and parses. The
    // version is asked before the lists: Consul answers in the order it was asked, so asked after
    // them its small answer would wait until every list was serialised, and this process with it.
    const version = chooseVersion(resolved);
    // Its answers kept: the memo of no-op plans is keyed by them (plan-cache.ts).
    const store = new ConsulConfigEntryStore(resolved.consul, { keepAnswers: true });
    // The last recorded apply names the changes made outside consul-gitops since; it is read as
    // soon as the entries are answered (make-plan.ts historyAfter).
    const history = { state: new ConsulKvStateStore(resolved.consul), key: stateKey(resolved.file.stateKeyPrefix, resolved.target.name) };
    // Enterprise-only kinds are listed once the chosen version says `+ent` (make-plan.ts managedKinds).
    const live = startLiveRead(
      store,
      history,
      version.then((v) => isEnterprise(parseTargetConsul(v.version))),
    );
    const chosen = await version.catch((e: unknown) => {
      live.cancel();
      throw e;
    });
    const { files, unreadable, planOptions: configured } = await readTree(target, values, io);
    const { planOptions } = targetVersionNoted(chosen, configured, io);
    const dir = resolvePath(io.cwd ?? process.cwd(), resolved.target.dir);
    // A plan that wrote nothing, from the same files, options and Consul answers, is printed again
    // rather than computed again (plan-cache.ts); only such a plan is kept.
    const memo =
      unreadable.length || out || only.length
        ? undefined
        : openPlanCache(
            dir,
            resolved.target.name,
            {
              args,
              tty: io.stdout.isTTY === true,
              target: resolved.target,
              stateKey: history.key,
              options: planOptions,
              home: store.home ?? null,
              // --json carries the version's warnings and notices (withTargetVersionNotes): a server
              // that now contradicts consulVersion, or cannot be asked, changes the output though the
              // version planned for stays the configured one.
              version: chosen,
            },
            files,
            cenv.env ?? process.env,
          );
    if (memo?.candidate) {
      await live.answered;
      const kept = memo.replay(store.listedDigest(), await live.history);
      if (kept) {
        for (const [n, text] of kept.written) (n === 0 ? io.stdout : io.stderr).write(text);
        return kept.code;
      }
    }
    const recorded = memo ? recordingIo(io) : undefined;
    io = recorded?.io ?? io;
    // Files unchanged since a plan with the same build and options are not parsed again (entry-cache.ts).
    const cache = openEntryCache(dir, resolved.target.name, cenv.env ?? process.env);
    const outcome = await makePlan(files, store, planOptions, {
      history,
      only,
      target: resolved.target.name,
      live,
      ...(cache ? { reuse: (scope: string) => cache.scoped(scope) } : {}),
    });
    try {
      for (const w of outcome.tree.warnings) io.stderr.write(`warning: ${formatConfigEntryError(w)}\n`);
      if (outcome.historyProblem) io.stderr.write(`notice: ${escapeControl(outcome.historyProblem)}\n`);
      const errors = [...unreadable, ...outcome.errors];
      if (errors.length) return reportErrors(errors, io, json);
      const plan = outcome.plan!;
      onlyNotice(only, plan, io);
      // --json carries the version's warnings by code, as the PR plan does; the text has them on stderr above.
      if (values.json) io.stdout.write(renderPlanJson(withTargetVersionNotes(plan, chosen)));
      else io.stdout.write(renderPlanText(plan, io.stdout.isTTY ? ANSI : PLAIN));
      if (plan.refused) {
        if (out) io.stderr.write(`error: the plan is refused, so it was not saved to ${escapeControl(out)}\n`);
        return 1;
      }
      if (out) {
        const cwd = io.cwd ?? process.cwd();
        const saved = sealPlan({
          format: SAVED_PLAN_FORMAT,
          version: SAVED_PLAN_VERSION,
          createdAt: (cenv.now ?? (() => new Date()))().toISOString(),
          target: planTargetOf(resolved.target.name, resolved.consul),
          source: await planSourceOf(resolved.target.dir, cwd, files),
          options: { prune: planOptions.prune, adopt: planOptions.adopt, only: only.map(formatSelector) },
          read: readEntries(outcome.live),
          plan,
        });
        await writeSavedPlan(resolvePath(cwd, out), saved);
        const note = `\nSaved the plan to ${escapeControl(out)}. To apply exactly this plan: consul-gitops apply ${escapeControl(out)}\n`;
        (values.json ? io.stderr : io.stdout).write(note);
      }
      const code = values['detailed-exitcode'] ? detailedExitCode(plan) : 0;
      if (memo && recorded && !hasChanges(plan)) memo.save(store.listedDigest(), await live.history, recorded.written, code);
      return code;
    } finally {
      // Once the plan (or its errors) is printed: writing the entry cache never delays what the user reads.
      cache?.save();
    }
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

/** Apply asks while it holds the target's lease (CLI_LEASE_MS): the question must end before it. */
const CONFIRM_TIMEOUT_MS = 8 * 60_000;

/** What apply would write: creates, updates and deletes, less updates that need --adopt it lacks. */
function writesOf(plan: Plan): number {
  return plan.changes.filter(sendsWrite).length;
}

const APPLY_FLAGS = {
  'auto-approve': { type: 'boolean' },
  commit: { type: 'string' },
  'commit-time': { type: 'string' },
  'lock-wait': { type: 'string' },
  'max-plan-age': { type: 'string' },
} as const;

/** Flags that shape a plan: with `apply FILE` the plan already says them. */
const PLAN_SHAPING = ['dir', 'prune', 'adopt', 'allow-mass-delete', 'max-file-size', 'commit', 'commit-time', 'only'] as const;

export async function applyCommand(args: string[], io: CliIo, cenv: CommandEnv = {}): Promise<number> {
  const { values, positionals } = parseWithFile(args, APPLY_FLAGS);
  const json = values.json === true;
  if (positionals.length > 1) return usage(io, json, `apply takes one saved plan file, got ${positionals.length} arguments; nothing was applied`);
  if (positionals.length === 1) return applySavedPlanCommand(positionals[0], values, io, cenv);
  if (values['max-plan-age'] !== undefined)
    return usage(io, json, '--max-plan-age is for `apply FILE` (a plan saved with `plan --out FILE`); nothing was planned or applied');
  // Before any Consul call: a time that cannot be ordered would switch the stale-commit guard off.
  const ref = commitRef(values);
  const lockWaitMs = lockWait(values);
  const only = onlyOf(values);
  if (values.json && io.stdout.isTTY && !values['auto-approve']) {
    // The question would land in the JSON; a person at a terminal must still say yes somehow.
    return usage(
      io,
      json,
      '--json at a terminal needs --auto-approve (apply asks before it writes, and the question would break the JSON); nothing was planned or applied',
    );
  }
  if (ref && typeof ref !== 'string' && typeof only !== 'string' && only.length)
    return usage(
      io,
      json,
      '--only applies part of a commit, and --commit records the whole commit as applied: give one or the other; nothing was planned or applied',
    );
  // Each option parser answers a string when the value it was given is wrong: the first one found is said.
  const refuse = (why: string) => usage(io, json, `${why}; nothing was planned or applied`);
  if (typeof ref === 'string') return refuse(ref);
  if (typeof lockWaitMs === 'string') return refuse(lockWaitMs);
  if (typeof only === 'string') return refuse(only);
  const { resolved, files, unreadable, planOptions: configured } = await load(values, io, cenv);
  try {
    if (unreadable.length) return reportErrors([...unreadable, ...renderErrors(files)], io, json);
    const { planOptions } = await withTargetVersion(resolved, configured, io);
    const now = cenv.now ?? (() => new Date());
    const style = io.stdout.isTTY ? ANSI : PLAIN;
    let cancelled: string | undefined;
    // Files unchanged since a plan or apply with the same build and options are not parsed again (entry-cache.ts).
    const cache = openEntryCache(resolvePath(io.cwd ?? process.cwd(), resolved.target.dir), resolved.target.name, cenv.env ?? process.env);
    const reuse = cache ? { reuse: (scope: string) => cache.scoped(scope) } : {};
    // The same path as the webhook and the schedule: under the target lock, so two applies against
    // one Consul run one after the other, never interleaved; refused when older than the last commit.
    const outcome = await applyCommitUnderLock(
      {
        store: new ConsulConfigEntryStore(resolved.consul),
        state: new ConsulKvStateStore(resolved.consul),
        now,
        sleep: cenv.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        holder: `cli ${hostname()} pid ${process.pid}${ref ? ` commit ${ref.commit.slice(0, 12)}` : ''}`,
        leaseMs: CLI_LEASE_MS,
        lockWaitMs,
      },
      { name: resolved.target.name, stateKeyPrefix: resolved.file.stateKeyPrefix, plan: planOptions, only },
      {
        // Two commits of the same second are ordered by the local repository's history (as the webhook asks GitHub).
        load: async () => ({ files, ...reuse, ...(ref ? { ref, order: localCommitOrder(resolvePath(io.cwd ?? process.cwd(), resolved.target.dir)) } : {}) }),
        shouldApply: async (plan) => {
          onlyNotice(only, plan, io);
          if (!values.json) io.stdout.write(renderPlanText(plan, style));
          const writes = writesOf(plan);
          // Asked only of a person at a terminal, and only when something would be written.
          if (plan.refused || writes === 0 || values['auto-approve'] || !io.stdout.isTTY) return true;
          const answer = await ask(
            io,
            `\nDo you want to apply ${writes === 1 ? 'this change' : `these ${writes} changes`}? Only 'yes' will be accepted: `,
            CONFIRM_TIMEOUT_MS,
          );
          if (answer === 'yes') return true;
          cancelled =
            answer === 'timeout'
              ? `no answer within ${CONFIRM_TIMEOUT_MS / 60_000} minutes`
              : answer === 'closed'
                ? 'no answer (input closed); use --auto-approve to apply without asking'
                : undefined;
          cancelled ??= 'the answer was not yes';
          return false;
        },
      },
    );
    try {
      switch (outcome.kind) {
        case 'invalid':
          return reportErrors(outcome.errors, io, json);
        case 'held': {
          const text = `Apply cancelled: ${cancelled ?? 'held'}. Nothing was applied.`;
          return failWith(io, new ConsulGitopsError('apply-cancelled', text), { json, text });
        }
        case 'refused':
        case 'stale':
          // The plan text already says why a plan is refused; the error line names the refusal again for logs.
          return failWith(io, refusalOf(outcome), { json });
      }
      return writeApplied(outcome.plan, outcome.report, values.json === true, io);
    } finally {
      // Once what the apply did is printed, as plan does.
      cache?.save();
    }
  } catch (e) {
    if (e instanceof TargetBusyError) return failWith(io, e, { json, text: `error: ${e.message}; nothing was applied. Run again once it finished.` });
    throw e;
  } finally {
    await resolved.consul.close();
  }
}

const DEFAULT_MAX_PLAN_AGE = '1h';

/** `apply FILE`: exactly the saved plan, or a refusal saying precisely why; never a new plan. */
async function applySavedPlanCommand(file: string, values: Values, io: CliIo, cenv: CommandEnv): Promise<number> {
  const shaping = PLAN_SHAPING.filter((f) => values[f] !== undefined).map((f) => `--${f}`);
  const lockWaitMs = lockWait(values);
  const maxAgeMs = parsePlanAge((values['max-plan-age'] as string | undefined) ?? DEFAULT_MAX_PLAN_AGE);
  const early = shaping.length
    ? `${shaping.join(', ')} cannot be given with a saved plan: ${escapeControl(file)} already says what to apply (make a new plan with them)`
    : typeof lockWaitMs === 'string'
      ? lockWaitMs
      : typeof maxAgeMs === 'string'
        ? maxAgeMs
        : undefined;
  const json = values.json === true;
  if (early !== undefined) return usage(io, json, `${early}; nothing was applied`);
  const cwd = io.cwd ?? process.cwd();
  const saved = await readSavedPlan(resolvePath(cwd, file), file);
  if ('kind' in saved) return reportPlanProblem(saved, io, json);
  const plan = saved;
  const resolved = await resolveTarget(
    {
      config: values.config as string | undefined,
      target: (values.target as string | undefined) ?? plan.target.name,
      consul: values.consul as string | undefined,
    },
    cenv.env ?? process.env,
    cwd,
  );
  try {
    const now = cenv.now ?? (() => new Date());
    const outcome = await applySavedPlan(
      {
        store: new ConsulConfigEntryStore(resolved.consul),
        state: new ConsulKvStateStore(resolved.consul),
        now,
        sleep: cenv.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        holder: `cli ${hostname()} pid ${process.pid} plan ${plan.sha256.slice(0, 12)}`,
        leaseMs: CLI_LEASE_MS,
        lockWaitMs: lockWaitMs as number,
      },
      { name: resolved.target.name, stateKeyPrefix: resolved.file.stateKeyPrefix, now: planTargetOf(resolved.target.name, resolved.consul) },
      // A plan's commit of the same second as the last applied one is ordered by the history of the checkout it is applied from.
      { plan, file, maxAgeMs: maxAgeMs as number, order: localCommitOrder(cwd) },
    );
    switch (outcome.kind) {
      case 'refused':
        return reportPlanProblem(outcome.problem, io, json);
      case 'stale': {
        const stale = refusalOf(outcome)!;
        return failWith(io, stale, { json, text: `${stale.message}; nothing was applied` });
      }
      case 'applied':
        if (!values.json) io.stdout.write(renderPlanText(plan.plan, io.stdout.isTTY ? ANSI : PLAIN));
        return writeApplied(plan.plan, outcome.report, values.json === true, io);
    }
  } catch (e) {
    if (e instanceof TargetBusyError) return failWith(io, e, { json, text: `error: ${e.message}; nothing was applied. Run again once it finished.` });
    throw e;
  } finally {
    await resolved.consul.close();
  }
}

function reportPlanProblem(p: SavedPlanProblem, io: CliIo, json: boolean): number {
  // Lines are escaped one by one: the message quotes the plan file, which anyone could have written.
  const text = `error: ${escapeControl(p.file)}: ${p.message.split('\n').map(escapeControl).join('\n')}\nNothing was applied.`;
  return failWith(io, savedPlanRefusal(p), { json, text });
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

/** What an apply did, as text or JSON (private keys hidden, as in plan --json); exit 1 unless all of it landed. */
function writeApplied(plan: Plan, report: ApplyReport, json: boolean, io: CliIo): number {
  // Changes refused inside the apply (--allow-field-loss, --adopt missing) name their code, as other refusals do.
  const refusal = applyRefusal(report);
  if (json) io.stdout.write(`${stringifyApiJson({ plan: planDocument(plan), results: report.results, ...(refusal ? { error: errorJson(refusal) } : {}) })}\n`);
  else io.stdout.write(renderApplyText(plan, report));
  if (refusal) io.stderr.write(`error: ${escapeControl(refusal.message)}\n`);
  return report.ok ? 0 : 1;
}
