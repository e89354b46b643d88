// One instant query against Prometheus's HTTP API (POST /api/v1/query, form-encoded), with a
// server-side and a client-side timeout, bounded retries for 5xx and connection failures, and the
// envelope read as prometheus/prometheus docs/querying/api.md defines it. Never throws: every
// failure is a value with a message fit for a report (secrets redacted).
import { request, type Dispatcher } from 'undici';
import { BodyTooLargeError, readBounded } from './bounded-body.ts';
import { redactSecrets, type PrometheusAuth } from './prometheus-auth.ts';
import { ConsulGitopsError } from '../../errors.ts';

export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export type QueryOutcome =
  | { ok: true; series: MatrixSeries[]; warnings: string[]; samples: number }
  | {
      ok: false;
      problem: string;
      /** Nothing was answered at all (unreachable, refused auth): the source may be unusable. */
      unreachable: boolean;
    };

export interface QueryOptions {
  baseUrl: URL;
  auth: PrometheusAuth;
  dispatcher?: Dispatcher;
  timeoutMs: number;
  attempts: number;
  sampleLimit: number;
  maxResponseBytes: number;
  sleep?: (ms: number) => Promise<void>;
}

/** `/api/v1/query` under the configured URL (which may carry a path, e.g. AMP's workspace). */
export function queryUrl(base: URL): URL {
  const u = new URL(base.toString());
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v1/query`;
  u.search = '';
  u.hash = '';
  // Credentials in the URL travel as basic auth (prometheus-auth.ts), never in the URL itself.
  u.username = '';
  u.password = '';
  return u;
}

export async function instantQuery(query: string, timeMs: number, opts: QueryOptions): Promise<QueryOutcome> {
  const url = queryUrl(opts.baseUrl);
  const form = new URLSearchParams({ query, time: (timeMs / 1000).toFixed(3), timeout: `${Math.max(1, Math.floor(opts.timeoutMs / 1000))}s` });
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: QueryOutcome = { ok: false, problem: 'not sent', unreachable: true };
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    const { outcome, retry } = await once(url, form.toString(), opts);
    last = outcome;
    if (!retry || attempt === opts.attempts) break;
    await sleep(Math.min(2_000, 100 * 2 ** (attempt - 1)));
  }
  if (!last.ok) last = { ...last, problem: redactSecrets(last.problem, opts.auth.secrets()) };
  return last;
}

async function once(url: URL, body: string, opts: QueryOptions): Promise<{ outcome: QueryOutcome; retry: boolean }> {
  const fail = (problem: string, retry: boolean, unreachable = false) => ({ outcome: { ok: false as const, problem, unreachable }, retry });
  let res: Dispatcher.ResponseData;
  let text: string;
  let req: Awaited<ReturnType<typeof opts.auth.apply>>;
  try {
    req = await opts.auth.apply({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
  } catch (e) {
    // The credential could not be made (a token file that is not a regular file, a missing region):
    // our own configuration, said in its own words, not "cannot reach Prometheus", and not retried.
    if (e instanceof ConsulGitopsError) return fail(e.message, false);
    throw e;
  }
  try {
    // Client-side bound: Prometheus's own timeout plus slack for the answer to travel.
    const signal = AbortSignal.timeout(opts.timeoutMs + 5_000);
    res = await request(req.url, { method: 'POST', headers: req.headers, body: req.body, signal, ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}) });
    text = await readBounded(res.body, opts.maxResponseBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return fail(`answer over ${opts.maxResponseBytes} bytes: narrow the window or lower batchSize`, false);
    const err = e as Error & { code?: string; name?: string };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return fail(`no answer within ${opts.timeoutMs + 5_000} ms`, true);
    return fail(`cannot reach Prometheus: ${err.code ?? err.message}`, true, true);
  }
  let env: { status?: unknown; data?: { resultType?: unknown; result?: unknown }; errorType?: unknown; error?: unknown; warnings?: unknown };
  try {
    env = JSON.parse(text) as typeof env;
  } catch {
    const retry = res.statusCode >= 500;
    return fail(
      `HTTP ${res.statusCode}, not a Prometheus API answer: ${text.slice(0, 200).replace(/\s+/g, ' ')}`,
      retry,
      res.statusCode === 401 || res.statusCode === 403,
    );
  }
  const warnings = Array.isArray(env.warnings) ? env.warnings.map(String) : [];
  if (env.status !== 'success' || res.statusCode >= 300) {
    const detail = `${typeof env.errorType === 'string' ? env.errorType : 'error'}: ${typeof env.error === 'string' ? env.error : 'no message'}`;
    // 503 is Prometheus's timeout/abort; 5xx may pass. 4xx (bad_data, 422 execution) will not.
    return fail(`HTTP ${res.statusCode} ${detail}`, res.statusCode >= 500, res.statusCode === 401 || res.statusCode === 403);
  }
  if (env.data?.resultType !== 'matrix' || !Array.isArray(env.data.result)) {
    return fail(`expected a matrix (raw samples), got ${String(env.data?.resultType)}`, false);
  }
  const series: MatrixSeries[] = [];
  let samples = 0;
  for (const s of env.data.result as Array<{ metric?: unknown; values?: unknown }>) {
    const values = Array.isArray(s.values) ? (s.values as Array<[number, string]>) : [];
    samples += values.length;
    series.push({ metric: (s.metric ?? {}) as Record<string, string>, values });
  }
  if (samples > opts.sampleLimit) {
    return fail(`${samples} samples, over the sample limit of ${opts.sampleLimit}: this data was not used (raise sampleLimit or lower batchSize)`, false);
  }
  return { outcome: { ok: true, series, warnings, samples }, retry: false };
}
