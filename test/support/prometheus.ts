// A real Prometheus (Debian's `prometheus` package) for tests: started on 127.0.0.1 on a free port
// with its own temporary data directory, optionally pre-loaded with history through
// `promtool tsdb create-blocks-from openmetrics`, and stopped by the test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** OpenMetrics text (ending in `# EOF`) turned into TSDB blocks before start. */
  openMetrics?: string;
  /** host:port targets scraped every `scrapeInterval`. */
  scrapeTargets?: string[];
  scrapeInterval?: string;
  metricsPath?: string;
  extraArgs?: string[];
}

/**
 * Why Prometheus cannot run here, or undefined when it can. Under CI a missing binary is a
 * failure (.ci/run installs it), so this throws instead of letting the tests skip.
 */
export function prometheusMissing(): string | undefined {
  const missing = ['prometheus', 'promtool'].filter((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return undefined;
  const why = `${missing.join(' and ')} not installed (apt-get install -y prometheus)`;
  if (process.env.CI) throw new Error(`CI needs ${why}`);
  return why;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'consul-gitops-prom-'));
  const data = join(dir, 'data');
  if (options.openMetrics !== undefined) {
    const file = join(dir, 'history.om');
    await writeFile(file, options.openMetrics);
    const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, data], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`promtool create-blocks-from failed: ${r.stderr || r.stdout}`);
  }
  const config = [
    'global:',
    `  scrape_interval: ${options.scrapeInterval ?? '1s'}`,
    `  evaluation_interval: 1m`,
    'scrape_configs:',
    ...(options.scrapeTargets?.length
      ? [
          '  - job_name: sidecars',
          `    metrics_path: ${options.metricsPath ?? '/metrics'}`,
          '    static_configs:',
          `      - targets: [${options.scrapeTargets.map((t) => `'${t}'`).join(', ')}]`,
        ]
      : []),
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config + '\n');

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=10y',
        '--log.level=warn',
        ...(options.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    try {
      await waitReady(url, proc, () => stderr);
      return { url, stop: () => stop(proc, dir) };
    } catch (e) {
      lastError = e;
      await stop(proc, undefined);
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitReady(url: string, proc: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus not ready in 30 s: ${stderr()}`);
}

async function stop(proc: ChildProcess, dir: string | undefined): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** One OpenMetrics family: lines `name{labels} value timestampSeconds`, grouped as the format needs. */
export function openMetrics(series: Array<{ name: string; labels: Record<string, string>; points: Array<[number, number]> }>): string {
  const byName = new Map<string, typeof series>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, list] of byName) {
    // `gauge` accepts any name; OpenMetrics counters would need the _total suffix rules.
    lines.push(`# TYPE ${name} gauge`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      // OpenMetrics spells the non-finite values NaN, +Inf and -Inf.
      const value = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));
      for (const [t, v] of s.points) lines.push(`${name}{${labels}} ${value(v)} ${t / 1000}`);
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}
