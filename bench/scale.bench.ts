// npm run bench (scale): the reconciler near the physical limit, measured as a user runs it.
//   1. A no-op `consul-gitops plan`, whole process, at 1,000 and 10,000 entries (50,000 with
//      BENCH_SCALE_50K=1) against the dev server (own process, 2 ms latency per request), next to
//      `node -e 0` and a process that only reads and parses the same files; peak RSS of each; how
//      time grows between the two largest sizes (goal: exponent ≤ 1.1). With BENCH_BASE_REF=<commit>,
//      the CLI built from that commit plans too, alternating with today's against the same server.
//      The built `plan` uses the code cache its first run leaves in ~/.cache (src/cli/code-cache.ts),
//      as a user's second run does; `plan, no code cache` runs alongside with it off (a CI job), and
//      `plan, no memo` with the memo of no-op plans off (src/cli/plan-cache.ts: every entry planned,
//      from the entry cache). With BENCH_RUNS=1 each command runs once unmeasured first, so the one
//      measured run is not the first read of a cold disk or the run that writes the caches.
//   2. Applying 10,000 creates (goal ≤ 2 s), next to the same 10,000 PUTs sent raw, as many in flight,
//      the dev server's and the client's CPU per write, and the floor: the same raw PUTs to a bare
//      node:http server that answers `true` after the same latency (bench/support/bare-server.ts), and
//      the dev server's plumbing alone (as many PUTs of /v1/dev/faults that change nothing): where
//      the server's CPU per write goes, and what bounds the wall time here and against a real Consul.
//      With BENCH_BASE_REF, the same apply against the dev server built from that commit, alternating
//      with today's.
//   2b. What a user runs for a large change: the built CLI's `apply --auto-approve` of 1,000 and 10,000
//      creates against an empty dev server, and of one field changed in each of as many entries, with
//      `plan` of the same tree as its own row (the apply's time above it is the writes), and how the
//      plan grows between the two sizes (linear ≈ 1.0). With BENCH_BASE_REF, alternating with that build.
//   3. A cold reconcile of a 10,000-file repository through the reconcile Lambda handler and the
//      GitHub double: GitHub requests (goal ≤ 5) and wall time, next to the same tree read blob by blob.
//   4. The YAML files of that tree through the fast plain-YAML reader and through the library (CPU).
// Every figure is a ratio against a baseline measured in the same run; absolute goals are printed
// for the record only (this machine is shared, so they are not pass/fail).
import { spawn } from 'node:child_process';
import { Pool } from 'undici';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConsulClient } from '../src/adapters/consul/client.ts';
import { ConsulConfigEntryStore } from '../src/adapters/consul/stores.ts';
import { readLocalFiles } from '../src/adapters/files/local-files.ts';
import { GitHubTreeSource } from '../src/adapters/github/contents-source.ts';
import { createGitHubClient } from '../src/adapters/github/octokit.ts';
import { applyPlan } from '../src/app/apply-plan.ts';
import { makePlan } from '../src/app/make-plan.ts';
import { startDevServer } from '../src/dev-server/server.ts';
import { CloudWatchMetrics } from '../src/adapters/metrics/cloudwatch-metrics.ts';
import { parseYaml, parseYamlDocuments } from '../src/formats/yaml.ts';
import { createReconcileHandler } from '../functions/reconcile/handler.ts';
import { startGitHubDouble } from '../test/support/github-double.ts';
import { startDevServerProcess } from './support/dev-server-process.ts';
import { startBareServer } from './support/bare-server.ts';
import { buildCliForBench } from './support/built-cli.ts';
import { buildCliAt } from './support/built-cli-at.ts';
import { readParseFiles } from './support/read-parse-tree.ts';

const LATENCY_MS = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = process.env.BENCH_SCALE_SIZES
  ? process.env.BENCH_SCALE_SIZES.split(',').map(Number)
  : [1_000, 10_000, ...(process.env.BENCH_SCALE_50K ? [50_000] : [])];
// The children are built JavaScript, as installed (dist/), not TypeScript through tsx: the loader alone
// costs more than a 1,000-entry plan.
const built = await buildCliForBench({ 'read-parse': resolve('bench/support/read-parse.ts'), 'apply-client': resolve('bench/support/apply-client.ts') });
process.on('exit', () => built.remove());
const BASE_REF = process.env.BENCH_BASE_REF;
const base = BASE_REF ? await buildCliAt(BASE_REF) : undefined;
process.on('exit', () => base?.remove());

/** `count` entries as files: service-defaults (HCL), intentions (JSON), routers (YAML), and the mesh-wide pair; read-parse.bench.ts reads the same tree. */
const entryFiles = readParseFiles;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, 'config-entries', path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
}

interface Run {
  ms: number;
  /** Until the last of its stdout arrived: what a user waits before reading the plan (caches are written after it). */
  outMs: number;
  /** User + system CPU of the process: on a shared machine it moves less than the wall time. */
  cpuMs: number;
  rssMiB: number;
  code: number;
}

/**
 * A command run with the built CLI's code cache off (CONSUL_GITOPS_CODE_CACHE=0, src/cli/start.ts):
 * the ES module build, as a CI job that keeps no ~/.cache should run it. Every other built `plan`
 * here uses the cache its first run left.
 */
const NO_CODE_CACHE = 'CONSUL_GITOPS_CODE_CACHE=0';
/**
 * A `plan` whose entry cache (src/cli/entry-cache.ts) is removed first: it parses every file and
 * writes the cache, as the first run after a change of every file (a new build, a new Node) does.
 * Every other built `plan` here reads the entries of the run before it, as a user's next run does.
 */
const ENTRY_CACHE_COLD = 'entry cache removed';
/**
 * The built CLI's caches (code, entries) live here, not in the user's ~/.cache; the base build has
 * its own, as a user has one build: two builds sharing one target's entry cache would each find the
 * other's and write their own on every run.
 */
const CACHE_HOME = mkdtempSync(join(tmpdir(), 'consul-gitops-scale-cache-'));
const BASE_CACHE_HOME = mkdtempSync(join(tmpdir(), 'consul-gitops-scale-cache-base-'));
process.on('exit', () => [CACHE_HOME, BASE_CACHE_HOME].forEach((d) => rmSync(d, { recursive: true, force: true })));
const cacheHomeOf = (args: string[]) => (base && args.includes(base.bin) ? BASE_CACHE_HOME : CACHE_HOME);

/** A `plan` with the memo of no-op plans off (CONSUL_GITOPS_PLAN_CACHE=0): files from the entry cache, every entry planned. */
const NO_MEMO = 'CONSUL_GITOPS_PLAN_CACHE=0';

/**
 * A `plan` run in a copy of the tree (its own directory and cache home, so the other commands' caches
 * and memos stay as they are) after one file of it changed: a trailing newline added or taken away,
 * which keeps the plan a no-op. What a CI runner that keeps its cache pays after a one-file commit:
 * that file parsed, the others from the entry cache, every entry planned (the memo misses).
 */
const ONE_FILE_CHANGED = 'one file changed';
/** The tree of the size being measured (changeEveryFile walks its paths). */
let everyFileTree: Record<string, string> | undefined;
/** The copies' cache homes, removed at exit (one listener: Node warns past ten). */
const copyHomes: string[] = [];
process.on('exit', () => copyHomes.forEach((home) => rmSync(home, { recursive: true, force: true })));
/** The copy's directory and cache home per CLI build: `[ONE_FILE_CHANGED, dir, home, ...args]`. */
function oneFileChanged(root: string, files: Record<string, string>, bin: string, url: string): string[] {
  const copy = mkdtempSync(join(root, 'one-file-'));
  writeTree(copy, files);
  const home = mkdtempSync(join(tmpdir(), 'consul-gitops-scale-cache-one-'));
  copyHomes.push(home);
  return [ONE_FILE_CHANGED, copy, home, bin, 'plan', '--consul', url, '--detailed-exitcode'];
}

/**
 * The same for every file of the copy (`[EVERY_FILE_CHANGED, dir, home, ...args]`): what a commit that
 * touches every file (a reformat) costs a runner that keeps its cache: the entry cache is read, for
 * this build and options, and every line of it misses. Unlike ENTRY_CACHE_COLD, the stale cache is there.
 */
const EVERY_FILE_CHANGED = 'every file changed';
function everyFileChanged(root: string, files: Record<string, string>, bin: string, url: string): string[] {
  return [EVERY_FILE_CHANGED, ...oneFileChanged(root, files, bin, url).slice(1)];
}

/** Adds a trailing newline to every file of the copy, or takes it away. */
function changeEveryFile(dir: string, files: Record<string, string>): void {
  for (const path of Object.keys(files)) {
    const file = join(dir, 'config-entries', path);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.endsWith('\n\n') ? text.slice(0, -1) : `${text}\n`);
  }
}

/** Adds a trailing newline to the copy's mesh.hcl, or takes it away. */
function changeOneFile(dir: string): void {
  const file = join(dir, 'config-entries', 'mesh.hcl');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.endsWith('\n\n') ? text.slice(0, -1) : `${text}\n`);
}

/** Removes the entry caches and the no-op plan memos (which would otherwise answer before any file is parsed). */
function removeEntryCaches(home: string): void {
  const dir = join(home, 'consul-gitops');
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // No cache yet.
  }
  for (const n of names) if (n.startsWith('entries-') || n.startsWith('noop-plans-')) rmSync(join(dir, n), { force: true });
}

/** One whole process under GNU time: wall, CPU and peak RSS. `args` may start with NO_CODE_CACHE, NO_MEMO, ENTRY_CACHE_COLD, ONE_FILE_CHANGED or EVERY_FILE_CHANGED. */
function run(args: string[], cwd: string, change = true): Promise<Run> {
  if (args[0] === ENTRY_CACHE_COLD) {
    args = args.slice(1);
    removeEntryCaches(cacheHomeOf(args));
  }
  let home = cacheHomeOf(args);
  if (args[0] === ONE_FILE_CHANGED || args[0] === EVERY_FILE_CHANGED) {
    const every = args[0] === EVERY_FILE_CHANGED;
    [cwd, home] = args.slice(1, 3);
    args = args.slice(3);
    if (change && every) changeEveryFile(cwd, everyFileTree!);
    else if (change) changeOneFile(cwd);
  }
  const start = performance.now();
  const env = {
    ...process.env,
    XDG_CACHE_HOME: home,
    ...(args[0] === NO_CODE_CACHE ? { CONSUL_GITOPS_CODE_CACHE: '0' } : {}),
    ...(args[0] === NO_MEMO ? { CONSUL_GITOPS_PLAN_CACHE: '0' } : {}),
  };
  if (args[0] === NO_CODE_CACHE || args[0] === NO_MEMO) args = args.slice(1);
  const child = spawn('/usr/bin/time', ['-f', 'maxrss=%M cpu=%U+%S', process.execPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let outMs = 0;
  child.stdout.on('data', () => (outMs = performance.now() - start));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((done) =>
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      const kb = Number(/maxrss=(\d+)/.exec(err)?.[1] ?? 0);
      const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(err);
      if (code !== 0 && code !== 2) process.stderr.write(err);
      done({ ms, outMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : 0, rssMiB: kb / 1024, code: code ?? -1 });
    }),
  );
}

/**
 * What one process allocates and what survives the young generation into the old (V8's
 * --trace-gc-nvp, summed over every collection): unlike time, these do not move with the load of a
 * shared machine, and survivors are what each scavenge copies.
 */
function gcVolume(args: string[], cwd: string): Promise<{ allocatedMB: number; promotedMB: number; scavenges: number }> {
  const env = { ...process.env, XDG_CACHE_HOME: cacheHomeOf(args) };
  const child = spawn(process.execPath, ['--trace-gc-nvp', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((done) =>
    child.on('exit', () => {
      let allocated = 0;
      let promoted = 0;
      let scavenges = 0;
      for (const line of out.split('\n')) {
        if (!line.includes(' gc=')) continue;
        allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
        promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
        if (/ gc=s /.test(line)) scavenges++;
      }
      done({ allocatedMB: allocated / 2 ** 20, promotedMB: promoted / 2 ** 20, scavenges });
    }),
  );
}

/** ` | now/BASE_REF` of one row against the same row of the base build (nothing without BENCH_BASE_REF). */
function versusBase(r: Record<string, Run>, now: string, before: string): string {
  const b = r[before];
  if (!b) return '';
  return ` | ${BASE_REF}: ${f0(b.ms)} ms (CPU ${f0(b.cpuMs)} ms), now/before ${f2(r[now].ms / b.ms)}x wall, ${f2(r[now].cpuMs / b.cpuMs)}x CPU`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median of RUNS alternating runs of each command; with RUNS = 1, after one unmeasured round (a warm disk and caches, as a median of several has). */
async function alternate(commands: Record<string, string[]>, cwd: string): Promise<Record<string, Run>> {
  const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  if (RUNS === 1) for (const args of Object.values(commands)) await run(args, cwd);
  for (let i = 0; i < RUNS; i++) for (const [k, args] of Object.entries(commands)) runs[k].push(await run(args, cwd));
  return Object.fromEntries(
    Object.entries(runs).map(([k, rs]) => [
      k,
      {
        ms: median(rs.map((r) => r.ms)),
        outMs: median(rs.map((r) => r.outMs)),
        cpuMs: median(rs.map((r) => r.cpuMs)),
        rssMiB: median(rs.map((r) => r.rssMiB)),
        code: rs[0].code,
      },
    ]),
  );
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

async function noopPlans(): Promise<void> {
  console.log(`whole-process no-op plan against the dev server (${LATENCY_MS} ms latency), median of ${RUNS} alternating runs`);
  const walls: { n: number; ms: number }[] = [];
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-scale-'));
    const server = await startDevServerProcess(['--latency-ms', String(LATENCY_MS)]);
    const client = new ConsulClient({ address: server.url, timeoutMs: 120_000 });
    try {
      writeTree(dir, entryFiles(n));
      const { files: read } = await readLocalFiles(['config-entries'], dir);
      const seeded = await makePlan(read, new ConsulConfigEntryStore(client), { prune: true, adopt: false });
      if (!seeded.plan) throw new Error(`seeding ${n}: ${seeded.errors.map((e) => e.message).join('; ')}`);
      const report = await applyPlan(new ConsulConfigEntryStore(client), seeded.plan, { concurrency: 64 });
      if (!report.ok)
        throw new Error(
          `seeding ${n} failed: ${report.results.find((r) => r.outcome.status !== 'applied')?.outcome.status} ${JSON.stringify(report.results.find((r) => r.outcome.status !== 'applied')?.outcome)}`,
        );
      const files = entryFiles(n);
      everyFileTree = files;
      const oneFile = oneFileChanged(dir, files, built.bin, server.url);
      const oneFileBase = base && oneFileChanged(dir, files, base.bin, server.url);
      const everyFile = everyFileChanged(dir, files, built.bin, server.url);
      const everyFileBase = base && everyFileChanged(dir, files, base.bin, server.url);
      // Each copy's caches made once, unmeasured: the measured runs find one file (every file) changed since.
      for (const c of [oneFile, oneFileBase, everyFile, everyFileBase]) if (c) await run(c, dir, false);
      const r = await alternate(
        {
          'node -e 0': ['-e', '0'],
          'read+parse': [built.extra['read-parse']],
          plan: [built.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
          'plan, entry cache cold': [ENTRY_CACHE_COLD, built.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
          'plan, one file changed': oneFile,
          'plan, every file changed': everyFile,
          'plan, no code cache': [NO_CODE_CACHE, built.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
          'plan, no memo': [NO_MEMO, built.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
          ...(base
            ? {
                'plan@base': [base.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
                'plan@base, entry cache cold': [ENTRY_CACHE_COLD, base.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
                'plan@base, one file changed': oneFileBase!,
                'plan@base, every file changed': everyFileBase!,
                'plan@base, no memo': [NO_MEMO, base.bin, 'plan', '--consul', server.url, '--detailed-exitcode'],
              }
            : {}),
        },
        dir,
      );
      if (r.plan.code !== 0) throw new Error(`plan of ${n} entries exited ${r.plan.code} (0 = no changes expected)`);
      if (r['plan@base'] && r['plan@base'].code !== 0) throw new Error(`plan@${BASE_REF} of ${n} entries exited ${r['plan@base'].code}`);
      const floor = r['read+parse'];
      walls.push({ n, ms: r.plan.ms });
      console.log(
        `  ${String(n).padStart(6)} entries: plan ${f0(r.plan.ms)} ms (CPU ${f0(r.plan.cpuMs)} ms), ${f0(r.plan.rssMiB)} MiB | read+parse ${f0(floor.ms)} ms (CPU ${f0(floor.cpuMs)} ms), ${f0(floor.rssMiB)} MiB | node -e 0 ${f0(r['node -e 0'].ms)} ms, ${f0(r['node -e 0'].rssMiB)} MiB` +
          ` | plan/read+parse ${f2(r.plan.ms / floor.ms)}x wall, ${f2(r.plan.cpuMs / floor.cpuMs)}x CPU, ${f2(r.plan.rssMiB / floor.rssMiB)}x RSS; plan/node ${f2(r.plan.ms / r['node -e 0'].ms)}x`,
      );
      const uncached = r['plan, entry cache cold'];
      console.log(
        `           the first run after a change of every file (entry cache removed: parses every file, writes the cache): ${f0(uncached.ms)} ms (CPU ${f0(uncached.cpuMs)} ms, the plan printed after ${f0(uncached.outMs)} ms), ${f0(uncached.rssMiB)} MiB | cached/uncached ${f2(r.plan.ms / uncached.ms)}x wall, ${f2(r.plan.cpuMs / uncached.cpuMs)}x CPU` +
          versusBase(r, 'plan, entry cache cold', 'plan@base, entry cache cold') +
          (r['plan@base, entry cache cold']
            ? `, printed after ${f0(r['plan@base, entry cache cold'].outMs)} ms before: now/before ${f2(uncached.outMs / r['plan@base, entry cache cold'].outMs)}x`
            : ''),
      );
      const one = r['plan, one file changed'];
      if (one.code !== 0) throw new Error(`plan of ${n} entries after one file changed exited ${one.code} (0 = no changes expected)`);
      console.log(
        `           the first run after one file changed (that file parsed, the rest from the entry cache, every entry planned): ${f0(one.ms)} ms (CPU ${f0(one.cpuMs)} ms), ${f0(one.rssMiB)} MiB | memo/one changed ${f2(r.plan.ms / one.ms)}x wall, ${f2(r.plan.cpuMs / one.cpuMs)}x CPU` +
          versusBase(r, 'plan, one file changed', 'plan@base, one file changed'),
      );
      const every = r['plan, every file changed'];
      if (every.code !== 0) throw new Error(`plan of ${n} entries after every file changed exited ${every.code} (0 = no changes expected)`);
      console.log(
        `           the first run after every file changed, the cache kept (every line of it misses, every file parsed): ${f0(every.ms)} ms (CPU ${f0(every.cpuMs)} ms, the plan printed after ${f0(every.outMs)} ms), ${f0(every.rssMiB)} MiB` +
          versusBase(r, 'plan, every file changed', 'plan@base, every file changed'),
      );
      const noMemo = r['plan, no memo'];
      console.log(
        `           without the memo of no-op plans (CONSUL_GITOPS_PLAN_CACHE=0: every entry planned, files from the entry cache): ${f0(noMemo.ms)} ms (CPU ${f0(noMemo.cpuMs)} ms), ${f0(noMemo.rssMiB)} MiB | with/without ${f2(r.plan.ms / noMemo.ms)}x wall, ${f2(r.plan.cpuMs / noMemo.cpuMs)}x CPU` +
          versusBase(r, 'plan, no memo', 'plan@base, no memo'),
      );
      const cold = r['plan, no code cache'];
      console.log(
        `           without the code cache (CONSUL_GITOPS_CODE_CACHE=0: the ES modules): ${f0(cold.ms)} ms (CPU ${f0(cold.cpuMs)} ms), ${f0(cold.rssMiB)} MiB | with/without ${f2(r.plan.ms / cold.ms)}x wall, ${f2(r.plan.cpuMs / cold.cpuMs)}x CPU`,
      );
      const before = r['plan@base'];
      if (before)
        console.log(
          `           against ${BASE_REF}: ${f0(before.ms)} ms (CPU ${f0(before.cpuMs)} ms), ${f0(before.rssMiB)} MiB | now/before ${f2(r.plan.ms / before.ms)}x wall, ${f2(r.plan.cpuMs / before.cpuMs)}x CPU, ${f2(r.plan.rssMiB / before.rssMiB)}x RSS` +
            ` | above read+parse: ${f2((r.plan.cpuMs - floor.cpuMs) / (before.cpuMs - floor.cpuMs))}x CPU`,
        );
      const planArgs = (bin: string) => [bin, 'plan', '--consul', server.url, '--detailed-exitcode'];
      const gcNow = await gcVolume(planArgs(built.bin), dir);
      const gcBefore = base ? await gcVolume(planArgs(base.bin), dir) : undefined;
      console.log(
        `           garbage (load-independent): allocated ${f0(gcNow.allocatedMB)} MiB, promoted to old space ${f0(gcNow.promotedMB)} MiB, ${gcNow.scavenges} scavenges` +
          (gcBefore
            ? ` | before ${f0(gcBefore.allocatedMB)} MiB, ${f0(gcBefore.promotedMB)} MiB, ${gcBefore.scavenges} | now/before ${f2(gcNow.allocatedMB / gcBefore.allocatedMB)}x allocated, ${f2(gcNow.promotedMB / gcBefore.promotedMB)}x promoted`
            : ''),
      );
      const goal = n === 10_000 ? [1000, 250] : n === 50_000 ? [4000, 400] : undefined;
      if (goal)
        console.log(
          `           goal ≤ ${goal[0]} ms and ≤ ${goal[1]} MiB (for the record, on this machine): ${r.plan.ms <= goal[0] && r.plan.rssMiB <= goal[1] ? 'met' : 'not met'}`,
        );
    } finally {
      await client.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const [a, b] = walls.slice(-2);
  if (a && b)
    console.log(
      `  growth ${a.n} → ${b.n}: time × ${f2(b.ms / a.ms)} for entries × ${f2(b.n / a.n)}, exponent ${f2(Math.log(b.ms / a.ms) / Math.log(b.n / a.n))} (goal ≤ 1.1)`,
    );
}

/** CPU time (ms) a process has used so far (Linux /proc/PID/stat: utime + stime, in clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The CPU time (ms) of a process's main thread alone (/proc/PID/task/PID/stat): the thread that runs
 * the dev server's requests. The rest of processCpuMs is V8's worker threads (optimising compiles,
 * parallel scavenges), which a fresh server keeps busy and which run beside it on the other core.
 */
function mainThreadCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** This process's CPU time (ms, user + system) since `before` (process.cpuUsage). */
function cpuMsSince(before: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

async function applyCreates(): Promise<void> {
  // The client as a user runs it: built, not through tsx (bench/support/apply-client.ts says why).
  const { ConsulClient, ConsulConfigEntryStore, applyPlan, makePlan, DEFAULT_APPLY_CONCURRENCY } = (await import(
    built.extra['apply-client']
  )) as typeof import('./support/apply-client.ts');
  const n = 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-scale-'));
  writeTree(dir, entryFiles(n));
  const { files } = await readLocalFiles(['config-entries'], dir);
  rmSync(dir, { recursive: true, force: true });
  // The dev server as installed (built), so a base built from BENCH_BASE_REF compares like with like;
  // the client (plan and apply) is today's on both, built too.
  // `warm`: the same apply, and then a prune of everything, first (untimed), so the timed apply meets a
  // dev server whose write path V8 has optimised, as a long-running Consul (Go, compiled) always is; a
  // fresh dev server runs its first thousands of writes unoptimised at about 3x its warm CPU per write.
  const measure = async (bin: string, warm = false) => {
    const server = await startDevServerProcess(['--latency-ms', String(LATENCY_MS)], { bin });
    const client = new ConsulClient({ address: server.url, timeoutMs: 120_000 });
    try {
      if (warm) {
        const store = new ConsulConfigEntryStore(client);
        const first = await applyPlan(store, (await makePlan(files, store, { prune: true, adopt: false })).plan!);
        const emptied = await makePlan([], store, { prune: true, adopt: false, massDelete: { allow: true } });
        const gone = await applyPlan(store, emptied.plan!);
        if (first.counts.applied !== n || gone.counts.applied !== n)
          throw new Error(`warm-up applied ${first.counts.applied} and pruned ${gone.counts.applied} of ${n}`);
      }
      const planned = await makePlan(files, new ConsulConfigEntryStore(client), { prune: true, adopt: false });
      const serverBefore = processCpuMs(server.pid);
      const mainBefore = mainThreadCpuMs(server.pid);
      const clientBefore = process.cpuUsage();
      const applied = await timed(() => applyPlan(new ConsulConfigEntryStore(client), planned.plan!));
      if (applied.value.counts.applied !== n) throw new Error(`applied ${applied.value.counts.applied} of ${n}`);
      return {
        ms: applied.ms,
        serverCpuMs: processCpuMs(server.pid) - serverBefore,
        serverMainCpuMs: mainThreadCpuMs(server.pid) - mainBefore,
        clientCpuMs: cpuMsSince(clientBefore),
      };
    } finally {
      await client.close();
      server.close();
    }
  };
  // Baselines: the same entries PUT raw (no plan, no CAS, no wave order), as many in flight, to the
  // dev server, and to a bare node:http server that answers `true` after the same latency (the
  // floor: what the client and node:http cost on this machine, whatever the dev server does).
  const entries = await (async () => {
    const server = await startDevServerProcess([], { bin: built.bin });
    const client = new ConsulClient({ address: server.url, timeoutMs: 120_000 });
    try {
      return (await makePlan(files, new ConsulConfigEntryStore(client), { prune: true, adopt: false })).plan!.changes.map((c) => c.after!);
    } finally {
      await client.close();
      server.close();
    }
  })();
  /** `worker` run DEFAULT_APPLY_CONCURRENCY times side by side: wall time, and the server's and this process's CPU meanwhile. */
  const inFlight = async (serverPid: number, worker: () => Promise<void>) => {
    const serverBefore = processCpuMs(serverPid);
    const clientBefore = process.cpuUsage();
    const t = await timed(() => Promise.all(Array.from({ length: DEFAULT_APPLY_CONCURRENCY }, worker)));
    return { ms: t.ms, serverCpuMs: processCpuMs(serverPid) - serverBefore, clientCpuMs: cpuMsSince(clientBefore) };
  };
  const raw = async (target: { url: string; pid: number; close(): void }) => {
    const client = new ConsulClient({ address: target.url, timeoutMs: 120_000 });
    try {
      let next = 0;
      return await inFlight(target.pid, async () => {
        while (next < entries.length) await client.putEntry(entries[next++]);
      });
    } finally {
      await client.close();
      target.close();
    }
  };
  // The dev server's own plumbing: as many writes to our /v1/dev/faults, each `{"count":0}` (no
  // fault, nothing stored: read the body, route, build the context, wait the latency, answer `true`
  // with the headers), so its CPU above the bare server's is what the server adds before any of
  // Consul's work, and the apply's above it is Consul's write (decode, checks, normalise, graph, store).
  const plumbing = async (target: { url: string; pid: number; close(): void }) => {
    const pool = new Pool(target.url, { connections: DEFAULT_APPLY_CONCURRENCY, pipelining: 1 });
    try {
      let next = 0;
      return await inFlight(target.pid, async () => {
        while (next++ < entries.length) {
          const res = await pool.request({ method: 'PUT', path: '/v1/dev/faults', body: '{"count":0}' });
          if ((await res.body.text()) !== 'true') throw new Error('/v1/dev/faults did not answer true');
        }
      });
    } finally {
      await pool.close();
      target.close();
    }
  };
  /** `serverMainCpuMs`: the server's main thread alone, for the applies (the raw PUTs leave it out). */
  type Run = { ms: number; serverCpuMs: number; serverMainCpuMs?: number; clientCpuMs: number };
  const applies: Run[] = [];
  const bases: Run[] = [];
  const raws: Run[] = [];
  const floors: Run[] = [];
  const plumbs: Run[] = [];
  const warms: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    applies.push(await measure(built.bin));
    warms.push(await measure(built.bin, true));
    if (base) bases.push(await measure(base.bin));
    raws.push(await raw(await startDevServerProcess(['--latency-ms', String(LATENCY_MS)], { bin: built.bin })));
    floors.push(await raw(await startBareServer(LATENCY_MS)));
    plumbs.push(await plumbing(await startDevServerProcess(['--latency-ms', String(LATENCY_MS)], { bin: built.bin })));
  }
  const med = (rs: Run[]) => ({
    ms: median(rs.map((x) => x.ms)),
    server: median(rs.map((x) => x.serverCpuMs)),
    serverMain: median(rs.map((x) => x.serverMainCpuMs ?? 0)),
    client: median(rs.map((x) => x.clientCpuMs)),
  });
  const [a, r, f, p] = [med(applies), med(raws), med(floors), med(plumbs)];
  const us = (ms: number) => ((ms / n) * 1000).toFixed(0);
  console.log(
    `apply of ${n} creates (${LATENCY_MS} ms latency, ${DEFAULT_APPLY_CONCURRENCY} in flight per wave): ${f0(a.ms)} ms; raw PUTs ${f0(r.ms)} ms; ratio ${f2(a.ms / r.ms)}x; goal ≤ 2000 ms: ${a.ms <= 2000 ? 'met' : 'not met'}`,
  );
  // The dev server handles requests on one thread: its CPU per write bounds any client.
  console.log(
    `  dev server CPU during the apply: ${f0(a.server)} ms (${us(a.server)} µs per write), ${f2(a.server / a.ms)}x the apply's wall time; during the raw PUTs ${us(r.server)} µs per write`,
  );
  console.log(
    `  of which its main thread (the requests) ${f0(a.serverMain)} ms (${us(a.serverMain)} µs per write), V8's worker threads (optimising compiles, parallel scavenges) ${f0(a.server - a.serverMain)} ms (${f2((a.server - a.serverMain) / a.server)} of it)`,
  );
  console.log(`  client CPU per write: apply ${us(a.client)} µs, raw PUTs ${us(r.client)} µs (apply/raw ${f2(a.client / r.client)}x)`);
  console.log(
    `  floor: the same raw PUTs to a bare node:http server answering true after ${LATENCY_MS} ms: ${f0(f.ms)} ms (server ${us(f.server)} µs, client ${us(f.client)} µs per write) | apply/floor ${f2(a.ms / f.ms)}x, raw/floor ${f2(r.ms / f.ms)}x`,
  );
  const perWrite = (ms: number) => (ms / n) * 1000;
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${f0(Math.abs(x))}`;
  console.log(
    `  where the dev server's CPU per write goes (side by side): node:http and the kernel (the bare server) ${us(f.server)} µs` +
      ` | the dev server's own plumbing (as many PUTs of our /v1/dev/faults that change nothing) ${us(p.server)} µs, ${signed(perWrite(p.server - f.server))} µs` +
      ` | Consul's write (decode, checks, ACL, normalise, graph check, store: the apply's minus the plumbing) ${signed(perWrite(a.server - p.server))} µs`,
  );
  // One machine, two cores, two processes: the server's thread alone, both processes' CPU over the
  // cores, and the round trips (latency × writes / in flight) each bound the wall time.
  const inFlightBound = (n / DEFAULT_APPLY_CONCURRENCY) * LATENCY_MS;
  console.log(
    `  bounds here: the dev server's one thread ${f0(a.serverMain)} ms (its whole process ${f0(a.server)} ms) | both processes' CPU over 2 cores ${f0((a.server + a.client) / 2)} ms | round trips (${n} / ${DEFAULT_APPLY_CONCURRENCY} in flight × ${LATENCY_MS} ms) ${f0(inFlightBound)} ms` +
      ` | against a Consul on another machine (its CPU not shared with the client's, Go's HTTP server on all its cores) the client's CPU alone bounds it: ${f0(a.client)} ms`,
  );
  const w = med(warms);
  console.log(
    `  against a warm dev server (the same apply and a prune of it first, untimed: its write path optimised, as a long-running Consul's is): ${f0(w.ms)} ms (goal ≤ 2000 ms: ${w.ms <= 2000 ? 'met' : 'not met'}), server ${us(w.server)} µs (main thread ${us(w.serverMain)} µs), client ${us(w.client)} µs per write | warm/fresh ${f2(w.ms / a.ms)}x wall, ${f2(w.server / a.server)}x server CPU, ${f2(w.serverMain / a.serverMain)}x its main thread`,
  );
  if (base) {
    const b = med(bases);
    console.log(
      `  against the dev server at ${BASE_REF} (same client, alternating runs): ${f0(b.ms)} ms, server CPU ${us(b.server)} µs per write (main thread ${us(b.serverMain)} µs) | now/before ${f2(a.ms / b.ms)}x wall, ${f2(a.server / b.server)}x server CPU, ${f2(a.serverMain / b.serverMain)}x its main thread`,
    );
  }
}

/**
 * The files of `files` with one field changed in each entry a service has: service-defaults go from
 * http to http2 (still HTTP, so their routers stay valid and each write compiles its chain), intentions
 * from allow to deny, routers from /v2 to /v3. The mesh-wide pair stays as it is.
 */
function oneFieldChanged(files: Record<string, string>): Record<string, string> {
  const change = (path: string, text: string) =>
    path.startsWith('services/')
      ? text.replace('Protocol = "http"', 'Protocol = "http2"')
      : path.startsWith('intentions/')
        ? text.replace('"allow"', '"deny"')
        : path.startsWith('routers/')
          ? text.replace('/v2', '/v3')
          : text;
  return Object.fromEntries(Object.entries(files).map(([p, t]) => [p, change(p, t)]));
}

/**
 * What a user runs to apply a large change: the built CLI's `apply --auto-approve`, whole process, of
 * `n` creates against an empty dev server and of one field changed in each of `n` entries Consul holds.
 * The CLI prints no phase times, so `plan` of the same tree against the same state runs as its own
 * row, and the writes are the apply's time above it. Each build plans and applies against a server of
 * its own (started empty, or seeded by today's CLI, unmeasured), alternating with the base build.
 */
async function applyWholeProcess(): Promise<void> {
  console.log(`whole-process apply --auto-approve with the built CLI against the dev server (${LATENCY_MS} ms latency), median of ${RUNS} alternating runs`);
  const builds: [string, string][] = [['now', built.bin], ...(base ? [[BASE_REF!, base.bin] as [string, string]] : [])];
  const growth: Record<string, { n: number; ms: number; cpuMs: number }[]> = {};
  // A process that does nothing, measured here too: the plan's growth above it is what the entries cost
  // (at 1,000 entries Node's start is much of the time, which hides how the rest grows).
  const starts: Run[] = [];
  for (let i = 0; i < RUNS; i++) starts.push(await run(['-e', '0'], tmpdir()));
  const start = { ms: median(starts.map((r) => r.ms)), cpuMs: median(starts.map((r) => r.cpuMs)) };
  console.log(`  node -e 0: ${f0(start.ms)} ms (CPU ${f0(start.cpuMs)} ms)`);
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'consul-gitops-scale-apply-'));
    const files = entryFiles(n);
    try {
      for (const shape of ['creates', 'updates'] as const) {
        const rows: Record<string, { plan: Run[]; apply: Run[] }> = Object.fromEntries(builds.map(([name]) => [name, { plan: [], apply: [] }]));
        for (let i = 0; i < RUNS + (RUNS === 1 ? 1 : 0); i++) {
          for (const [name, bin] of builds) {
            // The files as they were, once more after an update run changed them (creates keep one checkout, as a user's runs do).
            if (shape === 'updates' || i + builds.findIndex(([b]) => b === name) === 0) {
              rmSync(join(dir, 'config-entries'), { recursive: true, force: true });
              writeTree(dir, files);
            }
            const server = await startDevServerProcess(['--latency-ms', String(LATENCY_MS)], { bin: built.bin });
            try {
              const consul = ['--consul', server.url];
              if (shape === 'updates') {
                const seeded = await run([built.bin, 'apply', '--auto-approve', ...consul], dir);
                if (seeded.code !== 0) throw new Error(`seeding ${n} entries exited ${seeded.code}`);
                rmSync(join(dir, 'config-entries'), { recursive: true, force: true });
                writeTree(dir, oneFieldChanged(files));
              }
              const plan = await run([bin, 'plan', ...consul, '--detailed-exitcode'], dir);
              if (plan.code !== 2) throw new Error(`plan of ${n} ${shape} (${name}) exited ${plan.code} (2 = changes expected)`);
              const apply = await run([bin, 'apply', '--auto-approve', ...consul], dir);
              if (apply.code !== 0) throw new Error(`apply of ${n} ${shape} (${name}) exited ${apply.code}`);
              const after = await run([built.bin, 'plan', ...consul, '--detailed-exitcode'], dir);
              if (after.code !== 0) throw new Error(`plan after the apply of ${n} ${shape} (${name}) exited ${after.code} (0 = all applied)`);
              // With BENCH_RUNS=1 the first round is unmeasured (a warm disk and caches).
              if (RUNS === 1 && i === 0) continue;
              rows[name].plan.push(plan);
              rows[name].apply.push(apply);
            } finally {
              server.close();
            }
          }
        }
        const med = (rs: Run[]) => ({ ms: median(rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)), rssMiB: median(rs.map((r) => r.rssMiB)) });
        const now = { plan: med(rows.now.plan), apply: med(rows.now.apply) };
        (growth[shape] ??= []).push({ n, ms: now.plan.ms, cpuMs: now.plan.cpuMs });
        const writesMs = now.apply.ms - now.plan.ms;
        console.log(
          `  ${String(n).padStart(6)} ${shape}: apply ${f0(now.apply.ms)} ms (CPU ${f0(now.apply.cpuMs)} ms), ${f0(now.apply.rssMiB)} MiB | plan alone ${f0(now.plan.ms)} ms (CPU ${f0(now.plan.cpuMs)} ms), ${f0(now.plan.rssMiB)} MiB` +
            ` | the writes (apply − plan) ${f0(writesMs)} ms (CPU ${f0(now.apply.cpuMs - now.plan.cpuMs)} ms): plan/apply ${f2(now.plan.ms / now.apply.ms)}x wall, ${f2(now.plan.cpuMs / now.apply.cpuMs)}x CPU`,
        );
        if (base) {
          const b = { plan: med(rows[BASE_REF!].plan), apply: med(rows[BASE_REF!].apply) };
          console.log(
            `           against ${BASE_REF}: apply ${f0(b.apply.ms)} ms (CPU ${f0(b.apply.cpuMs)} ms), plan alone ${f0(b.plan.ms)} ms (CPU ${f0(b.plan.cpuMs)} ms)` +
              ` | now/before: apply ${f2(now.apply.ms / b.apply.ms)}x wall, ${f2(now.apply.cpuMs / b.apply.cpuMs)}x CPU; plan ${f2(now.plan.ms / b.plan.ms)}x wall, ${f2(now.plan.cpuMs / b.plan.cpuMs)}x CPU`,
          );
          (growth[`${shape}@base`] ??= []).push({ n, ms: b.plan.ms, cpuMs: b.plan.cpuMs });
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // How the plan of a large change grows: linear ≈ 1.0; a step comparing each write with every other ≈ 2.
  for (const [shape, points] of Object.entries(growth)) {
    const [a, b] = points.slice(-2);
    if (!a || !b) continue;
    const exponent = (x: number, y: number) => f2(Math.log(y / x) / Math.log(b.n / a.n));
    console.log(
      `  plan of ${shape.replace('@base', ` at ${BASE_REF}`)} ${a.n} → ${b.n}: time × ${f2(b.ms / a.ms)}, CPU × ${f2(b.cpuMs / a.cpuMs)} for entries × ${f2(b.n / a.n)}: exponent ${exponent(a.ms, b.ms)} wall, ${exponent(a.cpuMs, b.cpuMs)} CPU` +
        ` | above node -e 0: ${exponent(a.ms - start.ms, b.ms - start.ms)} wall, ${exponent(a.cpuMs - start.cpuMs, b.cpuMs - start.cpuMs)} CPU (linear ≈ 1.0)`,
    );
  }
}

async function coldReconcile(): Promise<void> {
  const n = 10_000;
  const files = Object.fromEntries(Object.entries(entryFiles(n)).map(([p, t]) => [`config-entries/${p}`, t]));
  const github = await startGitHubDouble({ owner: 'acme', repo: 'mesh', defaultBranch: 'main' });
  const consul = await startDevServer({ port: 0, host: '127.0.0.1' });
  try {
    const sha = github.addCommit({ 'README.md': '# mesh\n', ...files });
    const reconcile = createReconcileHandler({
      env: {
        CONSUL_HTTP_ADDR: consul.url,
        GITHUB_TOKEN: 'ghp_benchTOKEN0123456789',
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: 'main',
        GITHUB_REPOSITORY: 'acme/mesh',
      },
      overrides: { github: { throttle: false, retries: 0 } },
      log: () => {},
      // The run's figures are kept, not printed: the bench prints its own.
      metrics: new CloudWatchMetrics(() => {}),
    });
    const before = github.requests.length;
    const cold = await timed(() =>
      reconcile({ mode: 'apply', sha, ref: 'refs/heads/main', repository: { owner: 'acme', name: 'mesh' }, deliveryId: 'bench-1' }),
    );
    const requests = github.requests.slice(before);
    const statuses = requests.filter((r) => r.method === 'POST' && r.path.includes('/statuses/')).length;
    if (!cold.value.every((t) => t.ok)) throw new Error(`cold reconcile failed: ${JSON.stringify(cold.value)}`);

    // The same tree read blob by blob (the archive off), and with the archive, source alone.
    const octokit = await createGitHubClient({ auth: { token: 'ghp_benchTOKEN0123456789' }, baseUrl: github.url, throttle: false, retries: 0 });
    const ref = { owner: 'acme', repo: 'mesh', sha };
    const count = async (archiveAbove: number) => {
      const start = github.requests.length;
      const t = await timed(() => new GitHubTreeSource(octokit, { archiveAbove }).read(ref, 'config-entries'));
      return { ms: t.ms, requests: github.requests.length - start, files: t.value.files.length };
    };
    const archive = await count(3);
    const blobs = await count(Infinity);
    console.log(`cold reconcile of a ${n}-file repository through the reconcile handler and the GitHub double:`);
    console.log(`  ${f0(cold.ms)} ms wall, ${requests.length - statuses} GitHub requests to read the tree (goal ≤ 5) + ${statuses} statuses`);
    console.log(
      `  reading the tree alone: archive ${archive.requests} requests ${f0(archive.ms)} ms | blob by blob ${blobs.requests} requests ${f0(blobs.ms)} ms | ratio ${f2(archive.ms / blobs.ms)}x wall, ${(archive.requests / blobs.requests).toFixed(4)}x requests`,
    );
  } finally {
    await Promise.all([github.close(), consul.close()]);
  }
}

/** The YAML files of a 10,000-entry tree through the fast reader (src/formats/yaml-simple.ts) and through the library alone. */
function yamlReaders(): void {
  const texts = Object.entries(entryFiles(10_000))
    .filter(([p]) => p.endsWith('.yaml'))
    .map(([, t]) => t);
  const cpuMs = (fn: () => void) => {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const fast: number[] = [];
  const library: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    library.push(cpuMs(() => texts.forEach((t) => parseYamlDocuments(t))));
    fast.push(cpuMs(() => texts.forEach((t) => parseYaml(t))));
  }
  // The first round warms both up.
  const [f, l] = [median(fast.slice(1)), median(library.slice(1))];
  console.log(`YAML files of a 10,000-entry tree (${texts.length}): fast reader ${f2(f)} ms CPU, yaml library ${f2(l)} ms CPU, library/fast ${f2(l / f)}x`);
}

// BENCH_SCALE_PARTS=yaml,plan,apply,apply-cli,reconcile picks parts (default all).
const parts = (process.env.BENCH_SCALE_PARTS ?? 'yaml,plan,apply,apply-cli,reconcile').split(',');
if (parts.includes('yaml')) yamlReaders();
if (parts.includes('plan')) await noopPlans();
if (parts.includes('apply')) await applyCreates();
if (parts.includes('apply-cli')) await applyWholeProcess();
if (parts.includes('reconcile')) await coldReconcile();
process.exit(0);
