// `serve` over loopback, set up once for the tests of its HTTP face: the dev server as Consul, the
// GitHub double as GitHub, and serve itself (schedule off) reconciling signed deliveries on its
// in-process queue. The serve counterpart of serverless-harness.ts, with the same owner, repository
// and branch.
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/dev-server/server.ts';
import { startServe, type ServeHandle } from '../../src/serve/server.ts';
import type { RuntimeOverrides } from '../../src/runtime/build-runtime.ts';
import { SECRET, signed } from '../functions/webhook/github-examples.ts';
import { startGitHubDouble, type GitHubDouble } from './github-double.ts';
import { pullRequestOpened, pushOf } from './github-events.ts';
import { DEFAULT_BRANCH, GITHUB_TOKEN, OWNER, REPO } from './serverless-harness.ts';

export interface ServeHarnessOptions {
  /** The dev server's options (a Consul version, latency, ACLs). */
  consul?: DevServerOptions;
  /** Added to (or overriding) serve's environment; a variable set to undefined is left out. */
  env?: Record<string, string | undefined>;
  /** serve's schedule (default 0: off). */
  scheduleIntervalMs?: number;
  /** false: start only Consul and GitHub, for a test that sets them up first, then calls startServe(). */
  startServe?: boolean;
  /** Added to the runtime overrides (e.g. the advisor's traffic source); GitHub throttling and retries are off. */
  overrides?: RuntimeOverrides;
}

/** What a test may choose when it starts serve itself. */
export type ServeSettings = Pick<ServeHarnessOptions, 'env' | 'scheduleIntervalMs'>;

export interface ServeHarness {
  consul: DevServer;
  github: GitHubDouble;
  /** serve, once started (startServeHarness does, unless told not to). */
  readonly serve: ServeHandle;
  /** Starts serve against this Consul and GitHub (stopping one started before); settings add to those the harness was started with. */
  startServe(settings?: ServeSettings): Promise<ServeHandle>;
  /** serve's JSON log lines. */
  logs: string[];
  /** POSTs a signed delivery to serve's /webhook; resolves with the HTTP status once serve's queue is idle. */
  deliver(event: string, payload: unknown): Promise<number>;
  /** Commits `files` to master and delivers its push; resolves with the HTTP status once reconciled. */
  push(files: Record<string, string>): Promise<number>;
  /** Opens a pull request from `headBranch` with `files` and delivers its `opened` event; resolves with the head commit once planned. */
  openPullRequest(headBranch: string, files: Record<string, string>): Promise<{ number: number; head: string; status: number }>;
  /** Stops serve, then the two servers. */
  close(): Promise<void>;
}

export async function startServeHarness(options: ServeHarnessOptions = {}): Promise<ServeHarness> {
  const consul = await startDevServer({ port: 0, host: '127.0.0.1', ...options.consul });
  const github = await startGitHubDouble({ owner: OWNER, repo: REPO, defaultBranch: DEFAULT_BRANCH });
  const logs: string[] = [];
  let serve: ServeHandle | undefined;
  const launchServe = async (settings: ServeSettings = {}): Promise<ServeHandle> => {
    await serve?.close();
    serve = undefined;
    const env: Record<string, string | undefined> = {
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      DEFAULT_BRANCH,
      CONSUL_HTTP_ADDR: consul.url,
      ...options.env,
      ...settings.env,
    };
    serve = await startServe({
      env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
      port: 0,
      host: '127.0.0.1',
      overrides: { ...options.overrides, github: { throttle: false, retries: 0 } },
      log: (line) => logs.push(line),
      scheduleIntervalMs: settings.scheduleIntervalMs ?? options.scheduleIntervalMs ?? 0,
    });
    return serve;
  };
  const started = (): ServeHandle => {
    if (!serve) throw new Error('serve is not started: call startServe()');
    return serve;
  };
  const deliver = async (event: string, payload: unknown): Promise<number> => {
    const req = await signed(event, payload);
    const res = await fetch(`${started().url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
    await res.body?.cancel();
    await started().idle();
    return res.status;
  };
  if (options.startServe !== false) await launchServe();
  return {
    consul,
    github,
    get serve() {
      return started();
    },
    startServe: launchServe,
    logs,
    deliver,
    push: (files) => deliver('push', pushOf(github.addCommit(files, 'change', { branch: DEFAULT_BRANCH }))),
    async openPullRequest(headBranch, files) {
      const number = github.addPullRequest({ head: headBranch, files });
      const status = await deliver('pull_request', pullRequestOpened(github, number, headBranch));
      return { number, head: github.refSha(headBranch)!, status };
    },
    async close() {
      await serve?.close();
      await Promise.all([consul.close(), github.close()]);
    },
  };
}
