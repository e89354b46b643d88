// The schedule Lambda (EventBridge rate rule): asks reconcile, asynchronously, to check each
// target for drift against the default branch. It holds no Consul or GitHub credentials itself.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScheduledEvent } from 'aws-lambda';
import { Buffer } from 'node:buffer';
// zod/mini keeps this bundle small (full zod alone is ~440 KB minified).
import * as z from 'zod/mini';
import type { DriftRequest } from '../../src/app/reconcile-request.ts';
import { logFromEnv } from '../../src/runtime/logger.ts';
import { ConsulGitopsError } from '../../src/errors.ts';

const ScheduleEnv = z.object({
  RECONCILE_FUNCTION_NAME: z.string().check(z.minLength(1)),
  GITHUB_REPOSITORY: z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')),
  DEFAULT_BRANCH: z._default(z.string().check(z.minLength(1)), 'main'),
  /** Comma-separated target names: one drift check each, in parallel. Empty: reconcile's own targets. */
  TARGETS: z.optional(z.string()),
});

export interface ScheduleDeps {
  env: Readonly<Record<string, string | undefined>>;
  lambda?: LambdaClient;
  log?: (line: string) => void;
}

export function driftRequests(env: z.infer<typeof ScheduleEnv>, eventId: string): DriftRequest[] {
  const [owner, name] = env.GITHUB_REPOSITORY.split('/') as [string, string];
  const targets = env.TARGETS?.split(',').map((t) => t.trim()).filter(Boolean) ?? [undefined];
  return targets.map((target) => ({
    mode: 'drift' as const,
    repository: { owner, name },
    branch: env.DEFAULT_BRANCH,
    deliveryId: `schedule-${eventId}${target ? `-${target}` : ''}`,
    ...(target ? { target } : {}),
  }));
}

export function createScheduleHandler(deps: ScheduleDeps): (event: Pick<ScheduledEvent, 'id'>) => Promise<{ invoked: number }> {
  const log = logFromEnv(deps.env, deps.log);
  let lambda: LambdaClient | undefined;
  return async (event) => {
    // Empty variables count as unset, as in a shell.
    const parsed = ScheduleEnv.safeParse(Object.fromEntries(Object.entries(deps.env).filter(([, v]) => v !== undefined && v !== '')));
    if (!parsed.success) throw new ConsulGitopsError('config', `invalid schedule configuration: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    lambda ??= deps.lambda ?? new LambdaClient({});
    const requests = driftRequests(parsed.data, event.id);
    await Promise.all(
      requests.map((r) =>
        lambda!.send(new InvokeCommand({ FunctionName: parsed.data.RECONCILE_FUNCTION_NAME, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(r)) })),
      ),
    );
    log.withCorrelationId(`schedule-${event.id}`)('info', 'Drift checks started', { targets: requests.map((r) => r.target ?? '(all)') });
    return { invoked: requests.length };
  };
}

export const handler = createScheduleHandler({ env: process.env });
