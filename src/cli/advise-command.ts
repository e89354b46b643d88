// `consul-gitops advise`: which permissive services can go strict, from their sidecars' traffic.
// Exit 0 when it could judge (whatever the verdicts), 1 on any error.
import { parseArgs } from 'node:util';
import type { ConsulClient } from '../adapters/consul/client.ts';
import { ConsulConfigEntryStore, ConsulKvStateStore } from '../adapters/consul/stores.ts';
import { consulConnectCatalog as connectCatalog } from '../adapters/consul/connect-catalog.ts';
import { consulAuditSource } from '../adapters/consul/posture-source.ts';
import { outsideTargetRead } from '../adapters/consul/outside-namespaces.ts';
import { readLocalFiles } from '../adapters/files/local-files.ts';
import { repositoryRelative } from '../adapters/files/repo-root.ts';
import { adviseStrict, type ConnectCatalog } from '../app/advise.ts';
import { formatDurationError, parsePromDuration, type DurationError } from '../core/advisor/duration.ts';
import { DEFAULT_THRESHOLDS } from '../core/advisor/model.ts';
import { stringifyApiJson } from '../core/api-json.ts';
import { unreadableErrors } from '../core/render.ts';
import { DEFAULT_ADVISOR_CONFIG, DEFAULT_TARGETS_FILE } from '../config/targets.ts';
import { formatConfigEntryError, type ConfigEntryError } from '../model/errors.ts';
import { adviceJson } from '../reports/advice-json.ts';
import { renderAdviceText } from '../reports/advice-text.ts';
import { createTrafficSource, type TrafficSourceFactory } from '../runtime/traffic-source.ts';
import { resolveTarget } from './consul-target.ts';
import { writeBranchStep } from './write-branch.ts';
import type { CliIo } from './io.ts';
import { GitHubConfigError, type GitHubClientOptions } from '../adapters/github/octokit.ts';
import { openProposalPullRequests, OpenPrsConfigError, repositoryFromEnv } from './advise-open-prs.ts';
import { renderProposalActions } from '../reports/proposal-actions-text.ts';
import { isGitHubError } from '../adapters/github/errors.ts';
import { ConsulGitopsError } from '../errors.ts';
import { failWith } from './errors.ts';
import type { CommandEnv } from './plan-command.ts';

export interface AdviseEnv extends CommandEnv {
  /** Builds the stats source (default: src/runtime/traffic-source.ts). */
  trafficSource?: TrafficSourceFactory;
  /** Extra GitHub client options for `--open-prs` (tests: no throttling). */
  github?: Partial<GitHubClientOptions>;
}

/** The catalog port on ConsulClient: services in every namespace the target manages (src/adapters/consul/connect-catalog.ts). */
export function consulConnectCatalog(consul: ConsulClient): ConnectCatalog {
  return connectCatalog(consul);
}

function durationError(e: DurationError, code: 'usage' | 'config', io: CliIo, json: boolean): number {
  return failWith(io, new ConsulGitopsError(code, formatDurationError(e)), { json });
}

function reportErrors(errors: readonly ConfigEntryError[], io: CliIo, json: boolean): number {
  for (const e of errors) io.stderr.write(`${formatConfigEntryError(e)}\n`);
  const summary = `${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was judged`;
  return failWith(io, new ConsulGitopsError('invalid-entries', summary), { json, text: summary, details: errors });
}

export async function adviseCommand(args: string[], io: CliIo, aenv: AdviseEnv = {}): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string' },
      consul: { type: 'string' },
      target: { type: 'string' },
      config: { type: 'string' },
      stats: { type: 'string' },
      window: { type: 'string' },
      json: { type: 'boolean' },
      'open-prs': { type: 'boolean' },
      'write-branch': { type: 'boolean' },
    },
  });
  const cwd = io.cwd ?? process.cwd();
  const env = aenv.env ?? process.env;
  const resolved = await resolveTarget({ config: values.config, target: values.target, consul: values.consul, dir: values.dir }, env, cwd);
  const { consul, target } = resolved;
  try {
    const advisor = target.advisor ?? DEFAULT_ADVISOR_CONFIG;
    const configWhere = `${values.config ?? DEFAULT_TARGETS_FILE}: target ${target.name}: advisor`;
    const window = values.window !== undefined ? parsePromDuration(values.window, '--window') : parsePromDuration(advisor.window, `${configWhere}.window`);
    const maxGap = parsePromDuration(advisor.maxGap, `${configWhere}.maxGap`);
    const json = values.json === true;
    if (!window.ok) return durationError(window.error, values.window !== undefined ? 'usage' : 'config', io, json);
    if (!maxGap.ok) return durationError(maxGap.error, 'config', io, json);
    if (values.stats === undefined && advisor.stats === undefined)
      return failWith(
        io,
        new ConsulGitopsError(
          'usage',
          `--stats: say where samples come from: --stats prometheus=URL or --stats envoy (or advisor.stats in ${DEFAULT_TARGETS_FILE})`,
        ),
        { json },
      );
    if (values['open-prs']) {
      try {
        repositoryFromEnv(env);
      } catch (e) {
        return failWith(io, e, { json });
      }
    }
    const { files, unreadable } = await readLocalFiles([target.dir], cwd);
    if (unreadable.length) return reportErrors(unreadableErrors(unreadable), io, json);
    const clock = aenv.now ?? (() => new Date());
    const traffic = (aenv.trafficSource ?? createTrafficSource)({
      ...(values.stats !== undefined ? { flag: values.stats } : {}),
      ...(advisor.stats !== undefined ? { config: advisor.stats } : {}),
      consul,
      state: new ConsulKvStateStore(consul),
      stateKeyPrefix: resolved.file.stateKeyPrefix,
      target: target.name,
      env,
      warn: (line) => io.stderr.write(`warning: ${line}\n`),
    });
    const now = clock().getTime();
    const thresholds = { ...DEFAULT_THRESHOLDS, windowMs: window.ms, maxGapMs: maxGap.ms };
    const relative = repositoryRelative(files, cwd);
    const catalog = consulConnectCatalog(consul);
    const crd = target.crdNamespaces ? { crdNamespaces: target.crdNamespaces } : {};
    // One read of the rest of the partition for the run: the lockdown gate and the posture dashboard share it.
    const outside = outsideTargetRead(consul);
    const outcome = await adviseStrict(
      relative,
      { entries: new ConsulConfigEntryStore(consul), catalog, traffic, sidecars: consulAuditSource(consul, outside), outside: { outsideTarget: outside } },
      { now, thresholds, expectNoInboundTraffic: advisor.expectNoInboundTraffic, apply: { prune: target.prune, massDelete: target.massDelete }, ...crd },
    );
    if (!outcome.ok) return reportErrors(outcome.errors, io, json);
    io.stdout.write(values.json ? `${stringifyApiJson(adviceJson(outcome.report))}\n` : renderAdviceText(outcome.report));
    if (values['write-branch']) {
      const step = { dir: target.dir, cwd, report: outcome.report, catalog, traffic, target: target.name, thresholds, ...crd };
      // return await: the finally below closes the Consul client the step still uses.
      return await writeBranchStep({ ...step, out: values.json ? io.stderr : io.stdout }, io);
    }
    if (!values['open-prs']) return 0;
    try {
      const proposed = await openProposalPullRequests(
        {
          report: outcome.report,
          files: relative,
          consul,
          outside,
          traffic,
          catalog,
          options: {
            target: target.name,
            stateKeyPrefix: resolved.file.stateKeyPrefix,
            grouping: advisor.grouping,
            labels: advisor.labels,
            thresholds,
            now,
            ...crd,
          },
        },
        env,
        aenv.github,
      );
      (values.json ? io.stderr : io.stdout).write(renderProposalActions(proposed.actions, proposed.dashboard, proposed.lockdownHeldBack));
      const failed = proposed.actions.filter((a) => a.kind === 'failed');
      if (failed.length)
        io.stderr.write(
          `error: ${failed.length} proposal${failed.length === 1 ? '' : 's'} could not be brought up to date on GitHub (see above); the next run retries\n`,
        );
      return failed.length ? 1 : 0;
    } catch (e) {
      if (e instanceof OpenPrsConfigError || isGitHubError(e) || e instanceof GitHubConfigError) {
        io.stderr.write(`error: --open-prs: ${isGitHubError(e) ? e.describe() : e.message}\n`);
        return 1;
      }
      throw e;
    }
  } finally {
    await consul.close();
  }
}
