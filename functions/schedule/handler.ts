// The schedule Lambda (EventBridge rate rule): asks reconcile, asynchronously, to check each
// target for drift against the default branch. It holds no Consul or GitHub credentials itself.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScheduledEvent } from 'aws-lambda';
import { Buffer } from 'node:buffer';
import type { DriftRequest } from '../../src/app/reconcile-request.ts';
import {
  DEFAULT_BRANCH,
  formatProblems,
  GITHUB_REPOSITORY,
  readEnvironment,
  RECONCILE_FUNCTION_NAME,
  requiredHere,
  splitRepository,
  TARGETS,
  type Env,
  type EnvValues,
} from '../../src/config/environment.ts';
import { logFromEnv } from '../../src/runtime/logger.ts';
import { ConsulGitopsError } from '../../src/errors.ts';

/** What the schedule function reads from its environment. */
export const SCHEDULE_VARIABLES = {
  reconcileFunctionName: RECONCILE_FUNCTION_NAME,
  repository: requiredHere(GITHUB_REPOSITORY, 'the repository whose default branch is checked'),
  branch: DEFAULT_BRANCH,
  /** Empty: one drift check for reconcile's own targets. */
  targets: TARGETS,
};

export interface ScheduleDeps {
  env: Env;
  lambda?: LambdaClient;
  log?: (line: string) => void;
}

export function driftRequests(config: EnvValues<typeof SCHEDULE_VARIABLES>, eventId: string): DriftRequest[] {
  const { owner, repo } = splitRepository(config.repository);
  const targets = config.targets.length > 0 ? config.targets : [undefined];
  return targets.map((target) => ({
    mode: 'drift' as const,
    repository: { owner, name: repo },
    branch: config.branch,
    deliveryId: `schedule-${eventId}${target ? `-${target}` : ''}`,
    ...(target ? { target } : {}),
  }));
}

export function createScheduleHandler(deps: ScheduleDeps): (event: Pick<ScheduledEvent, 'id'>) => Promise<{ invoked: number }> {
  const log = logFromEnv(deps.env, deps.log);
  let lambda: LambdaClient | undefined;
  return async (event) => {
    const read = readEnvironment(deps.env, SCHEDULE_VARIABLES);
    if (!read.ok) throw new ConsulGitopsError('config', `invalid schedule configuration: ${formatProblems(read.problems)}`);
    lambda ??= deps.lambda ?? new LambdaClient({});
    const requests = driftRequests(read.values, event.id);
    await Promise.all(
      requests.map((r) =>
        lambda!.send(new InvokeCommand({ FunctionName: read.values.reconcileFunctionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(r)) })),
      ),
    );
    log.withCorrelationId(`schedule-${event.id}`)('info', 'Drift checks started', { targets: requests.map((r) => r.target ?? '(all)') });
    return { invoked: requests.length };
  };
}

export const handler = createScheduleHandler({ env: process.env });
