// Load, bounded and loopback-only (not part of `npm test`; run by scripts/reliability.ts, or alone:
// node --import tsx test/reliability/load.ts): signed deliveries through `serve` and through the
// Lambda webhook handler, and many targets reconciling at once through `serve`. Each phase reports
// throughput, p50/p99 latency and the peak RSS of this process while it ran, all measured here.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler } from '../../functions/webhook/handler.ts';
import { startDevServer, type DevServer } from '../../src/dev-server/server.ts';
import { startServe } from '../../src/serve/server.ts';
import { startGitHubDouble } from '../support/github-double.ts';
import { startLambdaDouble } from '../support/lambda-double.ts';
import { configPush, SECRET, signed } from '../functions/webhook/github-examples.ts';

export interface LoadFigures {
  name: string;
  /** What was sent and what came back, e.g. "2000 deliveries, 32 at a time: 202×2000". */
  workload: string;
  count: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMiB: number;
  ok: boolean;
}

export interface LoadOptions {
  deliveries: number;
  concurrency: number;
  targets: number;
  entriesPerTarget: number;
}

export const DEFAULT_LOAD: LoadOptions = { deliveries: 2000, concurrency: 32, targets: 20, entriesPerTarget: 10 };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Samples RSS every 10 ms until stopped; returns the peak in MiB. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return () => {
    clearInterval(timer);
    return round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}

/** Runs `jobs` with at most `concurrency` in flight; per-job latency in ms. */
async function timed(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<string>,
): Promise<{ latencies: number[]; answers: Map<string, number>; seconds: number }> {
  const latencies: number[] = [];
  const answers = new Map<string, number>();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const answer = await job(i).catch((e: unknown) => `error ${(e as Error).name}`);
        latencies.push(performance.now() - t0);
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), answers, seconds: (performance.now() - start) / 1000 };
}

function figures(name: string, workload: string, run: Awaited<ReturnType<typeof timed>>, peakRssMiB: number, ok: boolean): LoadFigures {
  const answers = [...run.answers]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([a, n]) => `${a}×${n}`)
    .join(', ');
  return {
    name,
    workload: `${workload}: ${answers}`,
    count: run.latencies.length,
    seconds: round(run.seconds, 2),
    perSecond: round(run.latencies.length / run.seconds),
    p50Ms: round(percentile(run.latencies, 50), 2),
    p99Ms: round(percentile(run.latencies, 99), 2),
    peakRssMiB,
    ok,
  };
}

/** Signed pushes through `serve`: every one verified, routed and queued; the queue collapses them. */
async function serveDeliveries(o: LoadOptions): Promise<LoadFigures> {
  const consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  const github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  const sha = github.addCommit({ 'config-entries/api.hcl': 'Kind = "service-defaults"\nName = "api"\nProtocol = "http"\n' }, 'api', {
    branch: 'master',
    date: '2026-11-25T10:00:00Z',
  });
  const serve = await startServe({
    env: {
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: 'ghp_loadTOKEN0123456789',
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      DEFAULT_BRANCH: 'master',
      CONSUL_HTTP_ADDR: consul.url,
    },
    port: 0,
    host: '127.0.0.1',
    overrides: { github: { throttle: false, retries: 0 } },
    log: () => {},
    scheduleIntervalMs: 0,
  });
  const push = Object.assign(configPush(), { after: sha });
  const requests = await Promise.all(Array.from({ length: o.deliveries }, () => signed('push', push)));
  const peak = rssSampler();
  try {
    const run = await timed(o.deliveries, o.concurrency, async (i) => {
      const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: requests[i].headers, body: requests[i].body });
      await res.arrayBuffer();
      return String(res.status);
    });
    await serve.idle();
    const applied = (await fetch(`${consul.url}/v1/config/service-defaults/api`)).status === 200;
    return figures(
      'serve: signed deliveries',
      `${o.deliveries} signed pushes of one commit, ${o.concurrency} at a time`,
      run,
      peak(),
      applied && run.answers.get('202') !== undefined && [...run.answers.keys()].every((a) => a === '202' || a === '200'),
    );
  } finally {
    await serve.close();
    await Promise.all([consul.close(), github.close()]);
  }
}

/** Signed pushes through the Lambda webhook handler, invoking a loopback Lambda API. */
async function handlerDeliveries(o: LoadOptions): Promise<LoadFigures> {
  const lambda = await startLambdaDouble();
  const handler = createHandler({
    env: {
      RECONCILE_FUNCTION_NAME: 'consul-gitops-reconcile',
      DEFAULT_BRANCH: 'master',
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    },
    lambda: new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    log: () => {},
  });
  const requests = await Promise.all(
    Array.from({ length: o.deliveries }, (_, i) => signed('push', Object.assign(configPush(), { after: (i + 1).toString(16).padStart(40, '0') }))),
  );
  const peak = rssSampler();
  try {
    const run = await timed(o.deliveries, o.concurrency, async (i) => {
      const res = await handler({ headers: requests[i].headers, body: requests[i].body, isBase64Encoded: false } as never);
      return String(res.statusCode);
    });
    const ok = run.answers.get('202') === o.deliveries && lambda.invocations.length === o.deliveries;
    return figures(
      'webhook handler (Lambda): signed deliveries',
      `${o.deliveries} signed pushes of distinct commits, ${o.concurrency} at a time, each an async invoke`,
      run,
      peak(),
      ok,
    );
  } finally {
    await lambda.close();
  }
}

/** One push to a repository with many targets, each its own Consul: every target reconciles at once. */
async function manyTargets(o: LoadOptions): Promise<LoadFigures> {
  const consuls: DevServer[] = await Promise.all(Array.from({ length: o.targets }, () => startDevServer({ port: 0, host: '127.0.0.1' })));
  const github = await startGitHubDouble({ owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' });
  const files: Record<string, string> = {};
  const names = consuls.map((_, t) => `t${String(t).padStart(2, '0')}`);
  for (const t of names)
    for (let e = 0; e < o.entriesPerTarget; e++) files[`config-entries/${t}/svc${e}.hcl`] = `Kind = "service-defaults"\nName = "svc${e}"\nProtocol = "http"\n`;
  const sha = github.addCommit(files, 'many targets', { branch: 'master', date: '2026-11-25T10:00:00Z' });
  const targetsConfig = JSON.stringify({
    targets: names.map((name, t) => ({ name, dir: `config-entries/${name}`, prune: true, consul: { address: consuls[t].url } })),
  });
  const durations: number[] = [];
  let failed = 0;
  const serve = await startServe({
    env: {
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: 'ghp_loadTOKEN0123456789',
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      DEFAULT_BRANCH: 'master',
      TARGETS_CONFIG: targetsConfig,
    },
    port: 0,
    host: '127.0.0.1',
    overrides: { github: { throttle: false, retries: 0 } },
    log: (line) => {
      const l = JSON.parse(line) as { message?: string; durationMs?: number; ok?: boolean };
      if (l.message === 'Reconcile finished' && typeof l.durationMs === 'number') durations.push(l.durationMs);
      if (l.message === 'Reconcile failed' || l.ok === false) failed++;
    },
    scheduleIntervalMs: 0,
  });
  const peak = rssSampler();
  try {
    const req = await signed('push', Object.assign(configPush(), { after: sha }));
    const start = performance.now();
    const res = await fetch(`${serve.url}/webhook`, { method: 'POST', headers: req.headers, body: req.body });
    await res.arrayBuffer();
    await serve.idle();
    const seconds = (performance.now() - start) / 1000;
    const held = await Promise.all(consuls.map(async (c) => ((await (await fetch(`${c.url}/v1/config/service-defaults`)).json()) as unknown[]).length));
    const entries = held.reduce((a, b) => a + b, 0);
    const sorted = durations.sort((a, b) => a - b);
    return {
      name: 'serve: many targets at once',
      workload: `1 push, ${o.targets} targets × ${o.entriesPerTarget} entries, each target its own Consul: ${entries} entries applied, ${durations.length} runs finished, ${failed} failed`,
      count: durations.length,
      seconds: round(seconds, 2),
      perSecond: round(entries / seconds),
      p50Ms: round(percentile(sorted, 50), 2),
      p99Ms: round(percentile(sorted, 99), 2),
      peakRssMiB: peak(),
      ok: res.status === 202 && failed === 0 && entries === o.targets * o.entriesPerTarget,
    };
  } finally {
    await serve.close();
    await Promise.all([...consuls.map((c) => c.close()), github.close()]);
  }
}

export async function runLoad(o: LoadOptions = DEFAULT_LOAD): Promise<LoadFigures[]> {
  return [await serveDeliveries(o), await handlerDeliveries(o), await manyTargets(o)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  for (const f of await runLoad()) console.log(JSON.stringify(f));
  console.log(`load: ${round((performance.now() - started) / 1000, 1)} s`);
}
