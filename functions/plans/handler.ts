// The plans function, behind a public Lambda function URL: `GET /plans/<id>?expires=..&sig=..` → the
// archived plan as text, for pull-request reviewers' browsers (no AWS credentials; the signed link is
// the permission, see src/adapters/plans/plan-links.ts). Reads only: the reconcile function stores.
import { answerPlanRequest } from '../../src/adapters/plans/plan-page.ts';
import { s3PlansFromEnv, type PlanEnvOverrides } from '../../src/adapters/plans/from-env.ts';
import { describeError, logFromEnv } from '../../src/runtime/logger.ts';

/** The part of a function URL event (payload format 2.0) the handler reads. */
export interface FunctionUrlEvent {
  rawPath?: string;
  rawQueryString?: string;
  requestContext?: { http?: { method?: string } };
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface PlansHandlerDeps {
  env: Readonly<Record<string, string | undefined>>;
  overrides?: PlanEnvOverrides & { now?: () => Date };
  log?: (line: string) => void;
}

export function createPlansHandler(deps: PlansHandlerDeps): (event: FunctionUrlEvent) => Promise<FunctionUrlResult> {
  const log = logFromEnv(deps.env, deps.log);
  let plans: ReturnType<typeof s3PlansFromEnv> | undefined;
  return async (event) => {
    try {
      plans ??= s3PlansFromEnv(deps.env, deps.overrides);
      const a = await answerPlanRequest(
        { method: event.requestContext?.http?.method ?? 'GET', path: event.rawPath ?? '/', query: new URLSearchParams(event.rawQueryString ?? '') },
        { storage: plans.storage, links: await plans.links(), now: deps.overrides?.now ?? (() => new Date()) },
      );
      // Never the query: it holds the link's signature.
      log(a.status === 200 ? 'info' : 'warn', 'Plan request answered', { status: a.status });
      return { statusCode: a.status, headers: a.headers, body: a.body };
    } catch (error) {
      log('error', 'Plan request failed', { error: describeError(error) });
      return {
        statusCode: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
        body: 'The plan could not be read just now. Try again later.\n',
      };
    }
  };
}

export const handler = createPlansHandler({ env: process.env });
