// The serverless path over loopback, set up once for the end-to-end tests: the dev server as Consul,
// the GitHub double, the Lambda API double running the reconcile function on each invocation, and
// the webhook and schedule functions invoking it through a real @aws-sdk/client-lambda. The
// reconcile function's log lines and CloudWatch metrics (EMF) are captured, not printed.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, expect } from 'vitest';
import { createHandler } from '../../functions/webhook/handler.ts';
import { createReconcileHandler, type ReconcileHandler, type ReconcileHandlerDeps } from '../../functions/reconcile/handler.ts';
import { createScheduleHandler } from '../../functions/schedule/handler.ts';
import { CloudWatchMetrics } from '../../src/adapters/metrics/cloudwatch-metrics.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import type { RuntimeOverrides } from '../../src/runtime/build-runtime.ts';
import { SECRET, signed } from '../functions/webhook/github-examples.ts';
import { startGitHubDouble, type GitHubDouble } from './github-double.ts';
import { startLambdaDouble, type LambdaDouble } from './lambda-double.ts';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const DEFAULT_BRANCH = 'master';
export const RECONCILE_FUNCTION_NAME = 'consul-gitops-reconcile';
export const GITHUB_TOKEN = 'ghp_e2eTOKENnever-logged-0123456789';

export interface ServerlessHarnessOptions {
  /** Added to (or overriding) the reconcile function's environment, e.g. TARGETS_CONFIG. */
  env?: Record<string, string>;
  /** Added to the runtime overrides (GitHub throttling and retries are off by default). */
  overrides?: RuntimeOverrides;
  /** The reconcile function's factory (default: functions/reconcile/handler.ts; a built bundle's in the bundle test). */
  createReconcileHandler?: (deps: ReconcileHandlerDeps) => ReconcileHandler;
  /** The GitHub double refuses (401) a request without GITHUB_TOKEN, as GitHub refuses one to a private repository. */
  requireGitHubToken?: boolean;
}

export interface ServerlessHarness {
  consul: DevServer;
  github: GitHubDouble;
  lambda: LambdaDouble;
  /** The reconcile function's JSON log lines. */
  logs: string[];
  /** The reconcile function's CloudWatch embedded-metric-format objects, one per line it would print. */
  emf: Record<string, any>[];
  lambdaClient(): LambdaClient;
  /** A webhook function as a new container would run it. */
  webhook(): ReturnType<typeof createHandler>;
  /** A signed delivery to a new webhook container; resolves after every reconcile it started finished. */
  deliver(event: string, payload: unknown, options?: { deliveryId?: string }): ReturnType<ReturnType<typeof createHandler>>;
  /** One EventBridge tick of the schedule function; resolves after every reconcile it started finished. */
  tick(id: string): Promise<void>;
  /** Stops the three servers. */
  close(): Promise<void>;
}

/**
 * The reconcile function's production metrics exporter (CloudWatch EMF), writing each object to `emf`
 * instead of stdout: test output stays clean, and a test about metrics asserts on what Lambda would print.
 */
export function captureMetrics(): { emf: Record<string, any>[]; metrics: CloudWatchMetrics } {
  const emf: Record<string, any>[] = [];
  return { emf, metrics: new CloudWatchMetrics((line) => emf.push(JSON.parse(line) as Record<string, any>)) };
}

export async function startServerlessHarness(options: ServerlessHarnessOptions = {}): Promise<ServerlessHarness> {
  const consul = await startDevServer({ port: 0 });
  const github = await startGitHubDouble({
    owner: OWNER,
    repo: REPO,
    defaultBranch: DEFAULT_BRANCH,
    ...(options.requireGitHubToken ? { token: GITHUB_TOKEN } : {}),
  });
  const lambda = await startLambdaDouble();
  const logs: string[] = [];
  const { emf, metrics } = captureMetrics();
  const reconcile = (options.createReconcileHandler ?? createReconcileHandler)({
    env: { CONSUL_HTTP_ADDR: consul.url, GITHUB_TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}`, DEFAULT_BRANCH, ...options.env },
    overrides: { ...options.overrides, github: { throttle: false, retries: 0, ...options.overrides?.github } },
    log: (line) => logs.push(line),
    metrics,
  });
  lambda.onInvoke = (invocation) => reconcile(invocation.payload);

  const lambdaClient = () => new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const webhook = () =>
    createHandler({
      env: { RECONCILE_FUNCTION_NAME, DEFAULT_BRANCH, GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_REPOSITORY: `${OWNER}/${REPO}` },
      lambda: lambdaClient(),
      log: (line) => logs.push(line),
    });
  return {
    consul,
    github,
    lambda,
    logs,
    emf,
    lambdaClient,
    webhook,
    async deliver(event, payload, o = {}) {
      const req = await signed(event, payload, o);
      const res = await webhook()({ headers: req.headers, body: req.body, isBase64Encoded: false } as never);
      await Promise.all(lambda.runs);
      return res;
    },
    async tick(id) {
      lambda.runs.length = 0;
      await createScheduleHandler({
        env: { RECONCILE_FUNCTION_NAME, GITHUB_REPOSITORY: `${OWNER}/${REPO}`, DEFAULT_BRANCH },
        lambda: lambdaClient(),
        log: () => {},
      })({ id });
      await Promise.all(lambda.runs);
    },
    async close() {
      await Promise.all([consul.close(), github.close(), lambda.close()]);
    },
  };
}

/**
 * A harness for each test of the file: started before it and handed to `use`; after it, checked (the
 * GitHub double saw no request it does not serve) and closed.
 */
export function harnessPerTest(use: (h: ServerlessHarness) => void, options: ServerlessHarnessOptions = {}): void {
  let h: ServerlessHarness | undefined;
  beforeEach(async () => {
    h = await startServerlessHarness(options);
    use(h);
  });
  afterEach(async () => {
    expect(h!.github.unexpected).toEqual([]);
    await h!.close();
  });
}
